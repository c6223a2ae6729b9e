package learning

import (
	"math"
	"math/rand/v2"
	"testing"

	"parecon/planning"
)

// TestOwnSpeed checks that ownSpeed reads a rounding Cobb–Douglas worker
// (two figures, b = 0.8) that moves partway at its own λ, within 0.06,
// from its proposals at prices that wander by up to 15% a round, though
// the rule de-lags its proposals with another λ̂ (the partial movers'
// mean, 0.6); and that it says nothing of a council not taken to move
// partway.
func TestOwnSpeed(t *testing.T) {
	const b, a1 = 0.8, 0.6
	answer := func(lnp []float64) []float64 {
		p0, p1, p2 := math.Exp(lnp[0]), math.Exp(lnp[1]), math.Exp(lnp[2])
		lnc := a1*math.Log(p1/a1) + (1-a1)*math.Log(p2/(1-a1))
		y := math.Exp(b / (1 - b) * (math.Log(b*p0) - lnc))
		return []float64{y, b * a1 * p0 * y / p1, b * (1 - a1) * p0 * y / p2}
	}
	for _, tc := range []struct {
		lam     float64
		partial bool
	}{{0.74, true}, {0.4, true}, {0.95, true}, {0.5, false}} {
		rng := rand.New(rand.NewPCG(7, uint64(100*tc.lam)))
		m := &fitted{adj: make([]lagFit, 1), poll: make([]bool, 3)}
		a := &m.adj[0]
		a.partial, a.lam = tc.partial, 0.6
		w := &workerFit{mem: newFitMemory()}
		var dst, unr planning.Proposal
		x := []float64{0, 0, 0}
		var prev *planning.Proposal
		var q []float64
		for round := 0; round < 12; round++ {
			if round > 0 {
				for j := range x {
					x[j] += 0.15 * (2*rng.Float64() - 1)
				}
			}
			p := []float64{math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2])}
			ans := answer(x)
			if q == nil {
				q = ans
			} else {
				for i := range q {
					q[i] += tc.lam * (ans[i] - q[i])
				}
			}
			pr := &planning.Proposal{
				Out: []planning.Line{{Good: 0, Qty: roundSig(q[0], 2, false)}},
				In:  []planning.Line{{Good: 1, Qty: roundSig(q[1], 2, true)}, {Good: 2, Qty: roundSig(q[2], 2, true)}},
			}
			for i, l := range append(append([]planning.Line(nil), pr.Out...), pr.In...) {
				q[i] = l.Qty // the council moves from its standing proposal
			}
			obs := pr
			if prev != nil {
				obs = a.delag(planning.Worker, pr, prev, p, 0, &dst)
			}
			obs = unround(obs, 0.1, planning.Worker, &unr)
			if !w.observe(obs, m.poll, p, x) {
				t.Fatal("observe")
			}
			w.lam = a.speed()
			m.roundedB(0, w, pr, 0.1, a.speed())
			prev = pr
		}
		t.Logf("λ %.2f partial %v: own λ̂ %.3f", tc.lam, tc.partial, a.own)
		switch {
		case !tc.partial && a.own != 0:
			t.Errorf("λ %.2f: own λ̂ %.3f of a council not taken to move partway, want 0", tc.lam, a.own)
		case tc.partial && math.Abs(a.own-tc.lam) > 0.06:
			t.Errorf("λ %.2f: own λ̂ %.3f, want within 0.06", tc.lam, a.own)
		}
	}
}
