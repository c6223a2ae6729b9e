package live

import (
	"context"
	"encoding/json"
	"strings"

	"parecon/councils"
	"parecon/internal/store"
)

// Submit takes council who.Council's proposal (raw JSON) for round. A
// proposal that fails its checks is answered with proposal.rejected and
// only the attempt is stored, in the audit log. One that passes is
// committed (in a group with the proposals of other councils: the plan's
// lock is not held while it commits), then applied, then acknowledged
// with proposal.accepted (reply gets the answer frame before anything is
// broadcast), then announced to the facilitators and observers:
// round.submitted, and proposal.received to the facilitators. When it was
// the last human council to submit, the round closes. A ref already
// acknowledged (or being committed) for this council gets the same
// acknowledgement and changes nothing. The returned Error is for an error
// frame: the frame was not allowed, or the server failed (then nothing
// of the proposal was stored or applied).
func (s *Service) Submit(ctx context.Context, who Principal, ref string, round int, raw json.RawMessage, reply func([]byte)) *councils.Error {
	if err := who.Authorize(who.Plan, RoleCouncil); err != nil {
		return councils.Errorf(councils.Forbidden, "", "only a council submits proposals")
	}
	p, err := s.plan(who.Plan)
	if err != nil {
		return err
	}
	p.mu.Lock()
	for p.closing { // the round is closing: answer against the next one
		p.cond.Wait()
	}
	c, ok := p.council(who.Council)
	if !ok {
		p.mu.Unlock()
		return councils.Errorf(councils.Forbidden, "", "council %q is not in this plan", who.Council)
	}
	key := ackKey(who.Council, ref)
	if ref != "" {
		if a, ok := p.acks[key]; ok {
			p.mu.Unlock()
			reply(acceptedFrame(ref, a))
			return nil
		}
		if f, ok := p.inflight[key]; ok {
			p.mu.Unlock()
			<-f.done
			if f.err != nil {
				return f.err
			}
			reply(acceptedFrame(ref, f.ack))
			return nil
		}
	}
	pr, doc, verdict, perr := p.live.CheckProposal(c, round, raw)
	if perr != nil {
		cerr := councils.AsError(perr)
		cur := p.live.Round().Number
		p.mu.Unlock()
		if cerr.Kind != councils.Invalid && cerr.Kind != councils.Conflict {
			return cerr
		}
		detail := map[string]any{"reason": cerr.Message, "field": cerr.Field, "ref": ref, "submittedRound": round}
		if json.Valid(raw) {
			detail["proposal"] = raw
		}
		if err := s.store.AddEvents(ctx, s.event(p, "proposal.rejected", &cur, who.Council, detail)); err != nil {
			return unavailable(err)
		}
		reply(frame("proposal.rejected", "ref", ref, "round", round, "reason", cerr.Message, "field", cerr.Field))
		return nil
	}
	body := councils.MarshalDoc(doc)
	vb, _ := json.Marshal(verdict)
	now := s.now()
	ev := s.event(p, "proposal.accepted", &round, who.Council, map[string]any{"ref": ref, "verdict": verdict})
	f := &flight{done: make(chan struct{})}
	if ref != "" {
		p.inflight[key] = f
	}
	p.pending++
	p.mu.Unlock()

	id, serr := s.store.AddProposal(ctx, store.Proposal{PlanID: p.id, Round: round, Council: who.Council, Ref: ref, Body: body, Verdict: vb, Source: "human", Created: now}, ev)

	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending--
	if p.pending == 0 {
		p.cond.Broadcast()
	}
	if ref != "" {
		delete(p.inflight, key)
	}
	if serr != nil {
		s.log.Error("storing a proposal", "plan", p.id, "council", who.Council, "err", serr)
		f.err = unavailable(serr)
		close(f.done)
		return f.err
	}
	// A council's proposals replace each other in the order they were
	// stored, as a replay applies them.
	if id > p.lastID[c] {
		wasIn := p.live.Round().Fresh[c]
		p.humansWaiting()
		p.live.Accept(c, pr)
		p.lastID[c] = id
		if !wasIn && p.live.Human(c) {
			p.waiting--
		}
	}
	a := ack{round: round, id: id, verdict: verdict}
	if ref != "" {
		p.acks[key] = a
	}
	f.ack = a
	close(f.done)
	reply(acceptedFrame(ref, a))
	// Built only if someone watches: a plan of thousands of councils
	// usually has a facilitator or two and no observer.
	submitted := func() []byte { return frame("round.submitted", "round", round, "councilId", who.Council) }
	s.hub.BroadcastRoleLazy(p.id, RoleObserver, submitted)
	s.hub.BroadcastRoleLazy(p.id, RoleFacilitator, submitted)
	s.hub.BroadcastRoleLazy(p.id, RoleFacilitator, func() []byte {
		return frame("proposal.received", "round", round, "councilId", who.Council, "proposal", body,
			"sbsc", verdict.SBSC, "cost", verdict.Cost, "budget", verdict.Budget)
	})
	if !p.closing && p.humansWaiting() == 0 && p.live.AllHumansIn() {
		if err := s.closeRound(ctx, p, "all human councils submitted", nil); err != nil {
			s.log.Error("closing a full round", "plan", p.id, "err", err)
		}
	}
	return nil
}

// unavailable is the error a client gets when the database refuses a
// write (read-only, full, failing disk): nothing of its frame was kept,
// and it may try again.
func unavailable(err error) *councils.Error {
	e := councils.InternalError(err)
	e.Message = "the server could not store this: the database refused the write (" + storeReason(err) + "); nothing was kept, try again later"
	return e
}

// acceptedMsg is proposal.accepted, with its keys in the order frame
// writes them (sorted), marshalled without a map: one is sent per
// proposal.
type acceptedMsg struct {
	Budget     *float64 `json:"budget,omitempty"`
	Cost       *float64 `json:"cost,omitempty"`
	ProposalID int64    `json:"proposalId"`
	Ref        string   `json:"ref,omitempty"`
	Round      int      `json:"round"`
	SBSC       *float64 `json:"sbsc,omitempty"`
	Type       string   `json:"type"`
}

func acceptedFrame(ref string, a ack) []byte {
	b, err := json.Marshal(acceptedMsg{Budget: a.verdict.Budget, Cost: a.verdict.Cost, ProposalID: a.id, Ref: ref,
		Round: a.round, SBSC: a.verdict.SBSC, Type: "proposal.accepted"})
	if err != nil {
		panic(err) // only our own values go in
	}
	return b
}

// frame returns a server frame of type typ with the key-value pairs kv;
// pairs whose value is nil, a nil pointer or the empty string are left out.
func frame(typ string, kv ...any) []byte {
	m := make(map[string]any, len(kv)/2+1)
	m["type"] = typ
	for i := 0; i+1 < len(kv); i += 2 {
		k, v := kv[i].(string), kv[i+1]
		switch x := v.(type) {
		case nil:
			continue
		case string:
			if x == "" {
				continue
			}
		case *float64:
			if x == nil {
				continue
			}
		}
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // only our own values go in
	}
	return b
}

// storeReason says in a few words why the database refused a write.
func storeReason(err error) string {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "full"):
		return "the disk or database is full"
	case strings.Contains(msg, "readonly") || strings.Contains(msg, "read-only") || strings.Contains(msg, "query_only"):
		return "the database is read-only"
	case strings.Contains(msg, "closed"):
		return "the server is shutting down"
	default:
		return "storage error"
	}
}
