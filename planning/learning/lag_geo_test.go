package learning

import (
	"math"
	"testing"

	"parecon/planning"
)

// TestLagProportional plays a Cobb–Douglas consumer council (shares 0.2,
// 0.3, 0.5 of a budget of 100) through rounds of falling prices far
// apart (so that its standing proposal costs less than its budget), moving
// partway either in amount (the spec's partial adjuster) or in proportion
// (x_{t−1}^(1−λ)·x*^λ), and checks lagFit's reading against the λ it was
// given: a council moving in amount is never taken to move in proportion
// and reads about its λ; one moving in proportion is, and reads its λ
// exactly, and its de-lagged proposal is its answer.
func TestLagProportional(t *testing.T) {
	shares := []float64{0.2, 0.3, 0.5}
	const budget = 100.0
	answer := func(p []float64) *planning.Proposal {
		pr := &planning.Proposal{}
		for j, s := range shares {
			pr.In = append(pr.In, planning.Line{Good: j, Qty: s * budget / p[j]})
		}
		return pr
	}
	prices := [][]float64{{1, 1, 1}, {0.5, 0.8, 0.25}, {0.3, 0.2, 0.2}, {0.05, 0.15, 0.12}, {0.04, 0.03, 0.1}, {0.02, 0.025, 0.02}}
	poll := make([]bool, 3)
	for _, tc := range []struct {
		name string
		geo  bool
		lam  float64
	}{
		{"in amount, λ 0.5", false, 0.5},
		{"in amount, λ 0.3", false, 0.3},
		{"in proportion, λ 0.5", true, 0.5},
		{"in proportion, λ 0.35", true, 0.35},
		{"in proportion, λ 0.65", true, 0.65},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a lagFit
			var prev *planning.Proposal
			for r, p := range prices {
				x := answer(p)
				if prev != nil {
					for i := range x.In {
						x0 := prev.In[i].Qty
						if tc.geo {
							x.In[i].Qty = x0 * math.Pow(x.In[i].Qty/x0, tc.lam)
						} else {
							x.In[i].Qty = x0 + tc.lam*(x.In[i].Qty-x0)
						}
					}
				}
				if prev != nil && planning.Value(prev.In, p) >= budget {
					// A step the spec's council would scale to its budget:
					// not this test's case.
					prev = x
					continue
				}
				a.observe(planning.Consumer, x, prev, poll, p, budget, nil)
				if r >= 2 && tc.geo && a.geo.on {
					var dst planning.Proposal
					got := a.delag(planning.Consumer, x, prev, p, budget, &dst)
					want := answer(p)
					for i := range want.In {
						if d := math.Abs(got.In[i].Qty/want.In[i].Qty - 1); d > 1e-6 {
							t.Errorf("round %d good %d: de-lagged %.6g, the answer %.6g", r, i, got.In[i].Qty, want.In[i].Qty)
						}
					}
				}
				prev = x
			}
			if a.geo.on != tc.geo {
				t.Fatalf("taken to move in proportion: %v, want %v (readings: linear %.3g, proportional %.3g)", a.geo.on, tc.geo, a.geo.lastL, a.geo.lastG)
			}
			// lag.go's regression shrinks λ̂ towards 1 over few rounds;
			// the proportional reading is exact.
			tol := 0.1
			if tc.geo {
				tol = 1e-6
			}
			if got := a.speed(); math.Abs(got-tc.lam) > tol {
				t.Errorf("λ̂ %.6f, want %.2f within %g", got, tc.lam, tol)
			}
		})
	}
}
