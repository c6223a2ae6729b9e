package live

import (
	"context"
	"encoding/json"
	"time"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/store"
	"parecon/planning"
)

// closer is who asked for a round to close, to carry the ref of their
// frame on their copy of round.closed.
type closer struct {
	client *hub.Client
	ref    string
}

// CloseRound closes plan's open round at the facilitator's request.
func (s *Service) CloseRound(ctx context.Context, who Principal, planID string, c *hub.Client, ref string) *councils.Error {
	if err := who.Authorize(planID, RoleFacilitator); err != nil {
		return err
	}
	p, err := s.plan(planID)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var cl *closer
	if c != nil {
		cl = &closer{c, ref}
	}
	return s.closeRound(ctx, p, "closed by the facilitator", cl)
}

// roundResult is a closed round's totals as stored and sent.
type roundResult struct {
	Round     int                `json:"round"`
	Prices    map[string]float64 `json:"prices"`
	Supply    map[string]float64 `json:"supply"`
	Demand    map[string]float64 `json:"demand"`
	Gaps      map[string]float64 `json:"gaps"`
	MaxGap    float64            `json:"maxGap"`
	Worst     string             `json:"worst"`
	Submitted []string           `json:"submitted"`
	Carried   []string           `json:"carried"`
	Converged bool               `json:"converged"`
}

// result returns the totals of closed round r.
func result(e *councils.Economy, r *planning.Round) roundResult {
	ids := func(pred func(i int) bool) []string {
		out := []string{}
		for i, c := range e.Plan.Councils {
			if pred(i) {
				out = append(out, c.ID)
			}
		}
		return out
	}
	return roundResult{
		Round: r.Number, Prices: e.PriceMap(r.Prices), Supply: e.PriceMap(r.Supply), Demand: e.PriceMap(r.Demand),
		Gaps: e.PriceMap(r.Gap), MaxGap: r.MaxGap, Worst: e.Plan.Goods[r.Worst].ID, Converged: r.Converged,
		Submitted: ids(func(i int) bool { return r.Fresh[i] }),
		Carried:   ids(func(i int) bool { return !r.Fresh[i] && r.Proposals[i] != nil }),
	}
}

// closeRound closes p's open round (p.mu held): at a deadline the human
// councils' models stand in where allowed; the close, the stand-ins, the
// next round and the plan's status commit in one transaction; then
// round.closed and round.opened or plan.converged go out. If the commit
// fails the plan is rebuilt from the database.
func (s *Service) closeRound(ctx context.Context, p *plan, why string, cl *closer) *councils.Error {
	// Let the proposals being committed land in this round first; hold
	// new ones back meanwhile. Another close in progress goes first.
	asked := p.live.Round().Number
	for p.closing {
		p.cond.Wait()
	}
	if n := p.live.Round().Number; n != asked {
		return councils.Errorf(councils.Conflict, "", "round %d has just closed; round %d is open", asked, n)
	}
	p.closing = true
	for p.pending > 0 {
		p.cond.Wait()
	}
	p.closing = false // p.mu is held from here to the end: nobody sees it
	defer p.cond.Broadcast()
	if st, _ := p.live.Status(); st != councils.StatusOpen {
		return councils.Errorf(councils.Conflict, "", "the plan is %s: no round is open", st)
	}
	now := s.now()
	cur := p.live.Round()
	number := cur.Number
	var standins []store.Proposal
	var events []store.Event
	if why == reasonDeadline {
		for _, c := range p.live.Waiting() {
			pr := p.live.StandIn(c)
			if pr == nil {
				continue
			}
			id := p.econ.Plan.Councils[c].ID
			v := p.econ.Verdict(c, pr, cur.Prices, cur.Budgets[c])
			vb, _ := json.Marshal(v)
			standins = append(standins, store.Proposal{PlanID: p.id, Round: number, Council: id, Body: councils.MarshalDoc(p.econ.Doc(c, pr)), Verdict: vb, Source: "standin", Created: now})
			events = append(events, s.event(p, "proposal.standin", &number, id, map[string]any{"reason": "no proposal by the deadline: the council's model answered for it", "verdict": v}))
			p.live.Accept(c, pr)
		}
	}
	res, err := p.live.Close()
	if err != nil {
		s.reload(ctx, p)
		return councils.AsError(err)
	}
	rr := result(p.econ, res.Closed)
	rb, _ := json.Marshal(rr)
	events = append(events, s.event(p, "round.closed", &number, "", map[string]any{"reason": why, "maxGap": rr.MaxGap, "worst": rr.Worst, "submitted": rr.Submitted, "carried": rr.Carried}))
	var next *store.Round
	due := time.Time{}
	if res.Next != nil {
		if p.deadline > 0 {
			due = now.Add(p.deadline)
		}
		n := res.Next.Number
		next = &store.Round{PlanID: p.id, Number: n, Prices: res.Next.Prices, Opened: now, Deadline: due}
		events = append(events, s.event(p, "round.opened", &n, "", map[string]any{"prices": p.econ.PriceMap(res.Next.Prices), "step": res.Step, "deadline": timeOrNil(due)}))
	} else {
		st, reason := p.live.Status()
		events = append(events, s.event(p, "plan."+string(st), &number, "", map[string]any{"reason": reason, "maxGap": rr.MaxGap}))
	}
	st, reason := p.live.Status()
	if err := s.store.CloseRound(ctx, store.Round{PlanID: p.id, Number: number, Closed: now, Result: rb}, standins, next, string(st), events); err != nil {
		s.log.Error("storing a round's close", "plan", p.id, "round", number, "err", err)
		s.reload(ctx, p)
		return unavailable(err)
	}
	// Committed: announce.
	closedMsg := frame("round.closed", "round", rr.Round, "prices", rr.Prices, "supply", rr.Supply, "demand", rr.Demand,
		"gaps", rr.Gaps, "maxGap", rr.MaxGap, "submitted", rr.Submitted, "carried", rr.Carried, "reason", why)
	var mine []byte
	if cl != nil && cl.ref != "" {
		mine = frame("round.closed", "ref", cl.ref, "round", rr.Round, "prices", rr.Prices, "supply", rr.Supply, "demand", rr.Demand,
			"gaps", rr.Gaps, "maxGap", rr.MaxGap, "submitted", rr.Submitted, "carried", rr.Carried, "reason", why)
	}
	s.hub.BroadcastEach(p.id, func(c *hub.Client) []byte {
		if mine != nil && c == cl.client {
			return mine
		}
		return closedMsg
	})
	if res.Next != nil {
		p.opened, p.due = now, due
		s.broadcastOpened(p)
		s.arm(p)
	} else {
		if p.timer != nil {
			p.timer.Stop()
		}
		p.due = time.Time{}
		if st == councils.StatusConverged {
			s.hub.Broadcast(p.id, frame("plan.converged", "round", number, "prices", rr.Prices))
		} else {
			s.hub.Broadcast(p.id, frame("plan.stopped", "round", number, "reason", reason))
		}
	}
	s.log.Info("round closed", "plan", p.id, "round", number, "maxGap", rr.MaxGap, "status", st, "why", why)
	return nil
}

