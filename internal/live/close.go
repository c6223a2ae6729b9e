package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/proof"
	"parecon/internal/store"
	"parecon/internal/wire"
	"parecon/planning"
)

// Why a round closed, as round.closed's reason and the audit log say.
const (
	reasonFacilitator = "closed by the facilitator"
	reasonAllIn       = "all human councils submitted"
	reasonDeadline    = "the deadline passed"
)

// closeReq is a request to close a round.
type closeReq struct {
	round  *int // the round meant; nil = the open one
	why    string
	client *hub.Client // who asked with round.close, to get its ref back
	ref    string
	done   chan error // the outcome, if someone waits for it
}

func (r *closeReq) answer(err error) {
	if r.done != nil {
		r.done <- err
	}
}

// CloseRound closes round (the open one if nil) of plan at the
// facilitator's request and returns once it has closed and the next
// round is announced. A round that is not open, or is already closing,
// is a conflict and nothing changes. c and ref, from a round.close frame,
// get that facilitator its ref on round.closed.
func (s *Service) CloseRound(ctx context.Context, who Principal, planID string, round *int, c *hub.Client, ref string) error {
	p, err := s.lookup(who, planID, OpClose)
	if err != nil {
		return err
	}
	r := &closeReq{round: round, why: reasonFacilitator, client: c, ref: ref, done: make(chan error, 1)}
	if !p.post(func() { p.requestClose(r) }) {
		return errPlanGone
	}
	return p.await(ctx, r.done)
}

// requestClose starts closing the round r means, once the proposals being
// committed have landed in it (plan goroutine).
func (p *plan) requestClose(r *closeReq) {
	if p.broken || p.status != councils.StatusOpen {
		r.answer(councils.Errorf(councils.Conflict, "", "the plan is %s: no round is open", p.status))
		return
	}
	cur := p.round().number
	if p.busy || p.wantClose != nil {
		r.answer(councils.Errorf(councils.Conflict, "round", "round %d is already closing", cur))
		return
	}
	if r.round != nil && *r.round != cur {
		if *r.round < cur {
			r.answer(councils.Errorf(councils.Conflict, "round", "round %d is closed; round %d is open", *r.round, cur))
		} else {
			r.answer(councils.Errorf(councils.Conflict, "round", "round %d has not opened; round %d is open", *r.round, cur))
		}
		return
	}
	if p.cl.follower {
		p.forwardClose(r) // the leader closes it
		return
	}
	if p.pending > 0 {
		p.wantClose = r // committed starts it
		return
	}
	p.startClose(r)
}

// closeHook, when a test sets it, sees (and may spoil, or panic on) each
// closed round's result on the worker before it is encoded.
var closeHook atomic.Pointer[func(round int, row *wire.RoundRow)]

// closeOut is what the worker closing a round hands back.
type closeOut struct {
	res     *councils.CloseResult
	row     wire.RoundRow
	pub     wire.RoundRow     // row as the public sees it
	fedHeld [][]string        // per federation, the sides its roll-up withholds by the change test
	commit  *proof.Commitment // the round's Merkle root and chain
	closed  []byte            // round.closed, public
	all     []byte            // round.closed in full, for a facilitator who sees all
	mine    []byte            // round.closed with the closer's ref
	opened  []byte            // round.opened, or the plan's end frame
	budgets map[string][]byte // round.opened for each human consumer council
	status  councils.Status
	reason  string
	now     time.Time
	due     time.Time
	fatal   string // the plan stops for this reason
	err     error  // the store refused the close: nothing of it happened
	fresh   *plan  // the plan as reloaded after err, nil if it could not be

	// econ is live's economy after the close (grown by new goods).
	econ  *councils.Economy
	stale bool // err: another server stored proposals the close missed
}

