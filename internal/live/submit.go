package live

import (
	"context"
	"encoding/json"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/store"
)

// Submit takes council who.Council's proposal (raw JSON) for round. A
// proposal that fails its checks is answered with proposal.rejected and
// only the attempt is stored, in the audit log. One that passes is
// committed, then applied, then acknowledged with proposal.accepted
// (reply gets the answer frame before anything is broadcast), then
// announced: round.submitted to everyone, proposal.received to the
// facilitators. When it was the last human council to submit, the round
// closes. A ref already acknowledged for this council gets the same
// acknowledgement again and changes nothing. The returned Error is for an
// error frame: the frame was not allowed, or the server failed.
func (s *Service) Submit(ctx context.Context, who Principal, ref string, round int, raw json.RawMessage, reply func([]byte)) *councils.Error {
	if err := who.Authorize(who.Plan, RoleCouncil); err != nil {
		return councils.Errorf(councils.Forbidden, "", "only a council submits proposals")
	}
	p, err := s.plan(who.Plan)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.council(who.Council)
	if !ok {
		return councils.Errorf(councils.Forbidden, "", "council %q is not in this plan", who.Council)
	}
	if ref != "" {
		if a, ok := p.acks[ackKey(who.Council, ref)]; ok {
			reply(acceptedFrame(ref, a))
			return nil
		}
	}
	pr, doc, verdict, cerr := p.live.CheckProposal(c, round, raw)
	if cerr != nil {
		if cerr.Kind != councils.Invalid && cerr.Kind != councils.Conflict {
			return cerr
		}
		detail := map[string]any{"reason": cerr.Message, "field": cerr.Field, "ref": ref, "submittedRound": round}
		if json.Valid(raw) {
			detail["proposal"] = raw
		}
		cur := p.live.Round().Number
		if err := s.store.AddEvents(ctx, s.event(p, "proposal.rejected", &cur, who.Council, detail)); err != nil {
			return councils.InternalError(err)
		}
		reply(frame("proposal.rejected", "ref", ref, "round", round, "reason", cerr.Message, "field", cerr.Field))
		return nil
	}
	body := councils.MarshalDoc(doc)
	vb, _ := json.Marshal(verdict)
	now := s.now()
	id, serr := s.store.AddProposal(ctx, store.Proposal{PlanID: p.id, Round: round, Council: who.Council, Ref: ref, Body: body, Verdict: vb, Source: "human", Created: now},
		s.event(p, "proposal.accepted", &round, who.Council, map[string]any{"ref": ref, "verdict": verdict}))
	if serr != nil {
		return councils.InternalError(serr)
	}
	p.live.Accept(c, pr)
	a := ack{round: round, id: id, verdict: verdict}
	if ref != "" {
		p.acks[ackKey(who.Council, ref)] = a
	}
	reply(acceptedFrame(ref, a))
	s.hub.Broadcast(p.id, frame("round.submitted", "round", round, "councilId", who.Council))
	received := frame("proposal.received", "round", round, "councilId", who.Council, "proposal", body,
		"sbsc", verdict.SBSC, "cost", verdict.Cost, "budget", verdict.Budget)
	s.hub.BroadcastEach(p.id, func(cl *hub.Client) []byte {
		if cl.Role == RoleFacilitator {
			return received
		}
		return nil
	})
	if p.live.AllHumansIn() {
		if err := s.closeRound(ctx, p, "all human councils submitted", nil); err != nil {
			s.log.Error("closing a full round", "plan", p.id, "err", err)
		}
	}
	return nil
}

func acceptedFrame(ref string, a ack) []byte {
	return frame("proposal.accepted", "ref", ref, "round", a.round, "proposalId", a.id,
		"sbsc", a.verdict.SBSC, "cost", a.verdict.Cost, "budget", a.verdict.Budget)
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