// reasonDeadline is why a round closed at its deadline.
const reasonDeadline = "the deadline passed"

// broadcastOpened sends round.opened, with each consumer council's budget
// on its own copy.
func (s *Service) broadcastOpened(p *plan) {
	r := p.live.Round()
	prices := p.econ.PriceMap(r.Prices)
	common := frame("round.opened", "round", r.Number, "prices", prices, "deadline", timeOrNil(p.due))
	budgets := map[string][]byte{}
	for i, c := range p.econ.Plan.Councils {
		if c.Role == planning.Consumer && p.live.Human(i) {
			budgets[c.ID] = frame("round.opened", "round", r.Number, "prices", prices, "deadline", timeOrNil(p.due), "budget", r.Budgets[i])
		}
	}
	s.hub.BroadcastEach(p.id, func(c *hub.Client) []byte {
		if c.Role == RoleCouncil {
			if b, ok := budgets[c.Council]; ok {
				return b
			}
		}
		return common
	})
}

// arm sets p's timer for its open round's deadline (p.mu held).
func (s *Service) arm(p *plan) {
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	if st, _ := p.live.Status(); st != councils.StatusOpen || p.due.IsZero() {
		return
	}
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return
	}
	round := p.live.Round().Number
	d := time.Until(p.due)
	if d < 0 {
		d = 0
	}
	p.timer = time.AfterFunc(d, func() { s.deadline(p, round) })
}

// deadline closes round of p if it is still open and due.
func (s *Service) deadline(p *plan, round int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, _ := p.live.Status(); st != councils.StatusOpen || p.live.Round().Number != round || p.due.IsZero() {
		return
	}
	if wait := time.Until(p.due); wait > 0 {
		s.arm(p)
		return
	}
	if err := s.closeRound(context.Background(), p, reasonDeadline, nil); err != nil {
		s.log.Error("closing a round at its deadline", "plan", p.id, "round", round, "err", err)
	}
}

// SetRoundDeadline sets the time each round of plan may stay open
// (0 = no deadline). The open round's deadline becomes now + d. Everyone in
// the plan gets settings.changed; the facilitator's frame carries ref.
func (s *Service) SetRoundDeadline(ctx context.Context, who Principal, planID string, seconds int, c *hub.Client, ref string) (map[string]any, *councils.Error) {
	if err := who.Authorize(planID, RoleFacilitator); err != nil {
		return nil, err
	}
	if seconds < 0 || seconds > 365*24*3600 {
		return nil, councils.Errorf(councils.Invalid, "roundDeadlineSeconds", "want a whole number of seconds from 0 (none) to one year")
	}
	p, err := s.plan(planID)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	d := time.Duration(seconds) * time.Second
	due := time.Time{}
	open := false
	if st, _ := p.live.Status(); st == councils.StatusOpen {
		open = true
		if d > 0 {
			due = s.now().Add(d)
		}
	}
	round := p.live.Round().Number
	if serr := s.store.SetRoundDeadline(ctx, p.id, d, round, due, s.event(p, "settings.changed", &round, "", map[string]any{"roundDeadlineSeconds": seconds, "deadline": timeOrNil(due)})); serr != nil {
		return nil, councils.InternalError(serr)
	}
	p.deadline = d
	if open {
		p.due = due
		s.arm(p)
	}
	out := map[string]any{"roundDeadlineSeconds": seconds, "round": round, "deadline": timeOrNil(p.due)}
	msg := frame("settings.changed", "roundDeadlineSeconds", seconds, "round", round, "deadline", timeOrNil(p.due))
	mine := frame("settings.changed", "ref", ref, "roundDeadlineSeconds", seconds, "round", round, "deadline", timeOrNil(p.due))
	s.hub.BroadcastEach(p.id, func(cl *hub.Client) []byte {
		if c != nil && cl == c {
			return mine
		}
		return msg
	})
	return out, nil
}
