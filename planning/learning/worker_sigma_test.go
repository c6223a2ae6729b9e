package learning

import (
	"math"
	"math/rand/v2"
	"testing"

	"parecon/planning"
)

// TestWorkerSigmaJacobian checks the dense Jacobian of an economy of CES
// worker fits (σ ≠ 1, evaluated away from their anchors) against finite
// differences, its product with a vector against the dense rows, and its
// diagonal against theirs, with and without lagged budgets.
func TestWorkerSigmaJacobian(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sigma float64
		lag   bool
	}{
		{"complements", 0.4, false},
		{"substitutes", 2.5, false},
		{"complements lagged", 0.4, true},
		{"substitutes lagged", 2.5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			_, m, x := testEconomy(rng, 5, 8, 3)
			for k, c := range m.workers {
				m.wf[c].sigma = tc.sigma * (1 + 0.1*float64(k%3))
			}
			m.flat.built = false
			for j := range x {
				if j != 0 {
					x[j] += 0.3 * rng.NormFloat64()
				}
			}
			n := len(x)
			m.eval(x, tc.lag, 37)
			ones := make([]float64, n)
			for j := range ones {
				ones[j] = 1
			}
			J := make([][]float64, n)
			for j := range J {
				J[j] = make([]float64, n)
			}
			m.jacobian(J, ones, ones)
			v, out, dg := make([]float64, n), make([]float64, n), make([]float64, n)
			for j := range v {
				v[j] = rng.NormFloat64()
			}
			m.jv(v, out, ones, ones)
			m.diagonal(ones, ones, dg)
			for j := 0; j < n; j++ {
				want := 0.0
				for i := 0; i < n; i++ {
					want += J[j][i] * v[i]
				}
				if math.Abs(want-out[j]) > 1e-9*(1+math.Abs(want)) {
					t.Errorf("(J·v)[%d] = %v, want %v", j, out[j], want)
				}
				if d := dg[j] + m.poolDiagonal(j, ones); math.Abs(d-J[j][j]) > 1e-9*(1+math.Abs(d)) {
					t.Errorf("diagonal[%d] = %v, want %v", j, d, J[j][j])
				}
			}
			checkFiniteDifferences(t, m, x, tc.lag, J, tc.name)
		})
	}
}

// cesWorkerProposal returns the proposal of a CES worker (share
// parameters a over goods in, elasticity sigma, returns to scale b,
// level A) producing good out at prices p.
func cesWorkerProposal(out int, in []int, a []float64, sigma, b, A float64, p []float64) *planning.Proposal {
	c := 0.0
	if sigma == 1 {
		// Cobb–Douglas: the limit, c = Π (p_k/a_k)^a_k.
		for k, g := range in {
			c += a[k] * math.Log(p[g]/a[k])
		}
		c = math.Exp(c)
	} else {
		for k, g := range in {
			c += math.Pow(a[k], sigma) * math.Pow(p[g], 1-sigma)
		}
		c = math.Pow(c, 1/(1-sigma))
	}
	X := math.Pow(b*p[out]*A/c, 1/(1-b))
	pr := &planning.Proposal{Out: []planning.Line{{Good: out, Qty: A * math.Pow(X, b)}}}
	for k, g := range in {
		pr.In = append(pr.In, planning.Line{Good: g, Qty: X * math.Pow(a[k], sigma) * math.Pow(p[g]/c, -sigma)})
	}
	return pr
}

// TestWorkerSigmaLearned checks that a worker fit learns the elasticity
// of an exact CES worker from two proposals (the pair added, as
// learnSigmas adds it for a council that answers in full) and then
// predicts its proposal at third prices, and that a Cobb–Douglas worker
// stays Cobb–Douglas.
func TestWorkerSigmaLearned(t *testing.T) {
	for _, tc := range []struct {
		sigma, b float64
	}{{0.4, 0.9}, {1, 0.8}, {1.7, 0.95}, {2.5, 0.6}} {
		rng := rand.New(rand.NewPCG(7, uint64(100*tc.sigma)))
		in, a := []int{0, 1, 2, 3}, []float64{0.4, 0.3, 0.2, 0.1}
		prices := func(scale float64) ([]float64, []float64) {
			p, x := make([]float64, 5), make([]float64, 5)
			for j := range p {
				x[j] = scale * rng.NormFloat64()
				p[j] = math.Exp(x[j])
			}
			return p, x
		}
		poll := make([]bool, 5)
		w := &workerFit{}
		for r := 0; r < 2; r++ {
			p, x := prices(0.3)
			if !w.observe(cesWorkerProposal(4, in, a, tc.sigma, tc.b, 2, p), poll, p, x) {
				t.Fatalf("σ %v: proposal %d taught nothing", tc.sigma, r)
			}
			if w.havePending != (r == 1) {
				t.Fatalf("σ %v: proposal %d: pending %v", tc.sigma, r, w.havePending)
			}
		}
		w.addPending()
		if got := 1 - w.subst(); math.Abs(got-tc.sigma) > 1e-6 {
			t.Errorf("σ %v: fitted σ = %v", tc.sigma, got)
		}
		p, x := prices(0.3)
		want := cesWorkerProposal(4, in, a, tc.sigma, tc.b, 2, p)
		w.predict(p, x)
		if got := w.y; math.Abs(got/want.Out[0].Qty-1) > 1e-6 {
			t.Errorf("σ %v: predicted output %v, want %v", tc.sigma, got, want.Out[0].Qty)
		}
		for k, l := range want.In {
			if got := w.val[1+k] / p[l.Good]; math.Abs(got/l.Qty-1) > 1e-6 {
				t.Errorf("σ %v: predicted input %d: %v, want %v", tc.sigma, k, got, l.Qty)
			}
		}
	}
}
