package live

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/wire"
	"parecon/planning"
)

// plan is one live plan. Its state is owned by its goroutine (run): every
// change and every read arrives as a message (a function run there), so
// nothing of it is locked. The engine (councils.Live.Close) runs on a
// worker goroutine while the plan goroutine answers reads from the round
// as it was frozen when the close began and holds submissions, settings
// and other closes back for after it.
type plan struct {
	s       *Service
	id      string
	name    string
	created time.Time
	econ    *councils.Economy
	inbox   chan func()
	back    chan func()   // commits and closes coming back: served before inbox
	quit    chan struct{} // closed by Service.Close
	done    chan struct{} // closed when run returns
	summary atomic.Pointer[wire.PlanSummary]
	// Fixed when the plan is compiled, so views never ask live.
	tolerance float64
	rule      string
	human     []bool

	// Owned by the plan goroutine.
	live     *councils.Live
	opts     councils.LiveOptions
	deadline time.Duration // the facilitator's setting: each round's time
	opened   time.Time     // when the current round opened
	due      time.Time     // the current round's deadline; zero = none
	timer    *time.Timer
	acks     map[string]ack     // by ackKey
	inflight map[string]*flight // by ackKey, for a ref resubmitted while it commits
	lastID   map[int]int64      // the last applied proposal id per council
	byModel  map[int]bool       // councils whose standing proposal a stand-in made
	results  []wire.RoundRow    // the closed rounds, in order
	closed   []*planning.Round  // the closed rounds as the board counted them, for the roll-ups
	public   []wire.RoundRow    // the same as the public sees them (privacy.go)
	fedHeld  [][][]string       // per closed round, per federation: the sides its roll-up withholds by the change test (privacy_federations.go)
	priv     *privacy           // owned like live
	privRaw  []byte             // plans.privacy as last read or written here (nil: the scenario's)
	chain    []byte             // the last closed round's chain (proof), nil before
	pre      *leafSet           // the open round's leaves, being made (proof.go); owned like live
	leaves   *leafMaker         // what making leaves needs (fixed; replaced with econ on a reload)
	// latest is the last closed round's tree and kept leaves, from which
	// its proofs are served without the database (the close publishes it).
	latest atomic.Pointer[servedRound]
	// aggregates mirrors priv's facilitator setting for the goroutines
	// that encode proposals and serve pages: the facilitator sees only
	// aggregates, and the audit log keeps no proposal bodies.
	aggregates atomic.Bool
	status     councils.Status
	reason     string
	// waiting counts the human councils that have not submitted in round
	// waitRound, so that a full round is noticed in O(1).
	waiting, waitRound int

	batch     []*item    // checked proposals not yet handed to the store
	flushing  bool       // a flush of batch is queued
	pending   int        // proposals handed to the store, not yet applied
	wantClose *closeReq  // a close waiting for pending to reach 0
	busy      bool       // a worker has live: it is closing the round
	frozen    *roundData // the round as it was when the close began (busy or broken)
	held      []func()   // work held back while busy or draining
	broken    bool       // the plan stopped on a failure: live is not touched again
	conns     map[string]int

	// New goods (newgoods.go): the accepted ones' acknowledgements, by
	// ackKey, and their proposers, by good id.
	goodAcks   map[string]wire.GoodAccepted
	proposedBy map[string]string
	cl         follow // several servers (cluster.go); zero without
}

// flight is a proposal being committed; its waiters get its answer.
type flight struct {
	waiters []*submitReq
}

// ack is the answer to an accepted proposal, kept for idempotent
// resubmission with the same ref.
type ack struct {
	round   int
	id      int64
	verdict councils.Verdict
}

func ackKey(council, ref string) string { return council + "\x00" + ref }

// errPlanGone is returned for a plan whose goroutine has stopped (the
// service is closing).
var errPlanGone = councils.Errorf(councils.Conflict, "", "the server is shutting down")

