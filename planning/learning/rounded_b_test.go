package learning

import (
	"math"
	"testing"

	"parecon/planning"
)

// TestRoundedB checks that a rounding Cobb–Douglas worker's elasticity
// (bE) is read from two rounds far apart (a leap), within the rounding's
// reach of its true returns to scale, where one rounded proposal alone
// leaves it a few percent of 1 − b off; and that a council that moves
// partway, or whose second round is too close to the first to say more
// than its figures, keeps the reading of its figures.
func TestRoundedB(t *testing.T) {
	// One output (good 0), two inputs (goods 1, 2), b = 0.9.
	const b, a1 = 0.9, 0.6
	answer := func(lnp []float64) *planning.Proposal {
		// y = (b·q·A/c)^(b/(1−b)) with A = 1, Cobb–Douglas unit cost c.
		p0, p1, p2 := math.Exp(lnp[0]), math.Exp(lnp[1]), math.Exp(lnp[2])
		lnc := a1*math.Log(p1/a1) + (1-a1)*math.Log(p2/(1-a1))
		ly := b / (1 - b) * (math.Log(b*p0) - lnc)
		y := math.Exp(ly)
		x1, x2 := b*a1*p0*y/p1, b*(1-a1)*p0*y/p2
		return &planning.Proposal{
			Out: []planning.Line{{Good: 0, Qty: y}},
			In:  []planning.Line{{Good: 1, Qty: x1}, {Good: 2, Qty: x2}},
		}
	}
	round2 := func(pr *planning.Proposal) *planning.Proposal {
		r := &planning.Proposal{}
		for _, l := range pr.Out {
			r.Out = append(r.Out, planning.Line{Good: l.Good, Qty: roundSig(l.Qty, 2, false)})
		}
		for _, l := range pr.In {
			r.In = append(r.In, planning.Line{Good: l.Good, Qty: roundSig(l.Qty, 2, true)})
		}
		return r
	}
	for _, tc := range []struct {
		name     string
		x0, x1   []float64 // log prices of the two rounds
		lam      float64
		refined  bool // bE should come from the two rounds
		maxError float64
	}{
		{"leap", []float64{0, 0, 0}, []float64{1.5, 0.2, -0.3}, 1, true, 0.003},
		{"small step", []float64{0, 0, 0}, []float64{0.001, 0, 0}, 1, false, 0},
		{"partial mover", []float64{0, 0, 0}, []float64{1.5, 0.2, -0.3}, 0.5, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &fitted{adj: make([]lagFit, 1), poll: make([]bool, 3)}
			w := &workerFit{mem: newFitMemory()}
			var dst planning.Proposal
			var bE0 float64
			for i, x := range [][]float64{tc.x0, tc.x1} {
				p := []float64{math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2])}
				pr := round2(answer(x))
				obs := unround(pr, 0.1, planning.Worker, &dst)
				if !w.observe(obs, m.poll, p, x) {
					t.Fatal("observe")
				}
				m.roundedB(0, w, pr, 0.1, tc.lam)
				if i == 1 {
					bE0 = math.Min(w.b, maxB)
				}
			}
			got := w.bE
			t.Logf("bE %.5f, the figures %.5f, true %.2f", got, bE0, b)
			if tc.refined {
				if math.Abs(got-b)/(1-b) > tc.maxError {
					t.Errorf("bE %.5f, want %.5f within %.0f%% of 1 − b (the figures say %.5f)", got, b, 100*tc.maxError, bE0)
				}
			} else if got != bE0 {
				t.Errorf("bE %.5f, want the figures' %.5f", got, bE0)
			}
		})
	}
}

// roundSig rounds x to n significant figures, up or down (as
// councils.RoundSig, which this package does not import).
func roundSig(x float64, n int, up bool) float64 {
	if x == 0 {
		return 0
	}
	e := math.Pow(10, math.Floor(math.Log10(x))-float64(n)+1)
	if up {
		return math.Ceil(x/e-1e-9) * e
	}
	return math.Floor(x/e+1e-9) * e
}
