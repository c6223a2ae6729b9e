package live

import (
	"context"
	"encoding/json"
	"fmt"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/store"
	"parecon/internal/wire"
	"parecon/planning"
)

// New goods (docs/new-goods.md): a worker council's good.propose and the
// facilitator's good.withdraw. The round process checks them
// (councils.Process.CheckGood, CheckWithdraw); each is stored as an audit
// event (good.accepted, good.withdrawn) and committed before it is applied
// and answered, so a restart replays it (replayGoods); a rejected one is
// stored only as its attempt (good.rejected). The catalogue grows as the
// next round opens, inside the process's close.

// The audit event types of new goods.
const (
	evGoodAccepted  = "good.accepted"
	evGoodRejected  = "good.rejected"
	evGoodWithdrawn = "good.withdrawn"
)

// goodAcceptedDetail is a good.accepted event's detail: what replay needs
// (the council's frame as the round process reads it) and what the
// council was told.
type goodAcceptedDetail struct {
	Ref      string                `json:"ref,omitempty"`
	Proposal councils.GoodProposal `json:"proposal"`
	Good     wire.NewGood          `json:"good"`
	OpensAt  int                   `json:"opensAt"`
}

// goodWithdrawnDetail is a good.withdrawn event's detail.
type goodWithdrawnDetail struct {
	Ref    string `json:"ref,omitempty"`
	Good   string `json:"good"`
	Reason string `json:"reason"`
}

// ProposeGood takes council who's good.propose and answers c with
// good.accepted (once it is stored) or good.rejected. The returned error
// is for an error frame: the frame was not allowed, or the store failed
// (then nothing of it was kept). A ref already accepted gets the same
// good.accepted again.
func (s *Service) ProposeGood(ctx context.Context, who Principal, c *hub.Client, f wire.GoodPropose) error {
	p, err := s.lookup(who, who.Plan, OpGoodPropose)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	if !p.post(func() { p.idle(func() { done <- p.proposeGood(ctx, who, c, f) }) }) {
		return errPlanGone
	}
	return p.await(ctx, done)
}

// proposeGood checks, stores, applies and answers a good.propose (plan
// goroutine, live idle).
func (p *plan) proposeGood(ctx context.Context, who Principal, c *hub.Client, f wire.GoodPropose) error {
	s := p.s
	if p.broken {
		return councils.Errorf(councils.Conflict, "round", "the plan is stopped: %s", p.reason)
	}
	ci, ok := p.proposer(who)
	if !ok {
		return councils.Errorf(councils.Forbidden, "", "council %q is not in this plan", who.Council)
	}
	if err := p.goodsHere(); err != nil {
		return err
	}
	key := ackKey(who.Council, f.Ref)
	if f.Ref != "" {
		if a, ok := p.goodAcks[key]; ok {
			s.send(c, a)
			return nil
		}
	}
	gp := councils.GoodProposal{Good: councils.GoodSpec{ID: f.Good.ID, Name: f.Good.Name, Unit: f.Good.Unit, Rival: f.Good.Rival}, Proposal: f.Proposal}
	if f.Price != nil {
		gp.Price = *f.Price
	}
	round := p.live.Round().Number
	ng, err := p.live.CheckGood(ci, round, gp)
	if err != nil {
		cerr := councils.AsError(err)
		if cerr.Kind != councils.Invalid && cerr.Kind != councils.Conflict {
			return cerr
		}
		ev := s.event(p.id, evGoodRejected, &round, who.Council, map[string]any{"reason": cerr.Message, "field": cerr.Field, "ref": f.Ref, "good": string(truncate([]byte(f.Good.ID), 64))})
		if err := s.store.AddEvents(ctx, ev); err != nil {
			return unavailable(err)
		}
		s.send(c, wire.GoodRejected{Ref: f.Ref, Reason: cerr.Message, Field: cerr.Field})
		return nil
	}
	frame := wire.GoodAccepted{Ref: f.Ref, Good: wireGood(ng), OpensAt: ng.OpensAt}
	ev := s.event(p.id, evGoodAccepted, &round, who.Council, goodAcceptedDetail{Ref: f.Ref, Proposal: gp, Good: frame.Good, OpensAt: ng.OpensAt})
	if err := s.store.AddEvents(ctx, ev); err != nil {
		return unavailable(err)
	}
	p.live.AcceptGood(ng)
	p.proposedBy[ng.ID] = ng.ProposedBy
	if f.Ref != "" {
		p.goodAcks[key] = frame
	}
	s.send(c, frame)
	return nil
}

