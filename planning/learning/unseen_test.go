package learning_test

import (
	"flag"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"parecon/councils"
	"parecon/planning"
)

// This file plays councils whose behaviour nothing in the project models
// (docs/facilitation.md, "Behaviours the rule has not seen"): the spec's
// behaviours are what the board was built for, and the issue asks that it
// learn how each council actually answers rather than assume one of their
// forms. Each behaviour wraps a council's reference model, in this test
// only; the rule sees their proposals and nothing else.
//
//   - capped: a consumer council wants at most a cap of one good (80% of
//     what it asks for at the reference equilibrium) and spends what the
//     cap leaves on its other goods. (The type can also cap a worker's
//     output, its inputs scaled with it; the table does not use it: with
//     every worker's capacity capped the emissions stop answering the
//     pollutant's price and that market has only a corner equilibrium,
//     the price at the floor.)
//   - late: a council answers the previous round's prices, not this
//     round's (a council that meets before the prices are out), scaled to
//     its budget at this round's prices; a worker whose late answer would
//     fail SB/SC ≥ 1 answers this round's prices. late-30 makes about 30%
//     of the councils late, at random; late-consumers and late-workers
//     only the consumers or only the workers.
//   - fixed-proportions: a worker council with fixed input and emission
//     coefficients per unit of output (those of its answer at the reference
//     equilibrium) and an
//     iso-elastic supply, y = y₀·(m/m₀)², m its margin per unit, the price
//     of its output over the cost of its inputs and emissions; no
//     substitution at all, where the reference worker substitutes fully.
//   - proportional: a council that moves partway in proportion, not in
//     amount: x_{t−1}^(1−λ)·x*_t^λ line by line (λ drawn in 0.3–0.8),
//     where the spec's partial adjuster moves x_{t−1} + λ(x*_t − x_{t−1});
//     a consumer's step then spends less than its budget (the geometric
//     mean of two bundles costs less than their mean), a worker's that
//     would fall below SB/SC = 1 is its answer.
//   - varying: the spec's partial adjuster with a λ drawn afresh (in
//     0.3–1) each round.
//   - unseen-mix: each council one of capped, late and fixed-proportions
//     at random, or none.

var unseenTable = flag.Bool("unseen", false, "log the rounds of every rule on behaviours the rule has not seen (with -v)")

// capped caps a consumer council's request of one good, or a worker
// council's output.
type capped struct {
	m      councils.Model
	worker bool
	good   int     // the capped good (consumer)
	cap    float64 // the cap: of good (consumer), of its output (worker)
}

func (c *capped) Lines() (int, int) { return c.m.Lines() }

func (c *capped) Propose(p, lnp []float64, budget float64, prev, dst *planning.Proposal) {
	c.m.Propose(p, lnp, budget, prev, dst)
	if c.worker {
		if len(dst.Out) == 1 && dst.Out[0].Qty > c.cap {
			f := c.cap / dst.Out[0].Qty
			dst.Out[0].Qty = c.cap
			for i := range dst.In {
				dst.In[i].Qty *= f
			}
		}
		return
	}
	spare, rest := 0.0, 0.0
	for i, l := range dst.In {
		if l.Good == c.good && l.Qty > c.cap {
			spare = (l.Qty - c.cap) * p[l.Good]
			dst.In[i].Qty = c.cap
		} else if l.Good != c.good {
			rest += l.Qty * p[l.Good]
		}
	}
	if spare > 0 && rest > 0 {
		f := 1 + spare/rest
		for i, l := range dst.In {
			if l.Good != c.good {
				dst.In[i].Qty *= f
			}
		}
	}
}

// late answers the prices of the round before.
type late struct {
	m      councils.Model
	worker bool
	mu     sync.Mutex
	p, lnp []float64 // the last round's prices (nil before the first)
}

func (c *late) Lines() (int, int) { return c.m.Lines() }

