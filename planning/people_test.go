package planning_test

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"parecon/councils"
	"parecon/planning"
)

// This file holds a test-only harness of councils that behave like people,
// as docs/spec/economy.md "Councils as people" defines them: CES workers,
// Stone–Geary consumers, partial adjustment and rounding. The board sees
// only their proposals.

var (
	peopleTable = flag.Bool("people", false, "print the rounds per behaviour and rule of the people harness")
	peopleRules = flag.String("people.rules", "learning", "the rules the people table compares, comma-separated")
)

// behaviour is how one simulated council departs from its reference model.
type behaviour struct {
	sigma   float64 // a worker's CES substitution (0 or 1: Cobb–Douglas)
	subsist float64 // a consumer's needs, as a fraction of its reference demand
	lambda  float64 // partial adjustment (0 or 1: none)
	roundTo int     // significant figures (0: none)
}

// person is a council that behaves like a person around its model.
type person struct {
	role  planning.Role
	base  councils.Model
	b     behaviour
	gamma []float64 // subsistence per request line
	last  *planning.Proposal
}

// answer sets dst to the council's answer x* at prices p and budget.
func (h *person) answer(p, lnp []float64, budget float64, dst *planning.Proposal) {
	if w, ok := h.base.(*councils.CobbDouglas); ok && h.b.sigma > 0 && h.b.sigma != 1 {
		cesWorker(w, h.b.sigma, p, dst)
		return
	}
	if h.gamma == nil {
		h.base.Propose(p, lnp, budget, dst)
		return
	}
	c := h.base.(*councils.Consumer)
	m := 0.0
	for i, l := range c.Weights {
		m += p[l.Good] * h.gamma[i]
	}
	if budget > m {
		h.base.Propose(p, lnp, budget-m, dst)
		for i := range dst.In {
			dst.In[i].Qty += h.gamma[i]
		}
		return
	}
	dst.Out, dst.In = dst.Out[:0], dst.In[:0]
	for i, l := range c.Weights {
		dst.In = append(dst.In, planning.Line{Good: l.Good, Qty: h.gamma[i] * budget / m})
	}
}

// cesWorker sets dst to the surplus-maximising plan of w's technology made
// CES with substitution sigma (the spec's formulas).
func cesWorker(w *councils.CobbDouglas, sigma float64, p []float64, dst *planning.Proposal) {
	q := p[w.Output]
	for _, e := range w.Emissions {
		q -= e.Qty * p[e.Good]
	}
	dst.Out = append(dst.Out[:0], planning.Line{Good: w.Output})
	dst.In = dst.In[:0]
	for _, l := range w.Inputs {
		dst.In = append(dst.In, planning.Line{Good: l.Good})
	}
	for _, e := range w.Emissions {
		dst.In = append(dst.In, planning.Line{Good: e.Good})
	}
	if !(q > 0) {
		return
	}
	b := w.B
	cs := 0.0
	for _, l := range w.Inputs {
		a := l.Qty / b
		cs += math.Pow(a, sigma) * math.Pow(p[l.Good], 1-sigma)
	}
	c := math.Pow(cs, 1/(1-sigma))
	X := math.Pow(b*q*w.Scale/c, 1/(1-b))
	y := w.Scale * math.Pow(X, b)
	dst.Out[0].Qty = y
	for i, l := range w.Inputs {
		a := l.Qty / b
		dst.In[i].Qty = X * math.Pow(a, sigma) * math.Pow(p[l.Good]/c, -sigma)
	}
	for i, e := range w.Emissions {
		dst.In[len(w.Inputs)+i].Qty = e.Qty * y
	}
}

// propose returns the council's proposal at prices p and budget.
func (h *person) propose(p, lnp []float64, budget float64) *planning.Proposal {
	star := &planning.Proposal{}
	h.answer(p, lnp, budget, star)
	pr := star
	if l := h.b.lambda; l > 0 && l < 1 && h.last != nil {
		pr = &planning.Proposal{Out: adjust(h.last.Out, star.Out, l), In: adjust(h.last.In, star.In, l)}
		sb, sc := planning.Value(pr.Out, p), planning.Value(pr.In, p)
		switch h.role {
		case planning.Consumer:
			if sc > budget {
				scaleLines(pr.In, budget/sc)
			}
		case planning.Worker:
			if sb < sc {
				pr = star
			}
		}
	}
	if n := h.b.roundTo; n > 0 {
		pr = roundProposal(h.role, pr, n, p)
	}
	h.last = pr
	return pr
}

