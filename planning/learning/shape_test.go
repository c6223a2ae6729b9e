package learning

import (
	"math"
	"math/rand/v2"
	"testing"

	"parecon/planning"
)

// answerFunc is a worker's true answer at prices p: its output of good 3
// and its inputs (goods 0, 1, 4) and emission (good 2).
type answerFunc func(p []float64) *planning.Proposal

// fixedAnswer has fixed coefficients per unit of output and an
// iso-elastic supply y = y0·(m/m0)^e of its margin m = p_out/cost, the
// cost em units of the emission (good 2) per unit of output included.
func fixedAnswer(coef []float64, e float64, em float64) answerFunc {
	return func(p []float64) *planning.Proposal {
		goods := []int{0, 1, 4}
		cost := 0.0
		for i, g := range goods {
			cost += coef[i] * p[g]
		}
		cost += em * p[2]
		y := math.Pow(p[3]/cost, e)
		pr := &planning.Proposal{Out: []planning.Line{{Good: 3, Qty: y}}}
		for i, g := range goods {
			pr.In = append(pr.In, planning.Line{Good: g, Qty: coef[i] * y})
		}
		if em > 0 {
			pr.In = append(pr.In, planning.Line{Good: 2, Qty: em * y})
		}
		return pr
	}
}

// cesAnswer is a profit-maximising worker with a CES technology of
// returns b and elasticity sigma: y = (Σ a_k x_k^ρ)^(b/ρ).
func cesAnswer(a []float64, b, sigma float64) answerFunc {
	return func(p []float64) *planning.Proposal {
		goods := []int{0, 1, 4}
		// Unit cost of the CES aggregate X (y = X^b).
		var c float64
		if sigma == 1 {
			lc := 0.0
			for i, g := range goods {
				lc += a[i] * math.Log(p[g]/a[i])
			}
			c = math.Exp(lc)
		} else {
			s := 0.0
			for i, g := range goods {
				s += math.Pow(a[i], sigma) * math.Pow(p[g], 1-sigma)
			}
			c = math.Pow(s, 1/(1-sigma))
		}
		// max p·X^b − c·X: X = (b·p/c)^(1/(1−b)).
		X := math.Pow(b*p[3]/c, 1/(1-b))
		y := math.Pow(X, b)
		pr := &planning.Proposal{Out: []planning.Line{{Good: 3, Qty: y}}}
		for i, g := range goods {
			var x float64
			if sigma == 1 {
				x = a[i] * c * X / p[g]
			} else {
				x = math.Pow(a[i]*c/p[g], sigma) * X
			}
			pr.In = append(pr.In, planning.Line{Good: g, Qty: x})
		}
		return pr
	}
}

