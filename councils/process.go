package councils

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"parecon/planning"
)

// Status is the state of a plan's round process.
type Status string

// The states of a plan's round process.
const (
	StatusOpen      Status = "open"      // rounds go on
	StatusConverged Status = "converged" // every gap within tolerance
	StatusStopped   Status = "stopped"   // diverged or out of rounds
)

// ProcessOptions configures a plan's round process; zero values take the
// scenario's settings, then the defaults.
type ProcessOptions struct {
	Rule      string
	Step      float64
	Tolerance float64
	MaxRounds int
	// Humans names councils that people play even though the scenario
	// gives them a model (the demo's choice). Councils without a model are
	// always human.
	Humans []string
	// StandIn lets a human council's model, where it has one, answer for
	// it when a round closes at its deadline without its proposal.
	StandIn bool

	// Noise perturbs every simulated proposal's quantities by a random
	// factor in [1−Noise, 1+Noise], drawn from Seed; a perturbed proposal
	// is then scaled back within its checks, as a council would.
	Noise float64 `json:",omitempty"`
	Seed  uint64  `json:",omitempty"`
	// Stubborn is the fraction of the simulated councils, picked from
	// Seed, that submit in round 0 and never again: their first proposals
	// stand, as human councils that never revise.
	Stubborn float64 `json:",omitempty"`
	// Prices, if set, replace the scenario's initial prices.
	Prices []float64 `json:",omitempty"`
}

// LiveOptions is the name ProcessOptions had when only live plans used it.
type LiveOptions = ProcessOptions

// Process is the one round process of a plan (docs/spec/economy.md, "A
// round and convergence"): the board, its rule, and the councils, human
// and simulated. The simulated councils propose as soon as a round opens,
// in parallel from compact copies of their models; human councils submit
// through CheckProposal and Accept; Close totals the round, decides, and
// opens the next. A headless run (Run), a live plan and its replay all
// play a plan through a Process, so they cannot disagree. A Process is
// not safe for concurrent use; its owner serialises calls.
type Process struct {
	Econ      *Economy
	plan      planning.Plan
	board     *planning.Board
	rule      planning.Rule
	human     []bool
	standIn   bool
	maxRounds int
	status    Status
	reason    string
	lnp       []float64
	sim       *simulator
	rng       *rand.Rand // the noise's draws, nil without noise
	noise     float64
	busy      time.Duration // the engine's time in the open round so far
	// divergedAt reports that the plan stopped because the prices or the
	// totals left the finite numbers.
	divergedAt bool
	// The rule and step asked for, to start a fresh rule when the
	// catalogue grows; the new goods accepted and withdrawn (newgood.go).
	ruleOpt   string
	stepOpt   float64
	newGoods  []NewGood
	withdrawn []withdrawal
}

// diverged reports whether the plan stopped because the prices or the
// totals diverged.
func (l *Process) diverged() bool { return l.divergedAt }

// Live is the name Process had when only live plans used it.
type Live = Process

// CloseResult is what closing a round did.
type CloseResult struct {
	Closed *planning.Round // the round just closed, with its totals
	Next   *planning.Round // the round opened after it, nil if the plan ended
	Step   float64         // the rule's step
	// Safe says the rule's step was a safe one (planning.SafeStepper):
	// its model gave no answer at the closed round's prices.
	Safe   bool
	Status Status
	// RulePrices are the next prices the rule computed (the next round's,
	// unless CloseAt was given others); nil if the plan ended.
	RulePrices []float64
	// Took is the engine's time for the closed round: its simulated
	// councils' proposals, its close and the rule's next prices (not the
	// time spent waiting for human councils).
	Took time.Duration
}

// NewLive is NewProcess, by the name it had when only live plans used it.
func NewLive(e *Economy, opt ProcessOptions) (*Process, error) { return NewProcess(e, opt) }

// NewProcess compiles the plan of e with opt and opens round 0, in which
// the simulated councils have already proposed.
func NewProcess(e *Economy, opt ProcessOptions) (*Process, error) {
	start := time.Now()
	var rule planning.Rule
	var err error
	rule, opt.MaxRounds, err = e.settings(opt.Rule, opt.Step, opt.MaxRounds)
	if err != nil {
		return nil, Errorf(Invalid, "rule", "%v", err)
	}
	if opt.Tolerance != 0 && !(opt.Tolerance > 0 && opt.Tolerance < 1) {
		return nil, Errorf(Invalid, "tolerance", "%s", ToleranceProblem(opt.Tolerance))
	}
	l := &Process{Econ: e, plan: *e.Plan, rule: rule, standIn: opt.StandIn, maxRounds: opt.MaxRounds, status: StatusOpen,
		ruleOpt: opt.Rule, stepOpt: opt.Step}
	if opt.Tolerance > 0 {
		l.plan.Tolerance = opt.Tolerance
	}
	l.human = make([]bool, len(e.Models))
	for i, m := range e.Models {
		l.human[i] = m == nil
	}
	for _, id := range opt.Humans {
		i, ok := e.Council(id)
		if !ok {
			return nil, Errorf(Invalid, "humans", "unknown council %q", id)
		}
		l.human[i] = true
	}
	l.lnp = make([]float64, logsLen(&l.plan))
	prices := e.Prices
	if opt.Prices != nil {
		prices = opt.Prices
	}
	l.board, err = planning.NewBoard(&l.plan, prices)
	if err != nil {
		return nil, Errorf(Invalid, "prices", "%v", err)
	}
	l.sim = newSimulator(l.simModels(0), &l.plan)
	if opt.Noise > 0 {
		l.rng = rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
		l.noise = opt.Noise
	}
	if opt.Stubborn > 0 {
		pick := rand.New(rand.NewPCG(opt.Seed, 0x5bd1e995))
		l.sim.stubborn = make([]bool, len(e.Models))
		for i := range l.sim.stubborn {
			l.sim.stubborn[i] = pick.Float64() < opt.Stubborn
		}
	}
	l.simulate()
	l.busy = time.Since(start)
	return l, nil
}