// startClose hands the round to a worker (plan goroutine, live idle, no
// proposal pending). At a deadline the human councils' models stand in
// first, where allowed. Until the worker is done the plan answers reads
// from the frozen round and holds the rest back.
func (p *plan) startClose(r *closeReq) {
	s := p.s
	now := s.now()
	cur := p.live.Round()
	number := cur.Number
	var standins []store.Proposal
	var events []store.Event
	if r.why == reasonDeadline {
		for _, c := range p.live.Waiting() {
			pr := p.live.StandIn(c)
			if pr == nil {
				continue
			}
			id := p.econ.Plan.Councils[c].ID
			v := p.econ.Verdict(c, pr, cur.Prices, cur.Budgets[c])
			vb, _ := json.Marshal(v)
			standins = append(standins, store.Proposal{PlanID: p.id, Round: number, Council: id, Body: councils.MarshalDoc(p.econ.Doc(c, pr)), Verdict: vb, Source: "standin", Created: now})
			detail := map[string]any{"reason": "no proposal by the deadline: the council's model answered for it", "verdict": v}
			if p.aggregates.Load() {
				delete(detail, "verdict")
			}
			events = append(events, s.event(p.id, "proposal.standin", &number, id, detail))
			p.live.Accept(c, pr)
			p.byModel[c] = true
		}
	}
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	p.frozen = p.freeze()
	p.busy = true
	deadline, ref, seen, privRaw := p.deadline, r.ref, p.seenCount(), p.privRaw
	go func() {
		out := p.closeWork(number, r.why, ref, now, deadline, standins, events, seen, privRaw)
		if !p.postResult(func() { p.closeDone(r, out) }) {
			r.answer(errPlanGone)
		}
	}()
}

// closeWork closes round number on the worker goroutine, which owns live
// until closeDone: the engine runs, the round's result and every frame
// about it are encoded (a value JSON cannot carry stops the plan before
// anything is stored), then the close, the stand-ins, the next round and
// the plan's status commit in one transaction. A panic stops the plan; a
// refused commit reloads the plan from the database.
func (p *plan) closeWork(number int, why, ref string, now time.Time, deadline time.Duration, standins []store.Proposal, events []store.Event, seen *int, privRaw []byte) (out closeOut) {
	s := p.s
	out.now = now
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("closing a round panicked; the plan stops", "plan", p.id, "round", number, "panic", r, "stack", string(debug.Stack()))
			out = closeOut{fatal: fmt.Sprintf("the engine failed closing round %d (%v); the plan is stopped", number, r)}
		}
	}()
	res, err := p.live.Close()
	if err != nil {
		return closeOut{fatal: fmt.Sprintf("the engine failed closing round %d (%v); the plan is stopped", number, err)}
	}
	out.res = res
	// The catalogue may have grown as the next round opened (new goods):
	// the worker reads the economy from live, which it owns.
	e := p.live.Econ
	out.econ = e
	out.row = result(e, res.Closed)
	for _, sp := range standins {
		out.row.StandIns = append(out.row.StandIns, sp.Council)
	}
	if hook := closeHook.Load(); hook != nil {
		(*hook)(number, &out.row)
	}
	out.pub = p.priv.public(e, res.Closed, out.row)
	out.fedHeld = p.priv.fedChanges(e, res.Closed)
	if out.commit, err = p.commit(res.Closed); err != nil {
		return closeOut{fatal: fmt.Sprintf("round %d's proposals cannot be committed to (%v); the plan is stopped", number, err)}
	}
	if res.Next != nil {
		p.prepare(res.Next)
	}
	out.status, out.reason = p.live.Status()
	if err := p.encodeClose(&out, why, ref, deadline); err != nil {
		return closeOut{fatal: fmt.Sprintf("round %d's results are not finite numbers (%v); the plan is stopped", number, err)}
	}
	rb, err := json.Marshal(out.row)
	if err != nil {
		return closeOut{fatal: fmt.Sprintf("round %d's results cannot be stored (%v); the plan is stopped", number, err)}
	}
	rr := out.row
	if p.aggregates.Load() {
		rr = out.pub // the facilitator reads the audit log
	}
	events = append(events, s.event(p.id, "round.closed", &number, "", map[string]any{"reason": why, "maxGap": rr.MaxGap, "withheld": out.pub.Withheld, "worst": rr.Worst, "submitted": rr.Submitted, "carried": rr.Carried, "standins": rr.StandIns}))
	var next *store.Round
	if res.Next != nil {
		n := res.Next.Number
		next = &store.Round{PlanID: p.id, Number: n, Prices: res.Next.Prices, Opened: now, Deadline: out.due}
		events = append(events, s.event(p.id, "round.opened", &n, "", map[string]any{"prices": e.PriceMap(res.Next.Prices), "step": res.Step, "deadline": wire.Time(out.due)}))
	} else {
		events = append(events, s.event(p.id, "plan."+string(out.status), &number, "", map[string]any{"reason": out.reason, "maxGap": rr.MaxGap}))
	}
	ctx := context.Background()
	closed := store.Round{PlanID: p.id, Number: number, Closed: now, Result: rb, Commit: storeCommit(number, out.commit), Seen: seen, Privacy: privRaw}
	if err := s.store.CloseRound(ctx, closed, standins, next, string(out.status), events); err != nil {
		if out.stale = errors.Is(err, store.ErrStale); out.stale {
			s.log.Info("another server stored proposals the close had not read; reloading the plan and closing again", "plan", p.id, "round", number)
		} else {
			s.log.Error("storing a round's close; reloading the plan", "plan", p.id, "round", number, "err", err)
		}
		out.err = unavailable(err)
		fresh, rerr := s.reload(ctx, p.id)
		if rerr != nil {
			s.log.Error("reloading a plan", "plan", p.id, "err", rerr)
		}
		out.fresh = fresh
	}
	return out
}