func (c *late) Propose(p, lnp []float64, budget float64, prev, dst *planning.Proposal) {
	c.mu.Lock()
	lastP, lastLnp := c.p, c.lnp
	c.p, c.lnp = append([]float64(nil), p...), append([]float64(nil), lnp...)
	c.mu.Unlock()
	if lastP == nil {
		c.m.Propose(p, lnp, budget, prev, dst)
		return
	}
	if !c.worker {
		c.m.Propose(lastP, lastLnp, budget, prev, dst)
		if cost := planning.Value(dst.In, p); cost > 0 {
			for i := range dst.In {
				dst.In[i].Qty *= budget / cost
			}
		}
		return
	}
	c.m.Propose(lastP, lastLnp, budget, prev, dst)
	if cost := planning.Value(dst.In, p); cost > 0 && planning.Value(dst.Out, p) < cost {
		c.m.Propose(p, lnp, budget, prev, dst)
	}
}

// fixedProportions is a worker council with fixed coefficients per unit
// of output and an iso-elastic supply of its margin.
type fixedProportions struct {
	out    int
	coef   []planning.Line // per unit of output, inputs then emissions
	y0, m0 float64
}

func (w *fixedProportions) Lines() (int, int) { return 1, len(w.coef) }

func (w *fixedProportions) Propose(p, _ []float64, _ float64, _, dst *planning.Proposal) {
	cost := planning.Value(w.coef, p)
	y := 0.0
	if m := p[w.out] / cost; cost > 0 && m > 1 {
		y = w.y0 * (m / w.m0) * (m / w.m0)
	}
	dst.Out = append(dst.Out[:0], planning.Line{Good: w.out, Qty: y})
	dst.In = dst.In[:0]
	for _, l := range w.coef {
		dst.In = append(dst.In, planning.Line{Good: l.Good, Qty: l.Qty * y})
	}
}

// partway moves a council part of the way from its standing proposal to
// its model's answer: in proportion (geo) with λ, or in amount with a λ
// drawn in 0.3–1 each round (vary, from the state x).
type partway struct {
	m      councils.Model
	plan   *planning.Plan
	c      int
	lambda float64
	geo    bool
	vary   bool
	mu     sync.Mutex
	x      uint64
}

func (w *partway) Lines() (int, int) { return w.m.Lines() }

func (w *partway) Propose(p, lnp []float64, budget float64, prev, dst *planning.Proposal) {
	w.m.Propose(p, lnp, budget, prev, dst)
	if prev == nil {
		return
	}
	lam := w.lambda
	if w.vary {
		w.mu.Lock()
		w.x = w.x*6364136223846793005 + 1442695040888963407
		lam = 0.3 + 0.7*float64(w.x>>11)/(1<<53)
		w.mu.Unlock()
	}
	answer := planning.Proposal{Out: append([]planning.Line(nil), dst.Out...), In: append([]planning.Line(nil), dst.In...)}
	move := func(to, from []planning.Line) {
		for i := range to {
			x0 := 0.0
			for _, l := range from {
				if l.Good == to[i].Good {
					x0 = l.Qty
				}
			}
			if w.geo && x0 > 0 && to[i].Qty > 0 {
				to[i].Qty = x0 * math.Pow(to[i].Qty/x0, lam)
			} else {
				to[i].Qty = x0 + lam*(to[i].Qty-x0)
			}
		}
	}
	move(dst.Out, prev.Out)
	move(dst.In, prev.In)
	if planning.Check(w.plan, w.c, dst, p, budget) == nil {
		return
	}
	if w.plan.Councils[w.c].Role == planning.Worker {
		dst.Out = append(dst.Out[:0], answer.Out...)
		dst.In = append(dst.In[:0], answer.In...)
	} else if cost := planning.Value(dst.In, p); cost > 0 {
		for i := range dst.In {
			dst.In[i].Qty *= budget / cost
		}
	}
}

// unseen names a behaviour of this file, or a mix of them.
var unseen = []string{"capped", "late", "late-30", "late-consumers", "late-workers", "fixed-proportions", "proportional", "varying", "unseen-mix"}

