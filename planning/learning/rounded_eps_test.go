package learning

import (
	"math"
	"testing"

	"parecon/planning"
)

// TestRoundedEps checks that a rounding worker's emission per unit of
// output is narrowed by its rounds: the fitted ε stays within what every
// rounded proposal allows (the true ε among it), the interval shrinks to
// less than half of one proposal's as the output moves, the fit's net unit
// value follows the fitted ε, and a worker whose ε changes (its intervals
// stop overlapping) is read from its newest proposal again.
func TestRoundedEps(t *testing.T) {
	// Output good 0, input good 1, pollutant good 2; q/p = 0.15.
	p := []float64{1, 1, 0.85 / 0.123}
	lnp := []float64{0, 0, math.Log(p[2])}
	poll := []bool{false, false, true}
	round2 := func(y, eps float64) *planning.Proposal {
		q := p[0] - eps*p[2]
		return &planning.Proposal{
			Out: []planning.Line{{Good: 0, Qty: roundSig(y, 2, false)}},
			In: []planning.Line{
				{Good: 1, Qty: roundSig(0.8*q*y/p[1], 2, true)},
				{Good: 2, Qty: roundSig(eps*y, 2, true)},
			},
		}
	}
	m := &fitted{adj: make([]lagFit, 1), poll: poll}
	w := &workerFit{mem: newFitMemory()}
	var dst planning.Proposal
	observe := func(pr *planning.Proposal) {
		t.Helper()
		obs := unround(pr, 0.1, planning.Worker, &dst)
		if !w.observe(obs, poll, p, lnp) {
			t.Fatal("observe")
		}
		m.roundedEps(0, w, pr, 0.1, 1, p)
		if q := w.netUnitValue(p); math.Abs(math.Log(q)-w.lq) > 1e-12 {
			t.Fatalf("ln q %.6f, the fit's lq %.6f", math.Log(q), w.lq)
		}
	}
	const eps = 0.123
	var width0 float64
	for i, y := range []float64{137, 2410, 58.3, 911, 4470, 263} {
		observe(round2(y, eps))
		tr := &m.et[0]
		if !(tr.lo[0] <= eps && eps <= tr.hi[0]) {
			t.Fatalf("round %d: interval [%.5f, %.5f] leaves out ε = %g", i, tr.lo[0], tr.hi[0], eps)
		}
		if i == 0 {
			width0 = tr.hi[0] - tr.lo[0]
		}
	}
	tr := &m.et[0]
	if width := tr.hi[0] - tr.lo[0]; width > width0/2 {
		t.Errorf("interval width %.5f after six rounds, one round's %.5f", width, width0)
	}
	if got := w.eps[0]; math.Abs(got-eps) > (tr.hi[0]-tr.lo[0])/2 {
		t.Errorf("fitted ε %.5f, not the middle of [%.5f, %.5f]", got, tr.lo[0], tr.hi[0])
	}
	t.Logf("ε %.5f (true %g) within [%.5f, %.5f], one round's width %.5f", w.eps[0], eps, tr.lo[0], tr.hi[0], width0)
	// The technology changes: ε 0.1.
	observe(round2(800, 0.1))
	if !(tr.lo[0] <= 0.1 && 0.1 <= tr.hi[0]) {
		t.Errorf("after ε changed: interval [%.5f, %.5f] leaves out 0.1", tr.lo[0], tr.hi[0])
	}
}