func adjust(from, to []planning.Line, l float64) []planning.Line {
	out := make([]planning.Line, len(to))
	for i, t := range to {
		out[i] = planning.Line{Good: t.Good, Qty: from[i].Qty + l*(t.Qty-from[i].Qty)}
	}
	return out
}

func scaleLines(ls []planning.Line, f float64) {
	for i := range ls {
		ls[i].Qty *= f
	}
}

// roundSig rounds x > 0 to n significant figures, up or down.
func roundSig(x float64, n int, up bool) float64 {
	if !(x > 0) {
		return x
	}
	e := math.Floor(math.Log10(x)) - float64(n-1)
	u := math.Pow(10, e)
	m := x / u
	r := math.Floor(m)
	if up {
		r = math.Ceil(m)
	}
	if !up && r*u > x {
		r--
	}
	if up && r*u < x {
		r++
	}
	return r * u
}

func roundProposal(role planning.Role, pr *planning.Proposal, n int, p []float64) *planning.Proposal {
	rl := func(ls []planning.Line, up bool) []planning.Line {
		out := make([]planning.Line, len(ls))
		for i, l := range ls {
			out[i] = planning.Line{Good: l.Good, Qty: roundSig(l.Qty, n, up)}
		}
		return out
	}
	if role == planning.Consumer {
		return &planning.Proposal{In: rl(pr.In, false)}
	}
	r := &planning.Proposal{Out: rl(pr.Out, false), In: rl(pr.In, true)}
	if planning.Value(r.Out, p) < planning.Value(r.In, p) {
		r.Out = rl(pr.Out, true)
		if planning.Value(r.Out, p) < planning.Value(r.In, p) {
			return pr
		}
	}
	return r
}

// crowd is a named way of drawing each council's behaviour.
type crowd struct {
	name string
	draw func(rng *rand.Rand, role planning.Role) behaviour
}

var crowds = []crowd{
	{"reference", func(*rand.Rand, planning.Role) behaviour { return behaviour{} }},
	{"ces-workers", func(rng *rand.Rand, r planning.Role) behaviour {
		return behaviour{sigma: math.Exp(math.Log(0.4) + rng.Float64()*math.Log(2.5/0.4))}
	}},
	{"subsistence", func(rng *rand.Rand, r planning.Role) behaviour { return behaviour{subsist: 0.2 + 0.5*rng.Float64()} }},
	{"adjust-0.5", func(*rand.Rand, planning.Role) behaviour { return behaviour{lambda: 0.5} }},
	{"adjust-0.3-1", func(rng *rand.Rand, r planning.Role) behaviour { return behaviour{lambda: 0.3 + 0.7*rng.Float64()} }},
	{"round-2", func(*rand.Rand, planning.Role) behaviour { return behaviour{roundTo: 2} }},
	{"round-3", func(*rand.Rand, planning.Role) behaviour { return behaviour{roundTo: 3} }},
	{"mixed", func(rng *rand.Rand, r planning.Role) behaviour {
		var b behaviour
		if rng.Float64() < 0.5 {
			b.sigma = math.Exp(math.Log(0.4) + rng.Float64()*math.Log(2.5/0.4))
		}
		if rng.Float64() < 0.5 {
			b.subsist = 0.2 + 0.5*rng.Float64()
		}
		if rng.Float64() < 0.5 {
			b.lambda = 0.3 + 0.7*rng.Float64()
		}
		if rng.Float64() < 0.3 {
			b.roundTo = 2 + rng.IntN(2)
		}
		return b
	}},
}

