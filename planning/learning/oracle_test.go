package learning_test

import (
	"flag"
	"fmt"
	"math"
	"testing"

	"parecon/councils"
	"parecon/planning"
)

// This file is an oracle for the people tables (-people-rules oracle): a
// board that knows every council's model and behaviour (its λ, its
// scaling rules) and, each round, publishes the prices that make that
// round's largest gap as small as it can find, given the proposals
// standing from the round before. It is test-only: no real board knows
// these things. It is greedy (one round at a time, round 0 at the same
// cold prices the rules get), so its rounds are what the behaviour allows
// a board that clears each round as well as one round can, not a bound
// over every sequence of prices; it says how much room a rule has.

// oracleIters bounds the Gauss–Newton steps of one round's search.
const oracleIters = 40

// runOracle plays e from prices with the oracle choosing every price after
// round 0, for at most maxRounds rounds, and returns what it came to as
// runCrowd does.
func runOracle(t testing.TB, e *councils.Economy, prices []float64, maxRounds int) outcome {
	t.Helper()
	pr, err := councils.NewProcess(e, councils.ProcessOptions{Rule: "tatonnement", Tolerance: 1e-9, MaxRounds: maxRounds, Prices: prices})
	if err != nil {
		t.Fatal(err)
	}
	o := &oracle{plan: e.Plan, models: e.Models, fixed: e.Plan.FixedSupply(), commons: e.Plan.HasCommons()}
	for {
		b := pr.Board()
		next := o.next(b.Current())
		cr, err := pr.CloseAt(next)
		if *oracleDebug {
			w := cr.Closed.Worst
			t.Logf("round %d gap %.3g worst %d (%s s %.3g d %.3g p %.3g) status %v", cr.Closed.Number, cr.Closed.MaxGap, w, e.Plan.Goods[w].ID, cr.Closed.Supply[w], cr.Closed.Demand[w], cr.Closed.Prices[w], cr.Status)
		}
		if err != nil {
			t.Fatal(err)
		}
		if cr.Status != councils.StatusOpen || cr.Closed.MaxGap <= 1e-5 {
			break
		}
	}
	rs := pr.Board().Rounds()
	out := outcome{r3: roundsTo(rs, 0.03), r1e3: roundsTo(rs, 1e-3), r1e4: roundsTo(rs, 1e-4), rFloor: -1}
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Closed {
			out.last = rs[i].MaxGap
			break
		}
	}
	return out
}

// oracle holds what it knows of the economy.
type oracle struct {
	plan   *planning.Plan
	models []councils.Model
	fixed  []float64
	// commons: the plan has commons goods (commons_oracle_test.go).
	commons bool
	// reach, if > 0, bounds each price within e^±reach of the round
	// before's instead of e^±4 (commons_oracle_test.go).
	reach float64
}

// gaps sets g to ln(demand/supply) per good in the round the board would
// open at prices p after the open round r, the councils answering from
// r's proposals, and returns the largest size.
func (o *oracle) gaps(r *planning.Round, surplus float64, p []float64, g []float64) float64 {
	if o.commons {
		return o.commonsGaps(r, surplus, p, g)
	}
	n := len(p)
	lnp := make([]float64, n)
	for j := range p {
		lnp[j] = math.Log(p[j])
	}
	pool := planning.Value2(o.fixed, p) + surplus
	s := append([]float64(nil), o.fixed...)
	d := make([]float64, n)
	var dst planning.Proposal
	for i, m := range o.models {
		if m == nil {
			continue
		}
		c := &o.plan.Councils[i]
		budget := 0.0
		if c.Role == planning.Consumer {
			budget = c.Budget(0, pool)
		}
		dst.Out, dst.In = dst.Out[:0], dst.In[:0]
		m.Propose(p, lnp, budget, r.Proposals[i], &dst)
		for _, l := range dst.Out {
			s[l.Good] += l.Qty
		}
		for _, l := range dst.In {
			d[l.Good] += l.Qty
		}
	}
	// ln(d/s): smooth where the gap saturates near 1, and its largest
	// size is the largest gap's, as gap = 1 − e^−|ln(d/s)|.
	return logGaps(s, d, g)
}