// Plan returns the plan the board works with (its tolerance may differ
// from the scenario's).
func (l *Process) Plan() *planning.Plan { return &l.plan }

// Board returns the board, for reading.
func (l *Process) Board() *planning.Board { return l.board }

// Round returns the current round: the open one, or the last closed one
// once the plan has ended.
func (l *Process) Round() *planning.Round { return l.board.Current() }

// Status returns the plan's state and, for a stopped plan, why.
func (l *Process) Status() (Status, string) { return l.status, l.reason }

// RuleName returns the name of the price rule.
func (l *Process) RuleName() string { return l.rule.Name() }

// MaxRounds returns the number of rounds after which the plan stops.
func (l *Process) MaxRounds() int { return l.maxRounds }

// StandIns reports whether human councils' models stand in at deadlines.
func (l *Process) StandIns() bool { return l.standIn }

// Human reports whether council c is played by people.
func (l *Process) Human(c int) bool { return l.human[c] }

// HumanIDs returns the ids of the human councils.
func (l *Process) HumanIDs() []string {
	var ids []string
	for i, h := range l.human {
		if h {
			ids = append(ids, l.plan.Councils[i].ID)
		}
	}
	return ids
}

// CheckProposal decodes and checks council c's proposal, raw JSON, for
// round: the plan must be open, round must be the open round and c a
// human council. It stores nothing.
func (l *Process) CheckProposal(c, round int, raw []byte) (*planning.Proposal, *ProposalDoc, Verdict, error) {
	r := l.board.Current()
	switch {
	case l.status != StatusOpen:
		return nil, nil, Verdict{}, Errorf(Conflict, "round", "the plan is %s: no round is open", l.status)
	case round != r.Number:
		return nil, nil, Verdict{}, Errorf(Conflict, "round", "round %d is not open; round %d is", round, r.Number)
	case !l.human[c]:
		return nil, nil, Verdict{}, Errorf(Forbidden, "councilId", "council %q is simulated by the server", l.plan.Councils[c].ID)
	}
	pr, doc, v, err := l.Econ.ParseProposal(c, raw, r.Prices, r.Budgets[c])
	if doc != nil {
		if f := l.Econ.absentLine(doc, r.Number); f != "" {
			return nil, nil, Verdict{}, Errorf(Invalid, f, "%s is not in the catalogue yet: it appears in a later round", f[strings.IndexByte(f, '.')+1:])
		}
	}
	return pr, doc, v, err
}

// Accept records council c's checked proposal in the open round,
// replacing any earlier one of this round.
func (l *Process) Accept(c int, pr *planning.Proposal) { l.board.Submit(c, pr) }

// Submitted returns the councils whose proposal stands fresh in the
// current round (simulated ones included).
func (l *Process) Submitted() []int {
	var s []int
	for i, f := range l.board.Current().Fresh {
		if f {
			s = append(s, i)
		}
	}
	return s
}

// Carried returns the councils whose standing proposal in the current
// round was carried from an earlier one.
func (l *Process) Carried() []int {
	r := l.board.Current()
	var s []int
	for i, pr := range r.Proposals {
		if pr != nil && !r.Fresh[i] {
			s = append(s, i)
		}
	}
	return s
}

// Waiting returns the human councils that have not submitted in the open
// round.
func (l *Process) Waiting() []int {
	r := l.board.Current()
	var w []int
	for i, h := range l.human {
		if h && !r.Fresh[i] {
			w = append(w, i)
		}
	}
	return w
}

// AllHumansIn reports whether the open round may close by itself: the plan
// has at least one human council and every one has submitted. (A plan
// with no human council advances only by the facilitator or a deadline.)
func (l *Process) AllHumansIn() bool {
	n := 0
	for _, h := range l.human {
		if h {
			n++
		}
	}
	return l.status == StatusOpen && n > 0 && len(l.Waiting()) == 0
}

