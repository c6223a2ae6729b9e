package live

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/store"
	"parecon/internal/wire"
	"parecon/planning"
)

// MaxRejectedPrefix is how much of a rejected proposal's body the audit
// log keeps: the reason, the field and the size are kept, the body only
// up to this many bytes.
const MaxRejectedPrefix = 256

// submitReq is one proposal.submit on its way through the plan goroutine.
type submitReq struct {
	who    Principal
	client *hub.Client // who gets the answer frame
	f      wire.Submit
	done   chan error // the frame's outcome: nil once answered with a frame
}

// item is a checked proposal being committed.
type item struct {
	req     *submitReq
	c       int
	pr      *planning.Proposal
	doc     *councils.ProposalDoc
	created time.Time
	body    json.RawMessage
	verdict councils.Verdict
	row     store.Proposal
	ev      store.Event
	id      int64
	err     error
	dup     bool // its ref was stored already (by another server): acknowledged, not applied
}

// Submit takes council who.Council's proposal for f.Round and answers c.
// A proposal that fails its checks is answered with proposal.rejected and
// only the attempt is stored, in the audit log. One that passes is
// committed (with the other proposals of the same burst, in one store
// group), then applied, then acknowledged with proposal.accepted, then
// announced to the facilitators and observers: round.submitted, and
// proposal.received to the facilitators. When it was the last human
// council to submit, the round closes. A ref already acknowledged (or
// being committed) for this council gets the same acknowledgement and
// changes nothing. The returned error is for an error frame: the frame was
// not allowed, or the server failed (then nothing of the proposal was
// stored or applied).
func (s *Service) Submit(ctx context.Context, who Principal, c *hub.Client, f wire.Submit) error {
	p, err := s.lookup(who, who.Plan, OpSubmit)
	if err != nil {
		return err
	}
	req := &submitReq{who: who, client: c, f: f, done: make(chan error, 1)}
	if !p.post(func() { p.idle(func() { p.submit(req) }) }) {
		return errPlanGone
	}
	return p.await(ctx, req.done)
}

// submit checks req against the open round (plan goroutine, live idle).
func (p *plan) submit(req *submitReq) {
	s, ref := p.s, req.f.Ref
	if p.broken {
		req.done <- councils.Errorf(councils.Conflict, "round", "the plan is stopped: %s", p.reason)
		return
	}
	c, ok := p.proposer(req.who)
	if !ok {
		req.done <- councils.Errorf(councils.Forbidden, "", "council %q is not in this plan", req.who.Council)
		return
	}
	key := ackKey(req.who.Council, ref)
	if ref != "" {
		if a, ok := p.acks[key]; ok {
			s.send(req.client, accepted(ref, a))
			req.done <- nil
			return
		}
		if fl, ok := p.inflight[key]; ok {
			fl.waiters = append(fl.waiters, req)
			return
		}
	}
	pr, doc, verdict, perr := p.live.CheckProposal(c, req.f.Round, req.f.Proposal)
	if perr != nil {
		p.reject(req, perr)
		return
	}
	// The row and its audit event are encoded off the plan goroutine, in
	// flush's.
	it := &item{req: req, c: c, pr: pr, doc: doc, verdict: verdict, created: s.now()}
	if ref != "" {
		p.inflight[key] = &flight{waiters: []*submitReq{req}}
	}
	p.pending++
	p.batch = append(p.batch, it)
	switch {
	case len(p.batch) >= maxBatch || len(p.inbox) == 0:
		// Nothing else waiting, or enough for a group: commit now, so
		// that checking the rest of a burst overlaps its commit.
		p.flush()
	case !p.flushing:
		// The flush runs after the submissions already queued: a burst
		// goes to the store as one group.
		p.flushing = true
		go p.post(p.flushQueued)
	}
}

// maxBatch is the most checked proposals the plan goroutine holds before
// it hands them to the store.
const maxBatch = 64

