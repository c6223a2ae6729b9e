package councils

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

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
	// Reason is why a plan that did not converge stopped: out of rounds,
	// or which prices or totals diverged.
	Reason string
	Rounds int // rounds run, round 0 included
	Board  *planning.Board
	Steps  []float64 // the rule's step after each round
	// Safe says, for each round, whether the rule's step after it was a
	// safe one (planning.SafeStepper; false for rules that do not say).
	Safe  []bool
	Times []time.Duration // the engine's time for each round
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

// Run plays the plan with every council simulated: a Process whose
// rounds it closes one after another, until the plan converges, the prices
// or totals diverge, or MaxRounds rounds have run. Every council must have
// a model.
func Run(e *Economy, opt RunOptions) (*RunResult, error) {
	if h := e.Humans(); len(h) > 0 {
		return nil, Problems{{Path: e.proposerPath(h[0]), Message: "a headless run needs every council and federation to have a model; this one is human"}}
	}
	if _, _, err := e.settings(opt.Rule, opt.Step, opt.MaxRounds); err != nil {
		return nil, Problems{{Path: "rule", Message: err.Error()}}
	}
	p, err := NewProcess(e, ProcessOptions{Rule: opt.Rule, Step: opt.Step, Tolerance: opt.Tolerance, MaxRounds: opt.MaxRounds,
		Noise: opt.Noise, Seed: opt.Seed, Stubborn: opt.Stubborn, Prices: opt.Prices})
	if err != nil {
		return nil, err
	}
	res := &RunResult{Rule: p.RuleName(), Board: p.Board()}
	for {
		cr, err := p.Close()
		if err != nil {
			return nil, err
		}
		res.Rounds = cr.Closed.Number + 1
		res.Steps = append(res.Steps, cr.Step)
		res.Safe = append(res.Safe, cr.Safe)
		res.Times = append(res.Times, cr.Took)
		if opt.Each != nil {
			opt.Each(cr.Closed, cr.Step, cr.Took)
		}
		if cr.Status == StatusOpen {
			continue
		}
		res.Converged = cr.Status == StatusConverged
		res.Diverged = cr.Status == StatusStopped && p.diverged()
		_, res.Reason = p.Status()
		return res, nil
	}
}

// simulator makes the simulated councils' proposals for a round.
type simulator struct {
	plan *planning.Plan
	lnp  []float64
	// models are the councils' models as the run started, copied into a
	// few contiguous blocks in council order (nil for a human council), so
	// a round reads them front to back.
	models []Model
	// off[i] is where council i's lines start in a round's slab of lines;
	// off[len(models)] is the slab's length.
	off []int
	// chunks splits the councils into ranges of about chunkLines lines:
	// chunk k is councils chunks[k] to chunks[k+1]−1.
	chunks []int
	// procs is how many goroutines propose, the caller's included.
	procs int
	// stubborn marks the councils that never revise their first proposal.
	stubborn []bool
	// ahead, if not nil, delivers the next round's buffers, made by a
	// goroutine while the board closes the round and the rule moves prices.
	ahead chan buffers
}

// chunkLines is about how many lines a chunk of councils proposes: few
// enough that the board totals them while they are still in the cache.
const chunkLines = 1 << 13

// minPart is the fewest proposal lines worth a goroutine of their own.
const minPart = 1 << 14

// newSimulator returns a simulator of models (nil for a council it does
// not propose for), proposing to a board of plan.
func newSimulator(models []Model, plan *planning.Plan) *simulator {
	s := &simulator{plan: plan, lnp: make([]float64, logsLen(plan))}
	s.models = compact(models)
	s.off = make([]int, len(s.models)+1)
	for i, m := range s.models {
		s.off[i+1] = s.off[i]
		if m != nil {
			o, in := m.Lines()
			s.off[i+1] += o + in
		}
	}
	lines := s.off[len(s.models)]
	s.procs = min(runtime.GOMAXPROCS(0), max(1, lines/minPart))
	s.chunks = append(s.chunks, 0)
	for i := 1; i < len(s.models); i++ {
		if s.off[i]-s.off[s.chunks[len(s.chunks)-1]] >= chunkLines {
			s.chunks = append(s.chunks, i)
		}
	}
	s.chunks = append(s.chunks, len(s.models))
	return s
}