// newPlan returns a plan whose goroutine is not started yet.
func (s *Service) newPlan(id, name string, created time.Time, e *councils.Economy, lv *councils.Live, opts councils.LiveOptions) *plan {
	p := &plan{s: s, id: id, name: name, created: created, econ: e, live: lv, opts: opts,
		inbox: make(chan func(), 1024), back: make(chan func(), 64), quit: make(chan struct{}), done: make(chan struct{}),
		acks: map[string]ack{}, goodAcks: map[string]wire.GoodAccepted{}, proposedBy: map[string]string{}, inflight: map[string]*flight{}, lastID: map[int]int64{}, byModel: map[int]bool{}, waitRound: -1,
		conns: map[string]int{}, cl: follow{follower: s.cluster != nil}}
	p.status, p.reason = lv.Status()
	p.setPriv(newPrivacy(e, e.Privacy()))
	p.tolerance, p.rule = lv.Plan().Tolerance, lv.RuleName()
	p.human = make([]bool, len(e.Plan.Councils))
	for i := range p.human {
		p.human[i] = lv.Human(i)
	}
	p.leaves = newLeafMaker(e, p.human)
	return p
}

// start runs p's goroutine and arms its deadline.
func (p *plan) start() {
	p.publish()
	go p.run()
	p.post(func() { p.arm() })
}

// run is the plan goroutine: it runs p's messages one at a time until
// Service.Close, the results of its own work (commits, closes) before new
// requests, so that acknowledgements never queue behind a burst of
// submissions. A panic in one is recovered and stops the plan.
func (p *plan) run() {
	defer close(p.done)
	for {
		select {
		case fn := <-p.back:
			p.safely(fn)
			continue
		default:
		}
		select {
		case fn := <-p.back:
			p.safely(fn)
		case fn := <-p.inbox:
			p.safely(fn)
		case <-p.quit:
			if p.timer != nil {
				p.timer.Stop()
			}
			return
		}
	}
}

// safely runs fn, turning a panic into a stopped plan.
func (p *plan) safely(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			p.s.log.Error("a plan's work panicked; the plan stops", "plan", p.id, "panic", r, "stack", string(debug.Stack()))
			p.fail(fmt.Sprintf("the server failed (%v); the plan is stopped", r))
		}
	}()
	fn()
}

// post queues fn for the plan goroutine; false once it has stopped.
func (p *plan) post(fn func()) bool {
	select {
	case p.inbox <- fn:
		return true
	case <-p.done:
		return false
	case <-p.quit:
		return false
	}
}

// postResult queues fn, the result of work p handed off, ahead of the
// requests; false once the plan goroutine has stopped.
func (p *plan) postResult(fn func()) bool {
	select {
	case p.back <- fn:
		return true
	case <-p.done:
		return false
	case <-p.quit:
		return false
	}
}

// call runs fn on the plan goroutine and waits until it has run.
func (p *plan) call(ctx context.Context, fn func()) error {
	ran := make(chan struct{})
	if !p.post(func() { defer close(ran); fn() }) {
		return errPlanGone
	}
	select {
	case <-ran:
		return nil
	case <-p.done:
		return errPlanGone
	case <-ctx.Done():
		return ctx.Err()
	}
}

// await waits for an answer that the plan goroutine (or a goroutine it
// started) sends on ch.
func (p *plan) await(ctx context.Context, ch <-chan error) error {
	select {
	case err := <-ch:
		return err
	case <-p.done:
		return errPlanGone
	case <-ctx.Done():
		return ctx.Err()
	}
}

// idle runs fn now if live may be used and no close is waiting, else
// holds it back until the close has finished.
func (p *plan) idle(fn func()) {
	if p.busy || p.wantClose != nil {
		p.held = append(p.held, fn)
		return
	}
	fn()
}

// release runs the work held back during a close, in order, until a new
// close holds the rest back again.
func (p *plan) release() {
	for len(p.held) > 0 && !p.busy && p.wantClose == nil {
		fn := p.held[0]
		p.held = p.held[1:]
		p.safely(fn)
	}
}