// reject answers a proposal that failed its checks once its attempt is in
// the audit log (reason, field and size; at most a prefix of the body).
func (p *plan) reject(req *submitReq, perr error) {
	cerr := councils.AsError(perr)
	if cerr.Kind != councils.Invalid && cerr.Kind != councils.Conflict {
		req.done <- cerr
		return
	}
	cur := p.live.Round().Number
	raw := req.f.Proposal
	detail := map[string]any{"reason": cerr.Message, "field": cerr.Field, "ref": req.f.Ref, "submittedRound": req.f.Round, "size": len(raw)}
	if p.aggregates.Load() {
		// The audit log keeps no proposal bodies, nor the reason, which
		// may quote a quantity; the council got it.
		detail["reason"] = "refused; the plan keeps proposals private, the council was told why"
	} else if len(raw) <= MaxRejectedPrefix && json.Valid(raw) {
		detail["proposal"] = raw
	} else {
		detail["prefix"] = string(truncate(raw, MaxRejectedPrefix))
	}
	ev := p.s.event(p.id, "proposal.rejected", &cur, req.who.Council, detail)
	frame := wire.ProposalRejected{Ref: req.f.Ref, Round: req.f.Round, Reason: cerr.Message, Field: cerr.Field}
	stale := cerr.Kind == councils.Conflict && cerr.Field == "round" && req.f.Ref != ""
	go func() {
		if stale && p.storedRef(req) {
			return
		}
		if err := p.s.store.AddEvents(context.Background(), ev); err != nil {
			req.done <- unavailable(err)
			return
		}
		p.s.send(req.client, frame)
		req.done <- nil
	}()
}

// storedRef answers req with the acknowledgement of the proposal its
// council stored with the same ref, if the store holds one, and reports
// whether it did (off the plan goroutine). A council that resends a ref
// after its server went away may find the round it was sent for closed
// by the next server, which has not read the proposal yet: what was
// stored is acknowledged, never refused as a stale round.
func (p *plan) storedRef(req *submitReq) bool {
	a, ok := p.refAck(req.who.Council, req.f.Ref)
	if !ok {
		return false
	}
	p.s.send(req.client, accepted(req.f.Ref, a))
	req.done <- nil
	return true
}

// refAck returns the acknowledgement of the proposal council stored with
// ref, if the store holds one (off the plan goroutine).
func (p *plan) refAck(council, ref string) (ack, bool) {
	prev, err := p.s.store.ProposalByRef(context.Background(), p.id, council, ref)
	if err != nil {
		return ack{}, false
	}
	var v councils.Verdict
	if store.DecodeJSON("verdict", prev.Verdict, &v) != nil {
		return ack{}, false
	}
	return ack{round: prev.Round, id: prev.ID, verdict: v}, true
}

// truncate returns at most n bytes of b, cut at a UTF-8 boundary.
func truncate(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for n > 0 && b[n]&0xc0 == 0x80 {
		n--
	}
	return b[:n]
}

// flushQueued is the flush queued behind a burst.
func (p *plan) flushQueued() {
	p.flushing = false
	p.flush()
}

// flush hands the batch to the store, each proposal in its own savepoint
// of the same group, off the plan goroutine; committed applies them.
func (p *plan) flush() {
	batch := p.batch
	p.batch = nil
	if len(batch) == 0 {
		return
	}
	// Each proposal goes to the store on its own goroutine, so that the
	// store's writer commits the batch (and whatever else is queued) as
	// one group; each comes back as soon as its group has committed.
	for _, it := range batch {
		go func() {
			if it.err = p.encode(it); it.err == nil {
				it.id, it.err = p.s.store.AddProposal(context.Background(), it.row, it.ev)
				p.sameRef(it)
			}
			if !p.postResult(func() { p.committed([]*item{it}) }) {
				it.req.done <- errPlanGone
			}
		}()
	}
}

// encode builds its row and audit event.
func (p *plan) encode(it *item) error {
	vb, err := json.Marshal(it.verdict)
	if err != nil {
		return err
	}
	f, council := it.req.f, it.req.who.Council
	round := f.Round
	it.body = councils.MarshalDoc(it.doc)
	it.row = store.Proposal{PlanID: p.id, Round: round, Council: council, Ref: f.Ref, Body: it.body, Verdict: vb, Source: "human", Created: it.created}
	detail := map[string]any{"ref": f.Ref, "verdict": it.verdict}
	if p.aggregates.Load() {
		delete(detail, "verdict") // the cost would tell of the proposal
	}
	it.ev = p.s.event(p.id, "proposal.accepted", &round, council, detail)
	return nil
}