// compact returns copies of the Cobb–Douglas, CES, consumer and person
// models among ms, their structures in an array per type and their lines
// in one, all in council order; any other model is kept as it is.
func compact(ms []Model) []Model {
	var nw, nx, nc, np, nl, na int
	var count func(m Model)
	count = func(m Model) {
		switch m := m.(type) {
		case *CobbDouglas:
			nw++
			nl += len(m.Inputs) + len(m.Emissions)
		case *CES:
			nx++
			nl += len(m.Inputs) + len(m.Emissions)
			na += len(m.lnShare)
		case *Consumer:
			nc++
			nl += len(m.Weights)
			na += len(m.lnAlpha) + len(m.Subsistence)
		case *Person:
			np++
			count(m.Model)
		}
	}
	for _, m := range ms {
		count(m)
	}
	ws := make([]CobbDouglas, 0, nw)
	xs := make([]CES, 0, nx)
	cs := make([]Consumer, 0, nc)
	ps := make([]Person, 0, np)
	ls := make([]planning.Line, 0, nl)
	as := make([]float64, 0, na)
	carve := func(src []planning.Line) []planning.Line {
		k := len(ls)
		ls = append(ls, src...)
		return ls[k:len(ls):len(ls)]
	}
	floats := func(src []float64) []float64 {
		if src == nil {
			return nil
		}
		k := len(as)
		as = append(as, src...)
		return as[k:len(as):len(as)]
	}
	var copyOf func(m Model) Model
	copyOf = func(m Model) Model {
		switch m := m.(type) {
		case *CobbDouglas:
			w := *m
			w.Inputs, w.Emissions = carve(m.Inputs), carve(m.Emissions)
			ws = append(ws, w)
			return &ws[len(ws)-1]
		case *CES:
			w := *m
			w.Inputs, w.Emissions = carve(m.Inputs), carve(m.Emissions)
			w.lnShare = floats(m.lnShare)
			xs = append(xs, w)
			return &xs[len(xs)-1]
		case *Consumer:
			c := *m
			c.Weights = carve(m.Weights)
			c.lnAlpha = floats(m.lnAlpha)
			c.Subsistence = floats(m.Subsistence)
			cs = append(cs, c)
			return &cs[len(cs)-1]
		case *Person:
			p := *m
			p.Model = copyOf(m.Model)
			ps = append(ps, p)
			return &ps[len(ps)-1]
		}
		return m
	}
	out := make([]Model, len(ms))
	for i, m := range ms {
		out[i] = copyOf(m)
	}
	return out
}

// buffers are the memory of one round's proposals: the proposals and one
// backing array of their lines.
type buffers struct {
	props []planning.Proposal
	slab  []planning.Line
}

// pageBytes is the size of a page of memory as the kernel maps it.
const pageBytes = 4096

// touch writes to every page of part k of parts equal parts of b, so the
// kernel maps that memory now rather than when the proposals are written:
// a round's memory is fresh (the board keeps every round), and mapping it
// costs about as much as proposing.
func (b buffers) touch(k, parts int) {
	n, lines := len(b.props), len(b.slab)
	for i := n * k / parts; i < n*(k+1)/parts; i += pageBytes / int(unsafe.Sizeof(planning.Proposal{})) {
		b.props[i] = planning.Proposal{}
	}
	for i := lines * k / parts; i < lines*(k+1)/parts; i += pageBytes / int(unsafe.Sizeof(planning.Line{})) {
		b.slab[i] = planning.Line{}
	}
}