// people returns e's councils behaving as cr draws them from seed. The
// needs of Stone–Geary consumers are sized from their reference demand at
// the reference economy's equilibrium.
func people(t testing.TB, e *councils.Economy, cr crowd, seed uint64) []*person {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0xbeef))
	var ref *planning.Round
	ps := make([]*person, len(e.Models))
	for c, m := range e.Models {
		role := e.Plan.Councils[c].Role
		h := &person{role: role, base: m, b: cr.draw(rng, role)}
		if role != planning.Worker {
			h.b.sigma = 0
		}
		if role != planning.Consumer {
			h.b.subsist = 0
		}
		if h.b.subsist > 0 {
			if ref == nil {
				res, err := councils.Run(e, councils.RunOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: 60})
				if err != nil {
					t.Fatal(err)
				}
				ref = res.Last()
			}
			var pr planning.Proposal
			lnp := make([]float64, len(ref.Prices))
			for j, p := range ref.Prices {
				lnp[j] = math.Log(p)
			}
			m.Propose(ref.Prices, lnp, ref.Budgets[c], &pr)
			for _, l := range pr.In {
				h.gamma = append(h.gamma, h.b.subsist*l.Qty)
			}
		}
		ps[c] = h
	}
	return ps
}

// play runs the plan with the people under rule from prices (nil: the
// economy's) for at most maxRounds rounds at tolerance tol, and returns
// the closed rounds and whether it diverged.
func play(e *councils.Economy, ps []*person, rule planning.Rule, prices []float64, tol float64, maxRounds int) ([]*planning.Round, bool) {
	plan := *e.Plan
	plan.Tolerance = tol
	if prices == nil {
		prices = e.Prices
	}
	b, err := planning.NewBoard(&plan, prices)
	if err != nil {
		return nil, true
	}
	lnp := make([]float64, len(prices))
	for t := 0; ; t++ {
		r := b.Current()
		for j, p := range r.Prices {
			lnp[j] = math.Log(p)
		}
		for c, h := range ps {
			b.Submit(c, h.propose(r.Prices, lnp, r.Budgets[c]))
		}
		if _, err := b.Close(); err != nil {
			return b.Rounds(), true
		}
		if r.Converged || t+1 >= maxRounds {
			return b.Rounds(), false
		}
		next, _ := rule.Next(&plan, b.Rounds())
		if _, err := b.Open(next); err != nil {
			return b.Rounds()[:len(b.Rounds())-1], true
		}
	}
}

// roundsTo returns the rounds (round 0 counted) until every gap was at most
// tol, or -1.
func roundsTo(rs []*planning.Round, tol float64) int {
	for _, r := range rs {
		if r.Closed && r.MaxGap <= tol && r.Failing == 0 {
			return r.Number + 1
		}
	}
	return -1
}

func generated(t testing.TB, goods, ncouncils int, seed uint64, ces bool) *councils.Economy {
	t.Helper()
	sc, err := councils.Generate(councils.GenOptions{Goods: goods, Councils: ncouncils, Seed: seed, CES: ces})
	if err != nil {
		t.Fatal(err)
	}
	e, err := councils.NewEconomy(sc)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func coldPrices(e *councils.Economy) []float64 {
	p := make([]float64, len(e.Prices))
	for j := range p {
		p[j] = 1
	}
	return p
}

// TestPeopleTable prints, with -people, the rounds to 3%, 1e-3 and 1e-4
// and the last gap of each rule on each crowd of generated economies.
func TestPeopleTable(t *testing.T) {
	if !*peopleTable {
		t.Skip("run with -people to print the table")
	}
	rules := strings.Split(*peopleRules, ",")
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-14s %-6s %-12s %s\n", "crowd", "econ", "rule", "to 3% / 1e-3 / 1e-4 ; gap after 40")
	for _, cr := range crowds {
		for _, seed := range []uint64{1, 2, 3} {
			for _, ces := range []bool{false, true} {
				e := generated(t, 15, 60, seed, ces)
				for _, rn := range rules {
					rule, _ := planning.NewRule(rn, 0)
					max := 40
					if rn != "learning" {
						max = 300
					}
					ps := people(t, e, cr, seed)
					rs, div := play(e, ps, rule, coldPrices(e), 1e-9, max)
					fmt.Fprintf(&sb, "%-14s s%d%-4v %-12s %3d %3d %3d ; %.2g div=%v\n", cr.name, seed, ces, rn,
						roundsTo(rs, 0.03), roundsTo(rs, 1e-3), roundsTo(rs, 1e-4), rs[min(len(rs), 40)-1].MaxGap, div)
				}
			}
		}
	}
	t.Log("\n" + sb.String())
}