// StandIn returns what council c's model proposes in the open round, or
// nil when stand-ins are off or it has no model.
func (l *Process) StandIn(c int) *planning.Proposal {
	r := l.board.Current()
	m := l.Econ.ModelsAt(r.Number)[c]
	if !l.standIn || m == nil {
		return nil
	}
	setLogs(l.lnp, r)
	pr := &planning.Proposal{}
	m.Propose(r.Prices, l.lnp, r.Budgets[c], r.Proposals[c], pr)
	return pr
}

// Close closes the open round: it totals the standing proposals, decides
// convergence, and unless the plan has ended (converged, diverged, or
// out of rounds) sets the next prices by the rule and opens the next
// round, in which the simulated councils propose at once.
func (l *Process) Close() (*CloseResult, error) { return l.CloseAt(nil) }

// CloseAt is Close, but when published is not nil the next round opens at
// those prices instead of the rule's (the rule still sees the round, so
// its state moves on). A server replaying its stored rounds uses it to
// keep the prices it published even if the rule's code has changed since.
func (l *Process) CloseAt(published []float64) (*CloseResult, error) {
	if l.status != StatusOpen {
		return nil, Errorf(Conflict, "", "the plan is %s: no round is open", l.status)
	}
	start := time.Now()
	closed, err := l.board.Close()
	res := &CloseResult{Closed: closed}
	// end stops the plan (or not, for StatusOpen) and reports the engine's
	// time for the closed round.
	end := func(st Status, reason string) {
		l.status, l.reason = st, reason
		res.Status = st
		res.Took = l.busy + time.Since(start)
	}
	if err != nil {
		if !errors.Is(err, planning.ErrDiverged) {
			return nil, err
		}
		l.divergedAt = true
		end(StatusStopped, "the totals diverged: "+l.notFinite(closed))
		return res, nil
	}
	switch {
	case closed.Converged:
		end(StatusConverged, "")
		return res, nil
	case closed.Number+1 >= l.maxRounds:
		end(StatusStopped, "out of rounds")
		return res, nil
	}
	if l.Econ.StageStarts(closed.Number + 1) {
		// New goods appear: the simulated councils become those of the
		// next stage (stages.go).
		stubborn := l.sim.stubborn
		l.sim = newSimulator(l.simModels(closed.Number+1), &l.plan)
		l.sim.stubborn = stubborn
	}
	l.sim.prepare()
	next, step := l.rule.Next(&l.plan, l.board.Rounds())
	if s, ok := l.rule.(planning.SafeStepper); ok {
		res.Safe = s.SafeStep()
	}
	// A good that has not appeared keeps its opening price.
	l.plan.HoldAbsent(next, l.board.Rounds()[0].Prices, closed.Number+1)
	res.RulePrices = next
	if published != nil {
		next = published
	}
	res.Step = step
	// New goods join the catalogue as the round opens (newgood.go); the
	// published prices of a replay already name them.
	grownNext, stand, err := l.openNewGoods(closed.Number+1, next)
	if err != nil {
		return nil, err
	}
	if published == nil || len(published) < len(l.plan.Goods) {
		next = grownNext
	}
	if stand != nil {
		// The catalogue grew: the closed round is now its grown copy.
		res.Closed = l.board.Rounds()[closed.Number]
	}
	end(StatusOpen, "")
	start = time.Now()
	r, err := l.board.Open(next)
	if err != nil {
		if !errors.Is(err, planning.ErrDiverged) {
			return nil, err
		}
		l.divergedAt = true
		end(StatusStopped, "the prices diverged: "+l.badPrice(next))
		return res, nil
	}
	for c, pr := range stand {
		r.Proposals[c] = pr // standing, as carried: the proposer has not submitted in this round
	}
	l.simulate()
	l.busy = time.Since(start)
	res.Next = r
	return res, nil
}

// simModels returns the models the simulator proposes with in round r:
// the simulated councils' (nil for a human council).
func (l *Process) simModels(r int) []Model {
	models := append([]Model(nil), l.Econ.ModelsAt(r)...)
	for i, h := range l.human {
		if h {
			models[i] = nil
		}
	}
	return models
}

// simulate has every simulated council propose in the open round.
func (l *Process) simulate() {
	l.sim.propose(l.board, l.board.Current(), l.rng, l.noise)
}

// notFinite says which good's totals in round r are not finite.
func (l *Process) notFinite(r *planning.Round) string {
	for j, g := range l.plan.Goods {
		if j < len(r.Supply) && j < len(r.Demand) && (!isFinite(r.Supply[j]) || !isFinite(r.Demand[j])) {
			return fmt.Sprintf("round %d's supply of %s is %v and its demand %v", r.Number, g.ID, r.Supply[j], r.Demand[j])
		}
	}
	return fmt.Sprintf("round %d's totals are not finite", r.Number)
}

// badPrice says which of the prices p is not a finite positive number.
func (l *Process) badPrice(p []float64) string {
	for j, g := range l.plan.Goods {
		if j < len(p) && !(p[j] > 0 && isFinite(p[j])) {
			return fmt.Sprintf("the next price of %s would be %v", g.ID, p[j])
		}
	}
	return "the next prices are not finite and positive"
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