// encodeClose encodes the frames announcing out's close.
func (p *plan) encodeClose(out *closeOut, why, ref string, deadline time.Duration) error {
	rr, res := out.row, out.res
	var err error
	if out.closed, err = wire.Encode(roundClosed(out.pub, why, "")); err != nil {
		return err
	}
	if out.all, err = wire.Encode(roundClosed(rr, why, "")); err != nil {
		return err
	}
	if ref != "" {
		mine := out.pub
		if p.priv.facilitatorSeesAll() {
			mine = rr
		}
		if out.mine, err = wire.Encode(roundClosed(mine, why, ref)); err != nil {
			return err
		}
	}
	if res.Next == nil {
		if out.status == councils.StatusConverged {
			out.opened, err = wire.Encode(wire.PlanConverged{Round: rr.Round, Prices: rr.Prices})
		} else {
			out.opened, err = wire.Encode(wire.PlanStopped{Round: rr.Round, Reason: out.reason})
		}
		return err
	}
	if deadline > 0 {
		out.due = out.now.Add(deadline)
	}
	r := res.Next
	e := out.econ
	prices := e.PriceMap(r.Prices)
	levy, fund, k := commonsView(e, r.Levy, r.Fund, r.K)
	newGoods, withdrawn := openingGoods(p.live, r.Number), p.live.WithdrawnIn(rr.Round)
	if out.opened, err = wire.Encode(wire.RoundOpened{Round: r.Number, Prices: prices, Deadline: wire.Time(out.due),
		Levy: levy, Fund: fund, Commons: k, NewGoods: newGoods, WithdrawnGoods: withdrawn}); err != nil {
		return err
	}
	out.budgets = map[string][]byte{}
	for i, c := range e.Plan.Councils {
		if c.Role == planning.Consumer && p.live.Human(i) {
			if out.budgets[c.ID], err = wire.WithBudget(out.opened, r.Budgets[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// closeDone takes the worker's close back (plan goroutine): on success
// everyone is told and the next round's deadline armed; then the work
// held back runs.
func (p *plan) closeDone(r *closeReq, out closeOut) {
	s := p.s
	p.busy = false
	if out.fatal != "" {
		p.fail(out.fatal)
		r.answer(&councils.Error{Kind: councils.Internal, Message: out.fatal})
		return
	}
	p.frozen = nil
	if out.err != nil {
		if out.fresh == nil {
			p.fail("the plan could not be reloaded after the database refused a round's close; restart the server")
		} else {
			p.adopt(out.fresh)
			p.publish()
			p.arm()
			if out.stale {
				// The round, with what it missed, closes again.
				p.release()
				p.requestClose(r)
				return
			}
		}
		r.answer(out.err)
		p.release()
		return
	}
	p.status, p.reason = out.status, out.reason
	p.results = append(p.results, out.row)
	p.closed = append(p.closed, out.res.Closed)
	if grew := len(out.econ.Plan.Goods) != len(p.econ.Plan.Goods); grew {
		// New goods joined: the closed rounds are the board's grown copies,
		// and the next rounds' leaves name the new goods too.
		p.closed = closedRounds(p.live)
		p.leaves = newLeafMaker(out.econ, p.human)
	}
	p.econ = out.econ
	p.public = append(p.public, out.pub)
	p.fedHeld = append(p.fedHeld, out.fedHeld)
	p.chain = out.commit.Chain
	p.latest.Store(newServedRound(out.row.Round, out.commit))
	all := p.priv.facilitatorSeesAll()
	s.hub.BroadcastEach(p.id, func(c *hub.Client) []byte {
		if out.mine != nil && c == r.client {
			return out.mine
		}
		if all && c.Role == RoleFacilitator {
			return out.all
		}
		return out.closed
	})
	if out.res.Next != nil {
		p.opened, p.due = out.now, out.due
		s.hub.BroadcastEach(p.id, func(c *hub.Client) []byte {
			if c.Role == RoleCouncil || c.Role == RoleFederation {
				if b, ok := out.budgets[c.Council]; ok {
					return b
				}
			}
			return out.opened
		})
		p.arm()
	} else {
		p.due = time.Time{}
		s.hub.Broadcast(p.id, out.opened)
	}
	p.publish()
	s.log.Info("round closed", "plan", p.id, "round", out.row.Round, "maxGap", *out.row.MaxGap, "status", out.status, "why", r.why)
	r.answer(nil)
	p.release()
	p.syncIfWanted()
}

// roundClosed returns the round.closed frame of row.
func roundClosed(row wire.RoundRow, why, ref string) wire.RoundClosed {
	return wire.RoundClosed{Ref: ref, Round: row.Round, Prices: row.Prices, Supply: row.Supply, Demand: row.Demand, Gaps: row.Gaps,
		MaxGap: row.MaxGap, Submitted: row.Submitted, Carried: row.Carried, Reason: why,
		Withheld: row.Withheld, WithinTolerance: row.WithinTolerance, WithheldOpen: row.WithheldOpen, K: row.K, StandIns: row.StandIns,
		Levy: row.Levy, Fund: row.Fund, Commons: row.Commons, Users: row.Users}
}

// result returns the full totals of closed round r (what a facilitator
// who sees all is shown).
func result(e *councils.Economy, r *planning.Round) wire.RoundRow {
	ids := func(pred func(i int) bool) []string {
		out := []string{}
		for i, c := range e.Plan.Councils {
			if pred(i) {
				out = append(out, c.ID)
			}
		}
		return out
	}
	totals := func(x []float64) map[string]*float64 {
		m := make(map[string]*float64, len(x))
		for j, g := range e.Plan.Goods {
			v := x[j]
			m[g.ID] = &v
		}
		return m
	}
	maxGap := r.MaxGap
	row := wire.RoundRow{
		Round: r.Number, Prices: e.PriceMap(r.Prices), Supply: totals(r.Supply), Demand: totals(r.Demand),
		Gaps: totals(r.Gap), MaxGap: &maxGap, Worst: e.Plan.Goods[r.Worst].ID, Converged: r.Converged, Withheld: []string{},
		Submitted: ids(func(i int) bool { return r.Fresh[i] }),
		Carried:   ids(func(i int) bool { return !r.Fresh[i] && r.Proposals[i] != nil }),
		Users:     usersOf(e, r),
		StandIns:  []string{},
	}
	row.Levy, row.Fund, row.Commons = commonsView(e, r.Levy, r.Fund, r.K)
	return row
}

// arm sets p's timer for its open round's deadline (plan goroutine).
func (p *plan) arm() {
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	if p.broken || p.busy || p.cl.follower || p.status != councils.StatusOpen || p.due.IsZero() {
		return
	}
	round := p.live.Round().Number
	p.timer = time.AfterFunc(max(time.Until(p.due), 0), func() {
		p.post(func() { p.onDeadline(round) })
	})
}

// onDeadline closes round if it is still open and due.
func (p *plan) onDeadline(round int) {
	if p.broken || p.busy || p.wantClose != nil || p.status != councils.StatusOpen || p.due.IsZero() || p.live.Round().Number != round {
		return
	}
	if time.Until(p.due) > 0 {
		p.arm()
		return
	}
	p.requestClose(&closeReq{round: &round, why: reasonDeadline})
}

// SetRoundDeadline sets the time each round of plan may stay open
// (0 = none). The open round's deadline becomes now + seconds. Everyone in
// the plan gets settings.changed; c, the facilitator's connection that
// asked with settings.update, gets it with ref.
func (s *Service) SetRoundDeadline(ctx context.Context, who Principal, planID string, seconds int, c *hub.Client, ref string) (wire.SettingsChanged, error) {
	p, err := s.lookup(who, planID, OpSettings)
	if err != nil {
		return wire.SettingsChanged{}, err
	}
	if seconds < 0 || seconds > 365*24*3600 {
		return wire.SettingsChanged{}, councils.Errorf(councils.Invalid, "roundDeadlineSeconds", "want a whole number of seconds from 0 (none) to one year")
	}
	var out wire.SettingsChanged
	done := make(chan error, 1)
	if !p.post(func() {
		p.idle(func() {
			var err error
			out, err = p.setDeadline(ctx, seconds, c, ref)
			done <- err
		})
	}) {
		return out, errPlanGone
	}
	return out, p.await(ctx, done)
}

// setDeadline commits, applies and announces a new deadline setting (plan
// goroutine, live idle).
func (p *plan) setDeadline(ctx context.Context, seconds int, c *hub.Client, ref string) (wire.SettingsChanged, error) {
	s := p.s
	d := time.Duration(seconds) * time.Second
	due := time.Time{}
	open := !p.broken && p.status == councils.StatusOpen
	if open && d > 0 {
		due = s.now().Add(d)
	}
	round := p.round().number
	ev := s.event(p.id, "settings.changed", &round, "", map[string]any{"roundDeadlineSeconds": seconds, "deadline": wire.Time(due)})
	if err := s.store.SetRoundDeadline(ctx, p.id, d, round, due, ev); err != nil {
		return wire.SettingsChanged{}, unavailable(err)
	}
	p.deadline = d
	if open {
		p.due = due
		p.arm()
	}
	out := wire.SettingsChanged{RoundDeadlineSeconds: seconds, Round: round, Deadline: wire.Time(p.due)}
	msg, err := wire.Encode(out)
	if err != nil {
		return out, councils.InternalError(err)
	}
	mine := msg
	if ref != "" {
		withRef := out
		withRef.Ref = ref
		mine, _ = wire.Encode(withRef)
	}
	s.hub.BroadcastEach(p.id, func(cl *hub.Client) []byte {
		if c != nil && cl == c {
			return mine
		}
		return msg
	})
	return out, nil
}