// committed applies a committed batch, acknowledges and announces it
// (plan goroutine); a failed proposal gets an error and nothing of it is
// applied. A close that waited for the batch starts; a round in which
// every human council is now in closes.
func (p *plan) committed(batch []*item) {
	s := p.s
	var applied []*item
	for _, it := range batch {
		p.pending--
		who, ref := it.req.who, it.req.f.Ref
		key := ackKey(who.Council, ref)
		var waiters []*submitReq
		if ref != "" {
			if fl := p.inflight[key]; fl != nil {
				waiters = fl.waiters
			}
			delete(p.inflight, key)
		} else {
			waiters = []*submitReq{it.req}
		}
		if errors.Is(it.err, store.ErrRoundNotOpen) {
			// Another server closed the round first: the same answer as a
			// stale round gets from the checks, and this copy catches up
			// (once the batch is applied) without waiting for the
			// notification.
			p.cl.syncWanted = true
			for _, w := range waiters {
				p.reject(w, councils.Errorf(councils.Conflict, "round", "round %d closed before this proposal was stored; nothing was kept", w.f.Round))
			}
			continue
		}
		if it.err != nil {
			s.log.Error("storing a proposal", "plan", p.id, "council", who.Council, "err", it.err)
			for _, w := range waiters {
				w.done <- unavailable(it.err)
			}
			continue
		}
		if p.broken {
			for _, w := range waiters {
				w.done <- councils.Errorf(councils.Conflict, "round", "the plan is stopped: %s", p.reason)
			}
			continue
		}
		// A council's proposals replace each other in the order they were
		// stored, as a replay applies them.
		if p.markSeen(it.id, it.req.f.Round) && !it.dup && it.id > p.lastID[it.c] {
			wasIn := p.live.Round().Fresh[it.c]
			p.humansWaiting()
			p.live.Accept(it.c, it.pr)
			p.lastID[it.c] = it.id
			delete(p.byModel, it.c)
			applied = append(applied, it)
			if !wasIn && p.live.Human(it.c) {
				p.waiting--
			}
		}
		a := ack{round: it.req.f.Round, id: it.id, verdict: it.verdict}
		if ref != "" {
			p.acks[key] = a
		}
		for _, w := range waiters {
			s.send(w.client, accepted(w.f.Ref, a))
			w.done <- nil
		}
		if !it.dup {
			p.announce(it.req.f.Round, who.Council, it.body, it.verdict)
		}
	}
	if p.broken {
		return
	}
	p.leafFresh(applied) // before a close may start
	p.publish()
	p.syncIfWanted()
	if p.pending == 0 && p.wantClose != nil {
		r := p.wantClose
		p.wantClose = nil
		p.startClose(r)
		return
	}
	if !p.cl.follower && p.wantClose == nil && !p.busy && p.status == councils.StatusOpen && p.humansWaiting() == 0 && p.live.AllHumansIn() {
		n := p.live.Round().Number
		p.requestClose(&closeReq{round: &n, why: reasonAllIn})
	}
}

// announce tells the facilitators and observers of council's proposal
// (round.submitted; proposal.received to the facilitators, unless they
// see aggregates only).
func (p *plan) announce(round int, council string, body json.RawMessage, v councils.Verdict) {
	s := p.s
	// Built only if someone watches: a plan of thousands of councils
	// usually has a facilitator or two and no observer.
	submitted := func() []byte { b, _ := wire.Encode(wire.RoundSubmitted{Round: round, CouncilID: council}); return b }
	s.hub.BroadcastRoleLazy(p.id, RoleObserver, submitted)
	s.hub.BroadcastRoleLazy(p.id, RoleFacilitator, submitted)
	if p.aggregates.Load() {
		return // the facilitator sees aggregates only
	}
	s.hub.BroadcastRoleLazy(p.id, RoleFacilitator, func() []byte {
		b, _ := wire.Encode(wire.ProposalReceived{Round: round, CouncilID: council, Proposal: body, SBSC: v.SBSC, Cost: v.Cost, Budget: v.Budget})
		return b
	})
}

// sameRef turns the refusal of a ref stored already (by another server,
// whose acknowledgement this one had not read yet) into that proposal's
// acknowledgement (off the plan goroutine).
func (p *plan) sameRef(it *item) {
	if it.err == nil || it.row.Ref == "" || store.ClassOf(it.err) != store.Constraint {
		return
	}
	a, ok := p.refAck(it.row.Council, it.row.Ref)
	if !ok {
		return
	}
	it.id, it.verdict, it.err, it.dup = a.id, a.verdict, nil, true
	it.req.f.Round = a.round
}

// accepted is the proposal.accepted frame for a.
func accepted(ref string, a ack) wire.ProposalAccepted {
	return wire.ProposalAccepted{Ref: ref, Round: a.round, ProposalID: a.id, SBSC: a.verdict.SBSC, Cost: a.verdict.Cost, Budget: a.verdict.Budget}
}
