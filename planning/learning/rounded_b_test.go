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
// than its figures, keeps the reading of its figures. A worker whose
// emissions (good 3, a pollutant) cost most of its output's value has its
// b misread by far more than its lines' rounding (its net value is a thin
// margin of two rounded lines): the two rounds' reading must still get
// through.
func TestRoundedB(t *testing.T) {
	// One output (good 0), two inputs (goods 1, 2), b = 0.9, emitting
	// eps of good 3 per unit of output.
	const b, a1 = 0.9, 0.6
	answerOf := func(eps float64) func(lnp []float64) *planning.Proposal {
		return func(lnp []float64) *planning.Proposal {
			// y = (b·q·A/c)^(b/(1−b)) with A = 1, Cobb–Douglas unit
			// cost c, q = p0 − ε·p3.
			p0, p1, p2, p3 := math.Exp(lnp[0]), math.Exp(lnp[1]), math.Exp(lnp[2]), math.Exp(lnp[3])
			q := p0 - eps*p3
			lnc := a1*math.Log(p1/a1) + (1-a1)*math.Log(p2/(1-a1))
			ly := b / (1 - b) * (math.Log(b*q) - lnc)
			y := math.Exp(ly)
			x1, x2 := b*a1*q*y/p1, b*(1-a1)*q*y/p2
			pr := &planning.Proposal{
				Out: []planning.Line{{Good: 0, Qty: y}},
				In:  []planning.Line{{Good: 1, Qty: x1}, {Good: 2, Qty: x2}},
			}
			if eps > 0 {
				pr.In = append(pr.In, planning.Line{Good: 3, Qty: eps * y})
			}
			return pr
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
		eps      float64   // emission per unit of output
		x0, x1   []float64 // log prices of the two rounds
		lam      float64
		refined  bool    // bE should come from the two rounds
		maxError float64 // its largest error, relative to 1 − b (0: half the figures')
	}{
		{"leap", 0, []float64{0, 0, 0, 0}, []float64{1.5, 0.2, -0.3, 0}, 1, true, 0.003},
		{"small step", 0, []float64{0, 0, 0, 0}, []float64{0.001, 0, 0, 0}, 1, false, 0},
		{"partial mover", 0, []float64{0, 0, 0, 0}, []float64{1.5, 0.2, -0.3, 0}, 0.5, false, 0},
		// Emissions 93% of the output's value, then 88%: the figures
		// read b 0.995 (an elasticity of 200 for 9); the two rounds,
		// whose net values are as uncertain, come within half of that.
		{"thin margin", 0.93, []float64{0, 0, 0, 0}, []float64{0.2, 0.05, -0.02, 0.15}, 1, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &fitted{adj: make([]lagFit, 1), poll: []bool{false, false, false, true}}
			w := &workerFit{mem: newFitMemory()}
			var dst planning.Proposal
			var bE0 float64
			answer := answerOf(tc.eps)
			for i, x := range [][]float64{tc.x0, tc.x1} {
				p := []float64{math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2]), math.Exp(x[3])}
				pr := round2(answer(x))
				obs := unround(pr, 0.1, planning.Worker, &dst)
				if !w.observe(obs, m.poll, p, x) {
					t.Fatal("observe")
				}
				m.roundedEps(0, w, pr, 0.1, tc.lam, p)
				m.roundedB(0, w, pr, 0.1, tc.lam)
				if i == 1 {
					bE0 = math.Min(w.b, maxB)
				}
			}
			got := w.bE
			t.Logf("bE %.5f, the figures %.5f, true %.2f", got, bE0, b)
			if tc.refined && tc.maxError == 0 {
				if !(math.Abs(got-b) < 0.5*math.Abs(bE0-b)) {
					t.Errorf("bE %.5f, want %.5f within half the figures' error (they say %.5f)", got, b, bE0)
				}
			} else if tc.refined {
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