// fail stops the plan for reason: it is marked stopped, its timer ends,
// everyone is told, the audit log keeps it, and live is not touched
// again (reads answer from the round as it last was).
func (p *plan) fail(reason string) {
	if p.broken {
		return
	}
	if p.frozen == nil {
		p.frozen = p.freeze()
	}
	p.broken, p.busy, p.wantClose = true, false, nil
	p.status, p.reason = councils.StatusStopped, reason
	if p.timer != nil {
		p.timer.Stop()
	}
	p.due = time.Time{}
	n := p.frozen.number
	p.publish()
	if b, err := wire.Encode(wire.PlanStopped{Round: n, Reason: reason}); err == nil {
		p.s.hub.Broadcast(p.id, b)
	}
	ev := p.s.event(p.id, "plan.stopped", &n, "", map[string]any{"reason": reason})
	go func() {
		if err := p.s.store.AddEvents(context.Background(), ev); err != nil {
			p.s.log.Error("storing a plan's stop", "plan", p.id, "err", err)
		}
	}()
	for _, fn := range p.held {
		p.safely(fn)
	}
	p.held = nil
}

// publish updates the summary GET /api/plans lists.
func (p *plan) publish() {
	n := 0
	if p.frozen != nil {
		n = p.frozen.number
	} else {
		n = p.live.Round().Number
	}
	p.summary.Store(&wire.PlanSummary{ID: p.id, Name: p.name, Status: string(p.status), Round: n, CreatedAt: p.created})
}

// humansWaiting returns how many human councils have not submitted in the
// open round.
func (p *plan) humansWaiting() int {
	if n := p.live.Round().Number; n != p.waitRound {
		p.waitRound, p.waiting = n, len(p.live.Waiting())
	}
	return p.waiting
}

// council returns the index of council id.
func (p *plan) council(id string) (int, bool) { return p.econ.Council(id) }

// proposer returns the board index of who's council or federation: a
// council token names one of the scenario's councils, a federation token a
// federation with collective consumption; false for any other token.
func (p *plan) proposer(who Principal) (int, bool) {
	if !who.Proposer() {
		return 0, false
	}
	c, ok := p.econ.Council(who.Council)
	if !ok {
		return 0, false
	}
	if _, fed := p.econ.FederationOf(c); fed != (who.Role == RoleFederation) {
		return 0, false
	}
	return c, true
}

// roundData is what the views show of the current round: read from live,
// or frozen (copied) while a worker closes it.
type roundData struct {
	number    int
	closed    bool
	prices    []float64
	budgets   []float64
	proposals []*planning.Proposal
	fresh     []bool
	submitted []string
	// The commons fund (k nil without commons goods; never changed once
	// the round is open).
	levy, fund float64
	k          []float64
}

// round returns the current round's data (frozen during a close).
func (p *plan) round() *roundData {
	if p.frozen != nil {
		return p.frozen
	}
	r := p.live.Round()
	return &roundData{number: r.Number, closed: r.Closed, prices: r.Prices, budgets: r.Budgets,
		proposals: r.Proposals, fresh: r.Fresh, submitted: p.ids(p.live.Submitted()),
		levy: r.Levy, fund: r.Fund, k: r.K}
}

// freeze returns a copy of the current round's data that stays valid
// while a worker closes the round.
func (p *plan) freeze() *roundData {
	r := p.round()
	return &roundData{number: r.number, closed: r.closed, prices: append([]float64(nil), r.prices...),
		budgets: append([]float64(nil), r.budgets...), proposals: append([]*planning.Proposal(nil), r.proposals...),
		fresh: append([]bool(nil), r.fresh...), submitted: r.submitted,
		levy: r.levy, fund: r.fund, k: r.k}
}

// ids returns the ids of councils cs.
func (p *plan) ids(cs []int) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = p.econ.Plan.Councils[c].ID
	}
	return out
}

// send encodes f and queues it for c; a frame that cannot be encoded is
// logged and not sent.
func (s *Service) send(c *hub.Client, f wire.Server) {
	b, err := wire.Encode(f)
	if err != nil {
		s.log.Error("encoding a frame", "type", f.FrameType(), "err", err)
		return
	}
	s.hub.Send(c, b)
}

// sendError sends c an error frame for err.
func (s *Service) sendError(c *hub.Client, ref string, err error) {
	e := councils.AsError(err)
	if e.Kind == councils.Internal {
		s.log.Error("websocket frame", "plan", c.Plan, "err", errors.Join(e, e.Err))
	}
	s.send(c, wire.Error{Ref: ref, Code: string(e.Kind), Message: e.Message, Field: e.Field})
}