// WithdrawGood takes the facilitator's good.withdraw and answers c with
// good.withdrawn once it is stored.
func (s *Service) WithdrawGood(ctx context.Context, who Principal, c *hub.Client, f wire.GoodWithdraw) error {
	p, err := s.lookup(who, who.Plan, OpGoodWithdraw)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	if !p.post(func() {
		p.idle(func() {
			if p.broken {
				done <- councils.Errorf(councils.Conflict, "round", "the plan is stopped: %s", p.reason)
				return
			}
			if err := p.goodsHere(); err != nil {
				done <- err
				return
			}
			if err := p.live.CheckWithdraw(f.Good, f.Reason); err != nil {
				done <- err
				return
			}
			round := p.live.Round().Number
			ev := s.event(p.id, evGoodWithdrawn, &round, "", goodWithdrawnDetail{Ref: f.Ref, Good: f.Good, Reason: f.Reason})
			if err := s.store.AddEvents(ctx, ev); err != nil {
				done <- unavailable(err)
				return
			}
			if err := p.live.WithdrawGood(f.Good, f.Reason); err != nil {
				done <- councils.InternalError(err)
				return
			}
			s.send(c, wire.GoodWithdrawn{Ref: f.Ref, Good: f.Good})
			done <- nil
		})
	}) {
		return errPlanGone
	}
	return p.await(ctx, done)
}

// wireGood is ng as the protocol announces it.
func wireGood(ng councils.NewGood) wire.NewGood {
	return wire.NewGood{ID: ng.ID, Name: ng.Name, Unit: ng.Unit, Rival: ng.Rival, Kind: ng.Kind, Price: ng.Price, ProposedBy: ng.ProposedBy}
}

// openingGoods returns the new goods that join the catalogue in round r.
func openingGoods(lv *councils.Live, r int) []wire.NewGood {
	var out []wire.NewGood
	for _, g := range lv.NewGoods() {
		if g.OpensAt == r {
			out = append(out, wireGood(g))
		}
	}
	return out
}

// closedRounds returns lv's closed rounds, in order (after the catalogue
// grew, the board's grown copies).
func closedRounds(lv *councils.Live) []*planning.Round {
	var out []*planning.Round
	for _, r := range lv.Board().Rounds() {
		if r.Closed {
			out = append(out, r)
		}
	}
	return out
}

// replayGoods applies the stored new goods and withdrawals of round to lv,
// in the order they were stored, and rebuilds their acknowledgements.
func (p *plan) replayGoods(lv *councils.Live, events []store.Event) error {
	for _, ev := range events {
		switch ev.Type {
		case evGoodAccepted:
			var d goodAcceptedDetail
			if err := json.Unmarshal(ev.Detail, &d); err != nil {
				return fmt.Errorf("stored new good (event %d): %w", ev.Seq, err)
			}
			c, ok := lv.Econ.Council(ev.Council)
			if !ok {
				return fmt.Errorf("stored new good (event %d) names unknown council %q", ev.Seq, ev.Council)
			}
			ng, err := lv.ProposeGood(c, *ev.Round, d.Proposal)
			if err != nil {
				return fmt.Errorf("stored new good %q (event %d) no longer passes: %w", d.Good.ID, ev.Seq, err)
			}
			p.proposedBy[ng.ID] = ng.ProposedBy
			if d.Ref != "" {
				p.goodAcks[ackKey(ev.Council, d.Ref)] = wire.GoodAccepted{Ref: d.Ref, Good: wireGood(ng), OpensAt: ng.OpensAt}
			}
		case evGoodWithdrawn:
			var d goodWithdrawnDetail
			if err := json.Unmarshal(ev.Detail, &d); err != nil {
				return fmt.Errorf("stored withdrawal (event %d): %w", ev.Seq, err)
			}
			if err := lv.WithdrawGood(d.Good, d.Reason); err != nil {
				return fmt.Errorf("stored withdrawal of %q (event %d): %w", d.Good, ev.Seq, err)
			}
		}
	}
	return nil
}

// goodsHere refuses a new good or a withdrawal on a server that follows
// another's engine (several servers, cluster.go): the leader would not
// see it, since followers forward proposals and closes, not catalogue
// changes (docs/cluster.md).
func (p *plan) goodsHere() error {
	if p.cl.follower {
		return councils.Errorf(councils.Unavailable, "good", "this server does not run the plan's engine: on several servers, new goods are taken only by the one that leads the plan (docs/cluster.md); try again after reconnecting")
	}
	return nil
}
