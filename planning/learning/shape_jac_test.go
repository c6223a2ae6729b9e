package learning

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestShapedJacobian checks the shaped workers' terms (shape_terms.go)
// against finite differences of their values, and the product and the
// diagonal against the dense rows, for shapes from fixed proportions to
// substitutes, on the net margin and on the gross one, with and without
// lagged budgets.
func TestShapedJacobian(t *testing.T) {
	shapes := []struct {
		sigma, eps, gam float64
		gross           bool
	}{
		{0, 2, 0, false},   // fixed proportions, iso-elastic supply
		{1, 2.5, 1, false}, // Cobb–Douglas inputs, another elasticity
		{0.4, 1.2, 0.5, false},
		{3, 0.7, 1.6, false},
		// The margin over inputs and emissions together.
		{0, 2, 0, true},
		{1, 2.5, 1, true},
		{0.4, 1.2, 0.5, true},
		{3, 0.7, 1.6, true},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range shapes {
		for _, lag := range []bool{false, true} {
			_, m, x := testEconomy(rng, 5, 8, 3)
			for k, c := range m.workers {
				if k%2 == 0 {
					w := m.wf[c]
					w.shape = shapeFit{on: true, sigma: sh.sigma, eps: sh.eps, gam: sh.gam, gross: sh.gross}
				}
			}
			n := len(x)
			J := make([][]float64, n)
			for j := range J {
				J[j] = make([]float64, n)
			}
			ones := make([]float64, n)
			for j := range ones {
				ones[j] = 1
			}
			m.eval(x, lag, 37)
			m.jacobian(J, ones, ones)
			v := make([]float64, n)
			for j := range v {
				v[j] = rng.NormFloat64()
			}
			out := make([]float64, n)
			m.eval(x, lag, 37)
			m.jv(v, out, ones, ones)
			dg := make([]float64, n)
			m.eval(x, lag, 37)
			m.diagonal(ones, ones, dg)
			checkFiniteDifferences(t, m, x, lag, J, fmt.Sprintf("%+v lag %v", sh, lag))
			m.eval(x, lag, 37)
			m.diagonal(ones, ones, dg)
			for j := 0; j < n; j++ {
				want := 0.0
				for i := 0; i < n; i++ {
					want += J[j][i] * v[i]
				}
				if math.Abs(want-out[j]) > 1e-9*(1+math.Abs(want)) {
					t.Errorf("%+v lag %v: (J·v)[%d] = %v, want %v", sh, lag, j, out[j], want)
				}
				if d := dg[j] + m.poolDiagonal(j, ones); math.Abs(d-J[j][j]) > 1e-9*(1+math.Abs(J[j][j])) {
					t.Errorf("%+v lag %v: diagonal[%d] = %v, want %v", sh, lag, j, d, J[j][j])
				}
			}
		}
	}
}