// prepare starts making the next round's buffers in the background, if the
// economy is large enough to propose in parallel, touching their pages from
// as many goroutines as propose. Run calls it once it knows there will be a
// next round, before the rule computes its prices.
func (s *simulator) prepare() {
	if s.procs < 2 || s.ahead != nil {
		return
	}
	ch := make(chan buffers, 1)
	s.ahead = ch
	n, lines, parts := len(s.models), s.off[len(s.models)], s.procs
	go func() {
		b := buffers{make([]planning.Proposal, n), make([]planning.Line, lines)}
		var wg sync.WaitGroup
		for k := 1; k < parts; k++ {
			wg.Go(func() { b.touch(k, parts) })
		}
		b.touch(0, parts)
		wg.Wait()
		ch <- b
	}()
}

// propose has every simulated council submit its proposal for round r. The
// proposals of one round share one backing array of lines (made ahead by
// prepare, if it was called), so a round costs a few allocations however
// many councils there are.
//
// The councils propose a chunk at a time, the chunks claimed in order by
// procs goroutines (this one included). This goroutine takes the chunks
// in order as they are done: it perturbs each proposal (drawing from rng
// in council order), submits it, and has the board tally the chunk, so
// the board sees the same proposals in the same order as from a single
// pass, and totals them bit for bit as Close alone would.
func (s *simulator) propose(b *planning.Board, r *planning.Round, rng *rand.Rand, noise float64) {
	setLogs(s.lnp, r)
	var buf buffers
	if s.ahead != nil {
		buf = <-s.ahead
		s.ahead = nil
	} else {
		buf = buffers{make([]planning.Proposal, len(s.models)), make([]planning.Line, s.off[len(s.models)])}
	}
	nc := len(s.chunks) - 1
	done := make([]chan struct{}, nc)
	for k := range done {
		done[k] = make(chan struct{})
	}
	var claimed atomic.Int64
	// work proposes the next unclaimed chunk; it reports false if none is
	// left.
	work := func() bool {
		k := int(claimed.Add(1)) - 1
		if k >= nc {
			return false
		}
		s.proposeRange(r, buf, s.chunks[k], s.chunks[k+1])
		close(done[k])
		return true
	}
	for range s.procs - 1 {
		go func() {
			for work() {
			}
		}()
	}
	for k := range nc {
	wait:
		for {
			select {
			case <-done[k]:
				break wait
			default:
				if !work() {
					<-done[k]
					break wait
				}
			}
		}
		for i := s.chunks[k]; i < s.chunks[k+1]; i++ {
			if s.models[i] == nil || s.skip(r, i) {
				continue
			}
			pr := &buf.props[i]
			if rng != nil {
				perturb(pr, rng, noise, s.plan.Councils[i].Role, r.Prices, r.Budgets[i])
			}
			b.Submit(i, pr)
		}
		b.Tally(s.chunks[k+1])
	}
}

// skip reports whether council i keeps its standing proposal in round r.
func (s *simulator) skip(r *planning.Round, i int) bool {
	return r.Number > 0 && s.stubborn != nil && s.stubborn[i]
}

// proposeRange has the models of councils lo to hi−1 propose at round r's
// prices into buf.
func (s *simulator) proposeRange(r *planning.Round, buf buffers, lo, hi int) {
	for i := lo; i < hi; i++ {
		m := s.models[i]
		if m == nil || s.skip(r, i) {
			continue
		}
		pr := &buf.props[i]
		o, in := m.Lines()
		at := s.off[i]
		pr.Out = buf.slab[at : at : at+o]
		pr.In = buf.slab[at+o : at+o : at+o+in]
		// The standing proposal is the one carried into the round: the
		// board replaces it only once this chunk is done.
		m.Propose(r.Prices, s.lnp, r.Budgets[i], r.Proposals[i], pr)
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

// SafeSteps returns how many of the rule's steps were safe ones (of the
// Rounds − 1 it took: none after the last round).
func (r *RunResult) SafeSteps() int {
	n := 0
	for _, s := range r.Safe {
		if s {
			n++
		}
	}
	return n
}