// unseenEconomy returns the generated economy of goods and councils from
// seed with behaviour given to its councils (each council one of them at
// random for unseen-mix).
func unseenEconomy(t testing.TB, goods, ncouncils int, seed uint64, ces bool, behaviour string) *councils.Economy {
	t.Helper()
	e := crowdEconomy(t, goods, ncouncils, seed, ces, crowd{name: "reference"})
	cold := coldPrices(e)
	x := seed*0x9e3779b97f4a7c15 + 1
	rnd := func() float64 { // splitmix64, enough for picking behaviours
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return float64((z^(z>>31))>>11) / (1 << 53)
	}
	// The behaviours are anchored at the equilibrium of the reference
	// economy (the rule's own, to 1e-10): the councils' answers at its
	// prices p*. A fixed-proportions or late council answers p* as the
	// reference one does, so p* is still the equilibrium; caps below the
	// answers at p* move it.
	ref, err := councils.Run(e, councils.RunOptions{Tolerance: 1e-10, MaxRounds: 80, Prices: cold})
	if err != nil || ref.Last().MaxGap > 1e-8 {
		t.Fatalf("the reference economy (seed %d) did not converge: %v", seed, err)
	}
	star := ref.Last()
	for i, m := range e.Models {
		b := behaviour
		if b == "unseen-mix" {
			b = []string{"", "capped", "late", "fixed-proportions"}[int(4*rnd())%4]
		}
		worker := e.Plan.Councils[i].Role == planning.Worker
		pr := star.Proposals[i]
		if m == nil || pr == nil {
			continue
		}
		switch b {
		case "capped":
			// Consumers only: with workers' capacities capped too, the
			// emissions no longer answer the pollutant's price and its
			// market clears only at a corner, the price falling to the
			// floor (seen on seeds 1 and 2).
			if !worker && len(pr.In) > 1 {
				l := pr.In[int(rnd()*float64(len(pr.In)))%len(pr.In)]
				e.Models[i] = &capped{m: m, good: l.Good, cap: 0.8 * l.Qty}
			}
		case "late":
			e.Models[i] = &late{m: m, worker: worker}
		case "late-30":
			if rnd() < 0.3 {
				e.Models[i] = &late{m: m, worker: worker}
			}
		case "late-consumers", "late-workers":
			if worker == (b == "late-workers") {
				e.Models[i] = &late{m: m, worker: worker}
			}
		case "proportional":
			e.Models[i] = &partway{m: m, plan: e.Plan, c: i, lambda: 0.3 + 0.5*rnd(), geo: true}
		case "varying":
			e.Models[i] = &partway{m: m, plan: e.Plan, c: i, vary: true, x: seed*1000 + uint64(i)}
		case "fixed-proportions":
			if worker && len(pr.Out) == 1 && pr.Out[0].Qty > 0 {
				y := pr.Out[0].Qty
				f := &fixedProportions{out: pr.Out[0].Good, y0: y}
				for _, l := range pr.In {
					f.coef = append(f.coef, planning.Line{Good: l.Good, Qty: l.Qty / y})
				}
				f.m0 = star.Prices[f.out] / planning.Value(f.coef, star.Prices)
				e.Models[i] = f
			}
		}
	}
	// The scenario's prices become p*: TestUnseenTable's -people-warm
	// starts from them, shocked (every caller passes its start).
	e.Prices = append([]float64(nil), star.Prices...)
	return e
}

// shockedPrices returns p with every price moved by a uniform draw of up to
// ±f of itself (from seed): last year's prices near the equilibrium p*.
func shockedPrices(p []float64, f float64, seed uint64) []float64 {
	x := seed*0xbf58476d1ce4e5b9 + 7
	out := make([]float64, len(p))
	for j, v := range p {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		u := float64((z^(z>>31))>>11) / (1 << 53)
		out[j] = v * (1 + f*(2*u-1))
	}
	return out
}

