package learning

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"parecon/planning"
)

// testEconomy builds a small fitted economy from synthetic proposals: goods
// 0 labour (numéraire), 1 land, 2 co2, 3.. produced.
func testEconomy(rng *rand.Rand, nProd, nW, nC int) (*planning.Plan, *fitted, []float64) {
	plan := &planning.Plan{Numeraire: 0, Tolerance: 1e-6}
	plan.Goods = append(plan.Goods, planning.Good{ID: "labor", Kind: planning.Labor}, planning.Good{ID: "land", Kind: planning.Resource, Endowment: 500}, planning.Good{ID: "co2", Kind: planning.Pollutant, Endowment: 50})
	for i := 0; i < nProd; i++ {
		plan.Goods = append(plan.Goods, planning.Good{ID: "g", Kind: planning.Produced})
	}
	n := len(plan.Goods)
	for i := 0; i < nW; i++ {
		plan.Councils = append(plan.Councils, planning.Council{Role: planning.Worker, Labor: -1})
	}
	for i := 0; i < nC; i++ {
		plan.Councils = append(plan.Councils, planning.Council{Role: planning.Consumer, Labor: 0, Hours: 1000, Share: 1 / float64(nC)})
	}
	m := newFitted(plan)
	p := make([]float64, n)
	x := make([]float64, n)
	for j := range p {
		p[j] = math.Exp(rng.NormFloat64())
		x[j] = math.Log(p[j])
	}
	for i := 0; i < nW; i++ {
		out := 3 + i%nProd
		pr := &planning.Proposal{Out: []planning.Line{{Good: out, Qty: 1 + rng.Float64()}}}
		y := pr.Out[0].Qty
		eps := 0.3 * rng.Float64() * p[out] / p[2]
		q := p[out] - eps*p[2]
		for _, k := range []int{0, 1, 3 + (i+1)%nProd} {
			if k == out {
				continue
			}
			beta := 0.1 + 0.2*rng.Float64()
			pr.In = append(pr.In, planning.Line{Good: k, Qty: beta * q * y / p[k]})
		}
		pr.In = append(pr.In, planning.Line{Good: 2, Qty: eps * y})
		w := &workerFit{}
		if !w.observe(pr, m.poll, p, x) {
			panic("worker")
		}
		m.wf[i] = w
		m.workers = append(m.workers, i)
	}
	for i := 0; i < nC; i++ {
		pr := &planning.Proposal{}
		B := 100.0
		for j := 1; j < n; j++ {
			if j == 2 {
				continue
			}
			pr.In = append(pr.In, planning.Line{Good: j, Qty: (0.5 + rng.Float64()) / p[j]})
		}
		c := &consumerFit{sigma: 1}
		if !c.observe(pr, p, x, B) {
			panic("consumer")
		}
		c.sigma = 0.3 + 2*rng.Float64()
		m.cf[nW+i] = c
		m.consumers = append(m.consumers, nW+i)
	}
	return plan, m, x
}

func TestJacobian(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, lag := range []bool{false, true} {
		_, m, x := testEconomy(rng, 5, 8, 3)
		n := len(x)
		J := make([][]float64, n)
		for j := range J {
			J[j] = make([]float64, n)
		}
		m.eval(x, lag, 37)
		ones := make([]float64, n)
		for j := range ones {
			ones[j] = 1
		}
		m.jacobian(J, ones, ones)
		v := make([]float64, n)
		out := make([]float64, n)
		for j := range v {
			v[j] = rng.NormFloat64()
		}
		m.jv(v, out, ones, ones)
		checkFiniteDifferences(t, m, x, lag, J, fmt.Sprintf("lag %v", lag))
		for j := 0; j < n; j++ {
			want := 0.0
			for i := 0; i < n; i++ {
				want += J[j][i] * v[i]
			}
			if math.Abs(want-out[j]) > 1e-9*(1+math.Abs(want)) {
				t.Errorf("lag %v: (J·v)[%d] = %v, want %v", lag, j, out[j], want)
			}
		}
	}
}

// TestKrylovMatchesDense checks the matrix-free Newton system solve (GMRES
// with the Jacobian applied in O(lines)) against the dense LU one.
func TestKrylovMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, lag := range []bool{false, true} {
		plan, m, x := testEconomy(rng, 12, 20, 5)
		s := newSolver(m)
		m.eval(x, lag, 50)
		s.weigh()
		s.vars = s.vars[:0]
		for j := range x {
			if j != plan.Numeraire {
				s.vars = append(s.vars, j)
			}
		}
		nv := len(s.vars)
		s.d = resize(s.d, nv)
		s.rhs = resize(s.rhs, nv)
		for k, j := range s.vars {
			s.rhs[k] = -s.f[j]
		}
		if !s.newtonDense() {
			t.Fatal("dense failed")
		}
		dense := append([]float64(nil), s.d...)
		if !s.newtonKrylov(1e-12) {
			t.Fatal("krylov failed")
		}
		for k := range dense {
			if math.Abs(dense[k]-s.d[k]) > 1e-7*(1+math.Abs(dense[k])) {
				t.Errorf("lag %v: step %d: krylov %v, dense %v", lag, k, s.d[k], dense[k])
			}
		}
	}
}

// checkFiniteDifferences compares J, the learned economy m's Jacobian of
// the excess demands' values at log prices x, with central finite
// differences of m.eval, column by column (what names the case).
func checkFiniteDifferences(t *testing.T, m *fitted, x []float64, lag bool, J [][]float64, what string) {
	t.Helper()
	n := len(x)
	excess := func(x []float64) []float64 {
		m.eval(x, lag, 37)
		z := make([]float64, n)
		for j := range z {
			z[j] = m.demV[j] - m.supV[j]
		}
		return z
	}
	for i := 0; i < n; i++ {
		h := 1e-6
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[i] += h
		xm[i] -= h
		zp, zm := excess(xp), excess(xm)
		for j := 0; j < n; j++ {
			fd := (zp[j] - zm[j]) / (2 * h)
			if math.Abs(fd-J[j][i]) > 1e-6*(1+math.Abs(fd)) {
				t.Errorf("%s: J[%d][%d] = %v, finite difference %v", what, j, i, J[j][i], fd)
			}
		}
	}
}
