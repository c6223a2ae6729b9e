package learning

import (
	"math"
	"testing"

	"parecon/planning"
)

// TestLagFullAnswerFirst checks add's reading of a council whose first
// informative round was its exact answer (a worker whose partial step would
// have fallen below SB/SC = 1 answers in full) and whose later rounds are
// partial steps of λ = 0.32: once a round shows a partial step, that answer
// counts no more, and λ̂ is what the partial steps alone give; a council
// that answers late keeps it (its full answers are not a partial mover's),
// and a council whose every round is its answer keeps λ̂ = 1.
func TestLagFullAnswerFirst(t *testing.T) {
	const lam = 0.32
	full := func(u float64) [2]float64 { return [2]float64{u, u} }       // y = 0
	step := func(u float64) [2]float64 { return [2]float64{u, lam * u} } // y = (1 − λ)·u
	steps := [][2]float64{step(0.12), step(-0.06), step(-0.08), step(0.05)}
	read := func(late bool, rounds ...[2]float64) float64 {
		a := lagFit{lam: 1, late: late}
		for _, r := range rounds {
			a.add(r[0], r[1])
		}
		return a.speed()
	}
	partial := read(false, steps...)
	if !(partial < 0.4) {
		t.Fatalf("partial steps of λ %.2f alone read λ̂ %.4f, want below 0.4", lam, partial)
	}
	for _, tc := range []struct {
		name   string
		late   bool
		first  [][2]float64 // the rounds before steps
		lo, hi float64      // λ̂ after them and steps
	}{
		{"full answer first", false, [][2]float64{full(0.22)}, partial, partial},
		{"two full answers first", false, [][2]float64{full(0.22), full(-0.15)}, partial, partial},
		{"late council", true, [][2]float64{full(0.22)}, partial + 0.1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(tc.late, append(append([][2]float64(nil), tc.first...), steps...)...)
			if math.IsNaN(got) || got < tc.lo-1e-9 || got > tc.hi+1e-9 {
				t.Errorf("λ̂ %.6f, want in [%.6f, %.6f]", got, tc.lo, tc.hi)
			}
		})
	}
	if got := read(false, full(0.22), full(0.12), full(-0.06)); got != 1 {
		t.Errorf("a council whose every round is its answer: λ̂ %.4f, want 1", got)
	}
}

// TestLagThinMargin checks that a Cobb–Douglas worker that rounds to two
// figures and moves the whole way is not read as moving partway in any
// round where its emissions cost most of its output's value (93%): its
// identities then scatter by many times its lines' rounding (amp), as a
// partial mover's would (λ̂ 0.51 in one round before amp), and λ̂ must
// stay 1; the same worker with a wide margin (10%) that moves half way is
// still read as a partial mover. (With the thin margin a half-way mover
// is read as a whole mover too: its figures cannot tell the two apart.)
func TestLagThinMargin(t *testing.T) {
	const b, a1 = 0.9, 0.6
	answer := func(eps float64, lnp []float64) *planning.Proposal {
		p0, p1, p2, p3 := math.Exp(lnp[0]), math.Exp(lnp[1]), math.Exp(lnp[2]), math.Exp(lnp[3])
		q := p0 - eps*p3
		lnc := a1*math.Log(p1/a1) + (1-a1)*math.Log(p2/(1-a1))
		y := math.Exp(b / (1 - b) * (math.Log(b*q) - lnc))
		return &planning.Proposal{
			Out: []planning.Line{{Good: 0, Qty: y}},
			In:  []planning.Line{{Good: 1, Qty: b * a1 * q * y / p1}, {Good: 2, Qty: b * (1 - a1) * q * y / p2}, {Good: 3, Qty: eps * y}},
		}
	}
	// Log prices of the rounds: the output's and the pollutant's move
	// together, the margin staying thin (emissions 90–95% of the price
	// with ε = 0.93 at their first prices).
	rounds := [][]float64{
		{0, 0, 0, 0}, {0.05, 0.3, -0.25, 0.045}, {0.02, -0.3, 0.2, 0.01},
		{0.06, 0.25, 0.3, 0.05}, {0.03, -0.2, -0.3, 0.025}, {0.07, 0.3, 0.1, 0.065},
		{0.01, -0.3, 0.3, 0.0}, {0.04, 0.2, -0.2, 0.035},
	}
	poll := []bool{false, false, false, true}
	// read returns the least λ̂ over the rounds.
	read := func(eps, lam float64) float64 {
		a := lagFit{}
		least := 1.0
		var prev *planning.Proposal
		for _, x := range rounds {
			p := []float64{math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2]), math.Exp(x[3])}
			ans := answer(eps, x)
			step := ans
			if prev != nil {
				step = &planning.Proposal{}
				for i, l := range ans.Out {
					step.Out = append(step.Out, planning.Line{Good: l.Good, Qty: prev.Out[i].Qty + lam*(l.Qty-prev.Out[i].Qty)})
				}
				for i, l := range ans.In {
					step.In = append(step.In, planning.Line{Good: l.Good, Qty: prev.In[i].Qty + lam*(l.Qty-prev.In[i].Qty)})
				}
			}
			pr := &planning.Proposal{}
			for _, l := range step.Out {
				pr.Out = append(pr.Out, planning.Line{Good: l.Good, Qty: roundSig(l.Qty, 2, false)})
			}
			for _, l := range step.In {
				pr.In = append(pr.In, planning.Line{Good: l.Good, Qty: roundSig(l.Qty, 2, true)})
			}
			a.quantum = quantumOf(pr)
			a.observe(planning.Worker, pr, prev, poll, p, 0, nil)
			prev = pr
			least = math.Min(least, a.speed())
		}
		return least
	}
	if got := read(0.93, 1); got != 1 {
		t.Errorf("a whole mover with a thin margin: λ̂ %.4f, want 1", got)
	}
	if got := read(0.1, 0.5); !(got < 0.9) {
		t.Errorf("a half-way mover with a wide margin: λ̂ %.4f, want below 0.9", got)
	}
}