// TestUnseenTable logs the rounds of every rule on these behaviours
// (-unseen -v; -people-goods, -people-councils, -people-seeds set the
// economies; -people-warm f starts from the reference equilibrium p*
// with every price shocked by up to ±f, shockedPrices, instead of cold)
// and fails if the default rule diverges; without -unseen it runs one
// small mixed crowd.
func TestUnseenTable(t *testing.T) {
	behaviours, seeds, goods, nc, rules, max := unseen, *peopleSeeds, *peopleGoods, *peopleCouncils, strings.Split(*peopleRules, ","), *peopleMax
	if !*unseenTable {
		// Without -unseen, one small run of the table's code.
		behaviours, seeds, goods, nc, rules, max = unseen[len(unseen)-1:], 1, 15, 60, []string{"learning", "pequod"}, 20
	}
	if *unseenTable && *peopleCrowds != "" {
		// -people-crowds names the behaviours to run.
		behaviours = nil
		for _, b := range unseen {
			if strings.Contains(","+*peopleCrowds+",", ","+b+",") {
				behaviours = append(behaviours, b)
			}
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-18s %-10s %-12s %s\n", "behaviour", "economy", "rule", "rounds to 3% / 1e-3 / 1e-4; last gap")
	sums := map[[2]string][3][]string{}
	for _, b := range behaviours {
		for s := 1; s <= seeds; s++ {
			for _, ces := range []bool{false, true} {
				for _, rn := range rules {
					n := max
					if rn == "learning" {
						n = 40
					}
					e := unseenEconomy(t, goods, nc, uint64(s), ces, b)
					prices := coldPrices(e)
					if *peopleWarm > 0 && *unseenTable {
						prices = shockedPrices(e.Prices, *peopleWarm, uint64(s))
					}
					o := runCrowd(t, e, rn, prices, n, 0)
					k := [2]string{b, rn}
					v := sums[k]
					for i, r := range []int{o.r3, o.r1e3, o.r1e4} {
						v[i] = append(v[i], roundsText(r))
					}
					sums[k] = v
					if o.diverged && rn == "learning" {
						t.Errorf("%s seed %d ces %v: the default rule diverged", b, s, ces)
					}
					fmt.Fprintf(&sb, "%-18s s%d-ces%-5v %-12s %3d %3d %3d; %.2g%s\n", b, s, ces, rn, o.r3, o.r1e3, o.r1e4, o.last, map[bool]string{true: " diverged"}[o.diverged])
				}
			}
		}
	}
	fmt.Fprintf(&sb, "\n%-18s %-12s %s\n", "behaviour", "rule", "rounds to 3% | 1e-3 | 1e-4, one per economy (– never)")
	for _, b := range behaviours {
		for _, rn := range rules {
			v := sums[[2]string{b, rn}]
			fmt.Fprintf(&sb, "%-18s %-12s %s | %s | %s\n", b, rn, strings.Join(v[0], " "), strings.Join(v[1], " "), strings.Join(v[2], " "))
		}
	}
	t.Log("\n" + sb.String())
}

// TestLearningUnseen runs the default rule cold (40 rounds) on 15 × 60
// economies, seeds 1–2, Cobb–Douglas and CES consumers, with each
// behaviour of this file, and checks what it achieves today
// (docs/facilitation.md, "Behaviours the rule has not seen"): never a
// divergence; capped consumers within 3% in at most 5 rounds and 1e-4 in
// 8; councils that move partway in proportion within 0.06 after 40
// rounds (lag_geo.go; 0.3 before it), and those whose λ changes each
// round within 3% in 10, 1e-3 in 18 and 1e-4 in 32, both at or below the
// better baseline's gap after 300; councils that answer late (all of them, about 30%, the consumers or
// the workers) within 3% in at most 6 rounds, 1e-3 in 8 and 1e-4 in 8,
// and held there (no gap above 1e-4 after); fixed proportions, whose
// shape the board now reads from their proposals (shape.go), within 3%
// in at most 10 rounds, 1e-3 in 15 and 1e-4 in 18 (at worst 10, 13 and
// 18 since the whole step kept while a good is unsupplied, judge: seed
// 2, Cobb–Douglas consumers, reaches 3% in 9 rounds for 11 but 1e-4 in
// 18 for 13, its main producer's shape unread near the end, where its
// margin barely moves; 12, 15 and 16 were asserted before; at worst 11,
// 12 and 13
// since unseen28, the gross shape and solveShaped; 13, 21 and 28 were
// asserted before, 11, 14 and 17 reached at worst
// since unseen26; 16, 24 and 29 were asserted before, 15, 23 and 28 reached
// at worst, seed 1, Cobb–Douglas consumers, with the trust region grown by steps
// it held short whose predictions came true; 17, 26 and 31 before, with
// the workers' σ of worker_sigma.go; the shapes alone reached 15, 19 and
// 24; the rule used to end at 0.3–6% after 40); capped, late and fixed
// proportions at or below the better baseline's gap after 300 rounds; the
// mixed crowd within 3% in 12 rounds, 10⁻³ in 14 and 10⁻⁴ in 16 (12, 13
// and 15 reached at worst since late34; before, only within 0.01 after
// 40 rounds was asserted: 0.0035 at worst, was 0.06, and 0.2 before that). (The acceptance criteria
// ask for 3% in 6 rounds on every crowd; fixed proportions and the mix
// do not meet it.)
func TestLearningUnseen(t *testing.T) {
	for _, b := range unseen {
		lateCrowd := strings.HasPrefix(b, "late")
		for s := uint64(1); s <= 2; s++ {
			for _, ces := range []bool{false, true} {
				e := unseenEconomy(t, 15, 60, s, ces, b)
				res, err := councils.Run(e, councils.RunOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: 40, Prices: coldPrices(e)})
				if err != nil {
					t.Fatal(err)
				}
				rs := res.Board.Rounds()
				o := outcome{r3: roundsTo(rs, 0.03), r1e3: roundsTo(rs, 1e-3), r1e4: roundsTo(rs, 1e-4), diverged: res.Diverged, last: res.Last().MaxGap}
				name := fmt.Sprintf("%s seed %d ces %v", b, s, ces)
				t.Logf("%s: 3%%: %d, 1e-3: %d, 1e-4: %d, after 40 rounds %.2g", name, o.r3, o.r1e3, o.r1e4, o.last)
				if o.diverged {
					t.Errorf("%s: diverged", name)
				}
				within := func(what string, got, want int) {
					if got < 0 || got > want {
						t.Errorf("%s: %d rounds to %s, want ≤ %d", name, got, what, want)
					}
				}
				switch {
				case b == "capped":
					within("3%", o.r3, 5)
					within("1e-4", o.r1e4, 8)
				case lateCrowd:
					within("3%", o.r3, 6)
					within("1e-3", o.r1e3, 8)
					within("1e-4", o.r1e4, 8)
					if o.r1e4 > 0 {
						for _, r := range rs[o.r1e4:] {
							if r.Closed && r.MaxGap > 1e-4 {
								t.Errorf("%s: round %d back at a gap of %.2g after 1e-4", name, r.Number, r.MaxGap)
								break
							}
						}
					}
				case b == "fixed-proportions":
					within("3%", o.r3, 10)
					within("1e-3", o.r1e3, 15)
					within("1e-4", o.r1e4, 18)
				case b == "varying":
					within("3%", o.r3, 10)
					within("1e-3", o.r1e3, 18)
					within("1e-4", o.r1e4, 32)
				case b == "proportional":
					// Read as moving in proportion (lag_geo.go): 13–27 rounds
					// to 3%, at most 0.007 after 40. Before, 26–37 rounds
					// and never, 0.3 after 40 (seed 2, CES consumers).
					if o.last > 0.06 {
						t.Errorf("%s: gap %.2g after 40 rounds, want ≤ 0.06", name, o.last)
					}
				case b == "unseen-mix":
					within("3%", o.r3, 12)
					within("1e-3", o.r1e3, 14)
					within("1e-4", o.r1e4, 16)
				}
				if b == "capped" || b == "fixed-proportions" || b == "late" || b == "proportional" || b == "varying" {
					e := unseenEconomy(t, 15, 60, s, ces, b)
					best := math.Inf(1)
					for _, rn := range []string{"tatonnement", "pequod"} {
						if ob := runCrowd(t, e, rn, coldPrices(e), 300, 0); !ob.diverged {
							best = math.Min(best, ob.last)
						}
					}
					if o.last > best {
						t.Errorf("%s: gap %.2g after 40 rounds, the better baseline %.2g after 300", name, o.last, best)
					}
				}
			}
		}
	}
}