// next returns the prices of the round after the open round r: from r's
// prices, Gauss–Newton steps in log prices (finite-difference Jacobian,
// Levenberg damping) on Σ|g_j|^q for q = 2, 4, …, 64 in turn (iteratively
// reweighted least squares), so that the search tends to the smallest
// largest gap; the prices of the smallest largest gap it met are returned.
func (o *oracle) next(r *planning.Round) []float64 {
	n := len(r.Prices)
	surplus := 0.0
	for i, pr := range r.Proposals {
		if pr != nil && o.plan.Councils[i].Role == planning.Worker {
			surplus += planning.Value(pr.Out, r.Prices) - planning.Value(pr.In, r.Prices)
		}
	}
	num := o.plan.Numeraire
	free := make([]int, 0, n)
	for j := range n {
		if j != num {
			free = append(free, j)
		}
	}
	m := len(free)
	reach := 4.0
	if o.reach > 0 {
		reach = o.reach
	}
	p := append([]float64(nil), r.Prices...)
	g := make([]float64, n)
	worst := o.gaps(r, surplus, p, g)
	best, bestP, bestG := worst, append([]float64(nil), p...), append([]float64(nil), g...)
	jac := make([][]float64, n) // jac[j][k]: ∂g_j/∂ln p_free[k]
	for j := range jac {
		jac[j] = make([]float64, m)
	}
	gh := make([]float64, n)
	trial := make([]float64, n)
	gt := make([]float64, n)
	w := make([]float64, n)
	const h = 1e-6
	// norm returns (Σ|g_j/scale|^q)^(1/q)·scale.
	norm := func(g []float64, q, scale float64) float64 {
		v := 0.0
		for _, x := range g {
			v += math.Pow(math.Abs(x)/scale, q)
		}
		return math.Pow(v, 1/q) * scale
	}
	for q := 2.0; q <= 64 && best > 1e-10; q *= 2 {
		mu := 1e-3
		for it := 0; it < oracleIters && worst > 1e-10; it++ {
			for k, jj := range free {
				copy(trial, p)
				trial[jj] *= math.Exp(h)
				o.gaps(r, surplus, trial, gh)
				for j := range n {
					jac[j][k] = (gh[j] - g[j]) / h
				}
			}
			for j := range n {
				w[j] = math.Pow(math.Abs(g[j])/worst, q-2)
			}
			f := norm(g, q, worst)
			improved := false
			for try := 0; try < 10; try++ {
				step := solveLM(jac, g, w, mu)
				for k, jj := range free {
					// Steps of at most e^±1, within e^±4 of r's price.
					v := p[jj] * math.Exp(math.Max(-1, math.Min(1, step[k])))
					trial[jj] = math.Max(r.Prices[jj]*math.Exp(-reach), math.Min(r.Prices[jj]*math.Exp(reach), v))
				}
				trial[num] = p[num]
				v := o.gaps(r, surplus, trial, gt)
				if v < best {
					best = v
					copy(bestP, trial)
					copy(bestG, gt)
				}
				if norm(gt, q, worst) < f*(1-1e-9) {
					copy(p, trial)
					copy(g, gt)
					worst = v
					mu = math.Max(mu/3, 1e-9)
					improved = true
					break
				}
				mu *= 10
			}
			if !improved {
				break
			}
		}
		// The next power starts from the best prices so far.
		copy(p, bestP)
		copy(g, bestG)
		worst = best
	}
	if *oracleDebug {
		fmt.Printf("oracle: round %d: ln(d/s) after the search: %.3g\n", r.Number+1, bestG)
	}
	return bestP
}

// solveLM returns the step δ that minimises Σ w_j (g_j + J_j·δ)² + μ Σ
// d_k δ_k², d the diagonal of JᵀWJ (Levenberg–Marquardt), by Gaussian
// elimination.
func solveLM(jac [][]float64, g, w []float64, mu float64) []float64 {
	m := len(jac[0])
	a := make([][]float64, m)
	for k := range a {
		a[k] = make([]float64, m+1)
	}
	for j := range jac {
		if w[j] == 0 {
			continue
		}
		for k := range m {
			v := w[j] * jac[j][k]
			if v == 0 {
				continue
			}
			for l := range m {
				a[k][l] += v * jac[j][l]
			}
			a[k][m] -= v * g[j]
		}
	}
	for k := range m {
		a[k][k] += mu*a[k][k] + 1e-12
	}
	for c := range m {
		piv := c
		for r := c + 1; r < m; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		a[c], a[piv] = a[piv], a[c]
		if a[c][c] == 0 {
			continue
		}
		for r := c + 1; r < m; r++ {
			f := a[r][c] / a[c][c]
			if f == 0 {
				continue
			}
			for l := c; l <= m; l++ {
				a[r][l] -= f * a[c][l]
			}
		}
	}
	x := make([]float64, m)
	for c := m - 1; c >= 0; c-- {
		v := a[c][m]
		for l := c + 1; l < m; l++ {
			v -= a[c][l] * x[l]
		}
		if a[c][c] != 0 {
			x[c] = v / a[c][c]
		}
	}
	return x
}

// oracleDebug logs the oracle's rounds.
var oracleDebug = flag.Bool("people-oracle-v", false, "log the oracle's rounds (-people-rules oracle)")
