package live

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"

	"parecon/councils"
	"parecon/internal/store"
	"parecon/internal/wire"
	"parecon/planning"
)

// Page selects a page of proposals or audit events: after the proposal id
// After (and, for proposals, the rejected attempt's audit seq
// AfterRejected), at most Limit (0 = the default), of one Round if ≥ 0.
type Page struct {
	Round         int
	After         int64
	AfterRejected int64
	Limit         int
}

// limit returns q's limit, or an invalid error naming "limit".
func (s *Service) limit(q Page) (int, error) {
	if q.Limit == 0 {
		return s.opt.PageLimit, nil
	}
	if q.Limit < 0 || q.Limit > s.opt.MaxPageLimit {
		return 0, councils.Errorf(councils.Invalid, "limit", "limit must be from 1 to %d", s.opt.MaxPageLimit)
	}
	return q.Limit, nil
}

// Proposals returns a page of the proposals of plan id with their check
// results: to the facilitator every council's, to a council its own;
// observers may not. A page holds up to limit accepted proposals (by id,
// after q.After) and up to limit rejected attempts (by audit seq, after
// q.AfterRejected), sorted by round and time; Next is set while either
// kind may have more. The facilitator's first page of one round
// (q.Round ≥ 0) also lists the simulated councils' proposals, derived
// from their models (no id, no time).
func (s *Service) Proposals(ctx context.Context, who Principal, id string, q Page) (wire.Proposals, error) {
	p, err := s.lookup(who, id, OpProposals)
	if err != nil {
		return wire.Proposals{}, err
	}
	if who.Role == RoleFacilitator && p.aggregates.Load() {
		return wire.Proposals{}, private
	}
	limit, err := s.limit(q)
	if err != nil {
		return wire.Proposals{}, err
	}
	sq := store.PageQuery{Plan: id, Round: q.Round, After: q.After, Limit: limit}
	if who.Proposer() {
		sq.Council = who.Council
	}
	stored, err := s.store.ProposalsPage(ctx, sq)
	if errors.Is(err, store.ErrNotFound) {
		return wire.Proposals{}, councils.Errorf(councils.Invalid, "after", "%d is not a proposal of plan %s: pass back the previous page's cursor", q.After, id)
	}
	if err != nil {
		return wire.Proposals{}, councils.InternalError(err)
	}
	sq.After = q.AfterRejected
	rejected, err := s.store.EventsPage(ctx, sq, store.RejectedType)
	if err != nil {
		return wire.Proposals{}, councils.InternalError(err)
	}
	type keyed struct {
		seq int
		v   wire.Proposal
	}
	var all []keyed
	for i, sp := range stored {
		var v councils.Verdict
		if err := store.DecodeJSON("the verdict of proposal "+strconv.FormatInt(sp.ID, 10), sp.Verdict, &v); err != nil {
			return wire.Proposals{}, councils.InternalError(err)
		}
		at := sp.Created
		all = append(all, keyed{i, wire.Proposal{Round: sp.Round, Council: sp.Council, Proposal: sp.Body, SBSC: v.SBSC, Cost: v.Cost, Budget: v.Budget, Status: "accepted", Source: sp.Source, ID: sp.ID, At: &at}})
	}
	for i, ev := range rejected {
		if ev.Round == nil {
			continue
		}
		var d struct {
			Reason   string          `json:"reason"`
			Field    string          `json:"field"`
			Size     int             `json:"size"`
			Proposal json.RawMessage `json:"proposal"`
		}
		if err := store.DecodeJSON("the detail of event "+strconv.FormatInt(ev.Seq, 10), ev.Detail, &d); err != nil {
			return wire.Proposals{}, councils.InternalError(err)
		}
		at := ev.At
		all = append(all, keyed{len(stored) + i, wire.Proposal{Round: *ev.Round, Council: ev.Council, Proposal: d.Proposal, Status: "rejected", Source: "human", Reason: d.Reason, Field: d.Field, Size: d.Size, Seq: ev.Seq, At: &at}})
	}
	if who.Role == RoleFacilitator && q.Round >= 0 && q.After == 0 && q.AfterRejected == 0 {
		var sim []wire.Proposal
		done := make(chan error, 1)
		if !p.post(func() { p.idle(func() { sim = p.simulated(q.Round); done <- nil }) }) {
			return wire.Proposals{}, errPlanGone
		}
		if err := p.await(ctx, done); err != nil {
			return wire.Proposals{}, err
		}
		for _, v := range sim {
			all = append(all, keyed{-1, v})
		}
	}
	sort.SliceStable(all, func(a, b int) bool {
		va, vb := all[a].v, all[b].v
		if va.Round != vb.Round {
			return va.Round < vb.Round
		}
		ta, tb := va.At, vb.At
		if (ta == nil) != (tb == nil) {
			return ta == nil
		}
		if ta != nil && !ta.Equal(*tb) {
			return ta.Before(*tb)
		}
		return all[a].seq < all[b].seq
	})
	out := wire.Proposals{Proposals: make([]wire.Proposal, len(all))}
	for i, k := range all {
		out.Proposals[i] = k.v
	}
	if len(stored) == limit || len(rejected) == limit {
		next := wire.Cursor{After: q.After, AfterRejected: q.AfterRejected}
		if n := len(stored); n > 0 {
			next.After = stored[n-1].ID
		}
		if n := len(rejected); n > 0 {
			next.AfterRejected = rejected[n-1].Seq
		}
		out.Next = &next
	}
	return out, nil
}

// simulated returns the simulated councils' proposals in round (plan
// goroutine, live idle); none once the plan has stopped on a failure.
func (p *plan) simulated(round int) []wire.Proposal {
	var out []wire.Proposal
	if p.broken {
		return out
	}
	var r *planning.Round
	for _, x := range p.live.Board().Rounds() {
		if x.Number == round {
			r = x
		}
	}
	if r == nil {
		return out
	}
	for c, pr := range r.Proposals {
		if pr == nil || !r.Fresh[c] || p.human[c] {
			continue
		}
		v := p.econ.Verdict(c, pr, r.Prices, r.Budgets[c])
		out = append(out, wire.Proposal{Round: r.Number, Council: p.econ.Plan.Councils[c].ID, Proposal: councils.MarshalDoc(p.econ.Doc(c, pr)), SBSC: v.SBSC, Cost: v.Cost, Budget: v.Budget, Status: "accepted", Source: "simulated"})
	}
	return out
}

// Audit returns a page of plan id's audit log (events after seq q.After,
// at most q.Limit), to its facilitator; Next is the seq to continue after
// while there may be more.
func (s *Service) Audit(ctx context.Context, who Principal, id string, q Page) (wire.Audit, error) {
	if _, err := s.lookup(who, id, OpAudit); err != nil {
		return wire.Audit{}, err
	}
	limit, err := s.limit(q)
	if err != nil {
		return wire.Audit{}, err
	}
	evs, err := s.store.EventsPage(ctx, store.PageQuery{Plan: id, Round: -1, After: q.After, Limit: limit}, "")
	if err != nil {
		return wire.Audit{}, councils.InternalError(err)
	}
	out := wire.Audit{Events: make([]wire.Event, len(evs))}
	for i, e := range evs {
		out.Events[i] = wire.Event{Seq: e.Seq, At: e.At, Type: e.Type, Round: e.Round, Council: e.Council, Detail: e.Detail}
	}
	if len(evs) == limit {
		next := evs[len(evs)-1].Seq
		out.Next = &next
	}
	return out, nil
}