// TestLearnShape feeds a worker fit proposals of known technologies at
// prices that wander as a plan's do, and checks what it learns: the
// reference Cobb–Douglas worker keeps the Cobb–Douglas fit exactly (no
// shape); a CES worker's σ is read, its supply found Cobb–Douglas's and
// the fit kept; a worker with fixed proportions is read (σ, ε, γ), and
// the shaped fit's prediction of its next answer at prices about 20% away
// is within a tolerance of it (the Cobb–Douglas fit misses by far more);
// rounds in which a council makes nothing leave its shape as it was.
func TestLearnShape(t *testing.T) {
	cases := []struct {
		name                 string
		f                    answerFunc
		on                   bool
		sigma, eps, gam, tol float64
	}{
		{"cobb-douglas", cesAnswer([]float64{0.3, 0.2, 0.5}, 0.7, 1), false, 1, 0.7 / 0.3, 1, 1e-9},
		// A CES worker's σ is read, and its supply is Cobb–Douglas's:
		// the Cobb–Douglas fit anchored at its proposals is kept.
		{"ces-0.5", cesAnswer([]float64{0.3, 0.2, 0.5}, 0.7, 0.5), false, 0.5, 0.7 / 0.3, 1, 1e-9},
		{"ces-2", cesAnswer([]float64{0.3, 0.2, 0.5}, 0.6, 2), false, 2, 0.6 / 0.4, 1, 1e-9},
		{"fixed", fixedAnswer([]float64{0.3, 0.2, 0.4}, 2, 0), true, 0, 2, 0, 1e-4},
		// Emissions a small part of the cost, then most of it at a margin
		// near 1: the gross shape (the margin over inputs and emissions
		// together) is read, as exactly as without emissions.
		{"fixed-emitting", fixedAnswer([]float64{0.3, 0.2, 0.4}, 2, 0.05), true, 0, 2, 0, 1e-4},
		{"fixed-emitting-most", fixedAnswer([]float64{0.03, 0.02, 0.04}, 2, 6), true, 0, 2, 0, 1e-4},
	}
	poll := []bool{false, false, true, false, false}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 8))
			x := []float64{0, 0.2, -1, 0.9, 0.1}
			w := &workerFit{}
			p := make([]float64, len(x))
			var cdMiss, miss float64
			for r := 0; r < 12; r++ {
				for j := range x {
					p[j] = math.Exp(x[j])
				}
				if !w.observe(tc.f(p), poll, p, x) {
					t.Fatal("no output")
				}
				w.learnShape(0, 1, 1)
				if r == 6 {
					// Rounds in which the council makes nothing keep
					// what it has taught.
					on := w.shape.on
					idle := &planning.Proposal{Out: []planning.Line{{Good: 3, Qty: 0}}}
					for range 3 {
						if w.observe(idle, poll, p, x) {
							t.Fatal("an idle proposal fitted")
						}
						w.learnShape(0, 1, 1)
					}
					if w.shape.on != on {
						t.Fatalf("shape on %v after idle rounds, %v before", w.shape.on, on)
					}
				}
				// The next prices, and the fit's prediction there.
				for j := range x {
					x[j] += 0.2 * rng.NormFloat64()
				}
				for j := range x {
					p[j] = math.Exp(x[j])
				}
				want := tc.f(p).Out[0].Qty
				w.predict(p, x)
				miss = math.Abs(math.Log(w.y / want))
				on := w.shape.on
				w.shape.on = false
				w.predict(p, x)
				cdMiss = math.Max(cdMiss, math.Abs(math.Log(w.y/want)))
				w.shape.on = on
			}
			s := w.shape
			t.Logf("on %v gross %v σ %.4g ε %.4g γ %.4g; last miss %.2g (Cobb–Douglas fit up to %.2g)", s.on, s.gross, s.sigma, s.eps, s.gam, miss, cdMiss)
			t.Logf("errN %.3g errG %.3g errCD %.3g epsN %.4g epsG %.4g gamG %.4g", s.errShape, s.errGross, s.errCD, s.epsN, s.epsG, s.gamG)
			if s.on != tc.on {
				t.Fatalf("shape on %v, want %v", s.on, tc.on)
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"σ", s.sigma, tc.sigma}, {"ε", s.eps, tc.eps}, {"γ", s.gam, tc.gam}} {
				if math.Abs(c.got-c.want) > tc.tol*math.Max(1, c.want)*10 {
					t.Errorf("%s = %.6g, want %.6g", c.what, c.got, c.want)
				}
			}
			if tc.on && (miss > tc.tol*10 || !(cdMiss > 10*miss)) {
				t.Errorf("prediction missed by %.2g (Cobb–Douglas %.2g)", miss, cdMiss)
			}
		})
	}
}

// TestSmoothShape checks the smoothed shape solveShaped solves with: a
// fixed-proportions emitter read from its proposals makes nothing where
// its inputs cost more than its net unit value, and under smooth supplies
// what its shape extrapolates there, continuing its supply just inside.
func TestSmoothShape(t *testing.T) {
	f := fixedAnswer([]float64{0.03, 0.02, 0.04}, 2, 6)
	poll := []bool{false, false, true, false, false}
	rng := rand.New(rand.NewPCG(7, 8))
	x := []float64{0, 0.2, -1, 0.9, 0.1}
	p := make([]float64, len(x))
	w := &workerFit{}
	for range 12 {
		for j := range x {
			p[j] = math.Exp(x[j])
		}
		if !w.observe(f(p), poll, p, x) {
			t.Fatal("no output")
		}
		w.learnShape(0, 1, 1)
		for j := range x {
			x[j] += 0.1 * rng.NormFloat64()
		}
	}
	if !w.shape.on || !w.shape.gross {
		t.Fatalf("shape on %v gross %v, want the gross shape", w.shape.on, w.shape.gross)
	}
	// Raise the inputs' prices until the shape says it makes nothing.
	lo, hi := 0.0, 20.0
	at := func(k float64, smooth bool) float64 {
		y := append([]float64(nil), x...)
		for _, g := range []int{0, 1, 4} {
			y[g] += k
		}
		for j := range y {
			p[j] = math.Exp(y[j])
		}
		w.shape.smooth = smooth
		w.predict(p, y)
		w.shape.smooth = false
		return w.y
	}
	if at(lo, false) == 0 || at(hi, false) != 0 {
		t.Fatalf("supply %g at the anchor, %g at inputs e^20 dearer", at(lo, false), at(hi, false))
	}
	for range 60 {
		if mid := (lo + hi) / 2; at(mid, false) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	in, out := at(lo, false), at(hi, true)
	if at(hi, false) != 0 || !(out > 0) || math.Abs(out/in-1) > 1e-6 {
		t.Errorf("at the loss: %g just inside, %g smoothed just outside (%g unsmoothed)", in, out, at(hi, false))
	}
}
