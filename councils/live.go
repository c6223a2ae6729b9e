package councils

import (
	"errors"
	"math"

	"parecon/planning"
)

// Status is the state of a live plan.
type Status string

// The states of a live plan.
const (
	StatusOpen      Status = "open"      // rounds go on
	StatusConverged Status = "converged" // every gap within tolerance
	StatusStopped   Status = "stopped"   // diverged or out of rounds
)

// LiveOptions configures a live plan; zero values take the scenario's
// settings, then the defaults.
type LiveOptions struct {
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
}

// Live is the state machine of one live plan: the board, its rule and the
// round process of docs/spec/economy.md with human and simulated councils.
// Simulated councils answer as soon as a round opens; human councils
// submit through CheckProposal and Accept. Live is not safe for
// concurrent use; its owner serialises calls.
type Live struct {
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
}

// CloseResult is what closing a round did.
type CloseResult struct {
	Closed *planning.Round // the round just closed, with its totals
	Next   *planning.Round // the round opened after it, nil if the plan ended
	Step   float64         // the rule's step
	Status Status
	// RulePrices are the next prices the rule computed (the next round's,
	// unless CloseAt was given others); nil if the plan ended.
	RulePrices []float64
}

// NewLive compiles the plan of e with opt and opens round 0, in which the
// simulated councils have already proposed.
func NewLive(e *Economy, opt LiveOptions) (*Live, error) {
	var rule planning.Rule
	var err error
	rule, opt.MaxRounds, err = e.settings(opt.Rule, opt.Step, opt.MaxRounds)
	if err != nil {
		return nil, Errorf(Invalid, "rule", "%v", err)
	}
	l := &Live{Econ: e, plan: *e.Plan, rule: rule, standIn: opt.StandIn, maxRounds: opt.MaxRounds, status: StatusOpen}
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
	l.lnp = make([]float64, len(l.plan.Goods))
	l.board, err = planning.NewBoard(&l.plan, e.Prices)
	if err != nil {
		return nil, Errorf(Invalid, "goods", "%v", err)
	}
	l.simulate()
	return l, nil
}

// Plan returns the plan the board works with (its tolerance may differ
// from the scenario's).
func (l *Live) Plan() *planning.Plan { return &l.plan }

// Board returns the board, for reading.
func (l *Live) Board() *planning.Board { return l.board }

// Round returns the current round: the open one, or the last closed one
// once the plan has ended.
func (l *Live) Round() *planning.Round { return l.board.Current() }

// Status returns the plan's state and, for a stopped plan, why.
func (l *Live) Status() (Status, string) { return l.status, l.reason }

// RuleName returns the name of the price rule.
func (l *Live) RuleName() string { return l.rule.Name() }

// MaxRounds returns the number of rounds after which the plan stops.
func (l *Live) MaxRounds() int { return l.maxRounds }

// StandIns reports whether human councils' models stand in at deadlines.
func (l *Live) StandIns() bool { return l.standIn }

// Human reports whether council c is played by people.
func (l *Live) Human(c int) bool { return l.human[c] }

// HumanIDs returns the ids of the human councils.
func (l *Live) HumanIDs() []string {
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
func (l *Live) CheckProposal(c, round int, raw []byte) (*planning.Proposal, *ProposalDoc, Verdict, error) {
	r := l.board.Current()
	switch {
	case l.status != StatusOpen:
		return nil, nil, Verdict{}, Errorf(Conflict, "round", "the plan is %s: no round is open", l.status)
	case round != r.Number:
		return nil, nil, Verdict{}, Errorf(Conflict, "round", "round %d is not open; round %d is", round, r.Number)
	case !l.human[c]:
		return nil, nil, Verdict{}, Errorf(Forbidden, "councilId", "council %q is simulated by the server", l.plan.Councils[c].ID)
	}
	return l.Econ.ParseProposal(c, raw, r.Prices, r.Budgets[c])
}

// Accept records council c's checked proposal in the open round,
// replacing any earlier one of this round.
func (l *Live) Accept(c int, pr *planning.Proposal) { l.board.Submit(c, pr) }

// Submitted returns the councils whose proposal stands fresh in the
// current round (simulated ones included).
func (l *Live) Submitted() []int {
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
func (l *Live) Carried() []int {
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
func (l *Live) Waiting() []int {
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
func (l *Live) AllHumansIn() bool {
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
func (l *Live) StandIn(c int) *planning.Proposal {
	m := l.Econ.Models[c]
	if !l.standIn || m == nil {
		return nil
	}
	r := l.board.Current()
	l.logPrices(r.Prices)
	pr := &planning.Proposal{}
	m.Propose(r.Prices, l.lnp, r.Budgets[c], r.Proposals[c], pr)
	return pr
}

// Close closes the open round: it totals the standing proposals, decides
// convergence, and unless the plan has ended (converged, diverged, or
// out of rounds) sets the next prices by the rule and opens the next
// round, in which the simulated councils propose at once.
func (l *Live) Close() (*CloseResult, error) { return l.CloseAt(nil) }

// CloseAt is Close, but when published is not nil the next round opens at
// those prices instead of the rule's (the rule still sees the round, so
// its state moves on). A server replaying its stored rounds uses it to
// keep the prices it published even if the rule's code has changed since.
func (l *Live) CloseAt(published []float64) (*CloseResult, error) {
	if l.status != StatusOpen {
		return nil, Errorf(Conflict, "", "the plan is %s: no round is open", l.status)
	}
	closed, err := l.board.Close()
	res := &CloseResult{Closed: closed}
	if err != nil {
		if !errors.Is(err, planning.ErrDiverged) {
			return nil, err
		}
		l.status, l.reason = StatusStopped, "the totals diverged"
		res.Status = l.status
		return res, nil
	}
	switch {
	case closed.Converged:
		l.status = StatusConverged
	case closed.Number+1 >= l.maxRounds:
		l.status, l.reason = StatusStopped, "out of rounds"
	}
	if l.status != StatusOpen {
		res.Status = l.status
		return res, nil
	}
	next, step := l.rule.Next(&l.plan, l.board.Rounds())
	res.RulePrices = next
	if published != nil {
		next = published
	}
	res.Step = step
	r, err := l.board.Open(next)
	if err != nil {
		if !errors.Is(err, planning.ErrDiverged) {
			return nil, err
		}
		l.status, l.reason = StatusStopped, "the prices diverged"
		res.Status = l.status
		return res, nil
	}
	l.simulate()
	res.Next, res.Status = r, l.status
	return res, nil
}

// simulate has every simulated council propose in the open round.
func (l *Live) simulate() {
	r := l.board.Current()
	l.logPrices(r.Prices)
	for i, m := range l.Econ.Models {
		if m == nil || l.human[i] {
			continue
		}
		pr := &planning.Proposal{}
		m.Propose(r.Prices, l.lnp, r.Budgets[i], r.Proposals[i], pr)
		l.board.Submit(i, pr)
	}
}

func (l *Live) logPrices(p []float64) {
	for j, x := range p {
		l.lnp[j] = math.Log(x)
	}
}
