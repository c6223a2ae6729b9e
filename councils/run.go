package councils

import (
	"errors"
	"math"
	"math/rand/v2"
	"time"

	"parecon/planning"
)

// RunOptions configures a headless run; zero values take the scenario's
// settings, then the defaults.
type RunOptions struct {
	Rule      string
	Step      float64
	Tolerance float64
	MaxRounds int
	// Noise perturbs every simulated proposal's quantities by a random
	// factor in [1−Noise, 1+Noise], drawn from Seed; a perturbed proposal
	// is then scaled back within its checks, as a council would.
	Noise float64
	Seed  uint64
	// Stubborn is the fraction of councils, picked from Seed, that submit
	// in round 0 and never again: their first proposals stand, as human
	// councils that never revise.
	Stubborn float64
	// Prices, if set, replace the scenario's initial prices.
	Prices []float64
	// Each, if set, is called after every round closes, with the step the
	// rule took from it (0 after the last round) and the engine's time for
	// the round.
	Each func(r *planning.Round, step float64, d time.Duration)
}

// RunResult is the outcome of a headless run.
type RunResult struct {
	Rule      string
	Converged bool
	Diverged  bool
	Rounds    int // rounds run, round 0 included
	Board     *planning.Board
	Steps     []float64       // the rule's step after each round
	Times     []time.Duration // the engine's time for each round
}

// Last returns the last closed round.
func (r *RunResult) Last() *planning.Round {
	rs := r.Board.Rounds()
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Closed {
			return rs[i]
		}
	}
	return rs[0]
}

// Run plays the plan with every council simulated: each round the models
// propose at the published prices and budgets, the board closes the round,
// and the rule sets the next prices, until the plan converges, the rule
// diverges or MaxRounds rounds have run. Every council must have a model.
func Run(e *Economy, opt RunOptions) (*RunResult, error) {
	if h := e.Humans(); len(h) > 0 {
		return nil, Problems{{Path: index("councils", h[0]), Message: "a headless run needs every council to have a model; this one is human"}}
	}
	rule, maxRounds, err := e.settings(opt.Rule, opt.Step, opt.MaxRounds)
	if err != nil {
		return nil, Problems{{Path: "rule", Message: err.Error()}}
	}
	opt.MaxRounds = maxRounds
	plan := *e.Plan
	if opt.Tolerance > 0 {
		plan.Tolerance = opt.Tolerance
	}
	prices := e.Prices
	if opt.Prices != nil {
		prices = opt.Prices
	}
	res := &RunResult{Rule: rule.Name()}
	var rng *rand.Rand
	if opt.Noise > 0 {
		rng = rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	}
	sim := newSimulator(e, &plan)
	if opt.Stubborn > 0 {
		pick := rand.New(rand.NewPCG(opt.Seed, 0x5bd1e995))
		sim.stubborn = make([]bool, len(e.Models))
		for i := range sim.stubborn {
			sim.stubborn[i] = pick.Float64() < opt.Stubborn
		}
	}
	start := time.Now()
	board, err := planning.NewBoard(&plan, prices)
	if err != nil {
		return nil, err
	}
	res.Board = board
	for t := 0; ; t++ {
		r := board.Current()
		sim.propose(board, r, rng, opt.Noise)
		if _, err := board.Close(); err != nil {
			res.Diverged = true
			res.Rounds = t + 1
			return res, nil
		}
		res.Rounds = t + 1
		if r.Converged {
			res.Converged = true
			res.finish(opt, r, 0, start)
			return res, nil
		}
		if t+1 >= opt.MaxRounds {
			res.finish(opt, r, 0, start)
			return res, nil
		}
		next, step := rule.Next(&plan, board.Rounds())
		res.finish(opt, r, step, start)
		start = time.Now()
		if _, err := board.Open(next); err != nil {
			if errors.Is(err, planning.ErrDiverged) {
				res.Diverged = true
				return res, nil
			}
			return nil, err
		}
	}
}

func (res *RunResult) finish(opt RunOptions, r *planning.Round, step float64, start time.Time) {
	d := time.Since(start)
	res.Steps = append(res.Steps, step)
	res.Times = append(res.Times, d)
	if opt.Each != nil {
		opt.Each(r, step, d)
	}
}

// simulator makes the simulated councils' proposals for a round.
type simulator struct {
	e     *Economy
	plan  *planning.Plan
	lnp   []float64
	lines int // lines in one round's proposals
	// stubborn marks the councils that never revise their first proposal.
	stubborn []bool
}

func newSimulator(e *Economy, plan *planning.Plan) *simulator {
	return &simulator{e: e, plan: plan, lnp: make([]float64, len(plan.Goods))}
}

// propose has every simulated council submit its proposal for round r. The
// proposals of one round share one backing array of lines, so a round
// costs three allocations however many councils there are.
func (s *simulator) propose(b *planning.Board, r *planning.Round, rng *rand.Rand, noise float64) {
	for j, p := range r.Prices {
		s.lnp[j] = math.Log(p)
	}
	if s.lines == 0 {
		for _, m := range s.e.Models {
			if m != nil {
				o, i := m.Lines()
				s.lines += o + i
			}
		}
	}
	props := make([]planning.Proposal, len(s.e.Models))
	slab := make([]planning.Line, s.lines)
	for i, m := range s.e.Models {
		if m == nil {
			continue
		}
		if r.Number > 0 && s.stubborn != nil && s.stubborn[i] {
			continue
		}
		pr := &props[i]
		o, in := m.Lines()
		pr.Out, slab = slab[:0:o], slab[o:]
		pr.In, slab = slab[:0:in], slab[in:]
		m.Propose(r.Prices, s.lnp, r.Budgets[i], pr)
		if rng != nil {
			perturb(pr, rng, noise, s.plan.Councils[i].Role, r.Prices, r.Budgets[i])
		}
		b.Submit(i, pr)
	}
}

// perturb scales every quantity by a factor in [1−x, 1+x], then brings the
// proposal back within its checks: a consumer council's requests within
// its budget, a worker council's inputs within the value of its outputs.
func perturb(pr *planning.Proposal, rng *rand.Rand, x float64, role planning.Role, p []float64, budget float64) {
	for i := range pr.Out {
		pr.Out[i].Qty *= 1 + x*(2*rng.Float64()-1)
	}
	for i := range pr.In {
		pr.In[i].Qty *= 1 + x*(2*rng.Float64()-1)
	}
	cost := planning.Value(pr.In, p)
	limit := budget
	if role == planning.Worker {
		limit = planning.Value(pr.Out, p)
	}
	if cost > limit && cost > 0 {
		f := limit / cost
		for i := range pr.In {
			pr.In[i].Qty *= f
		}
	}
}
