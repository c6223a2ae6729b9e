package councils

import (
	"math"
	"math/rand/v2"
	"testing"

	"parecon/planning"
)

// cesCase is a CES worker council and prices to test it at: goods 0 and
// 1 are inputs, 2 the output, 3 a pollutant, 4 another input.
type cesCase struct {
	name      string
	sigma     float64
	scale     float64
	inputs    map[string]float64
	emissions map[string]float64
	prices    []float64
}

var cesGoods = map[string]int{"a": 0, "b": 1, "out": 2, "co2": 3, "c": 4}

var cesCases = []cesCase{
	{"complements", 0.4, 1.5, map[string]float64{"a": 0.3, "b": 0.4}, nil, []float64{1, 2, 5, 1, 1}},
	{"near Leontief", 0.1, 2, map[string]float64{"a": 0.2, "b": 0.2, "c": 0.3}, nil, []float64{1, 0.5, 3, 1, 4}},
	{"mild", 0.8, 0.9, map[string]float64{"a": 0.5, "b": 0.1}, map[string]float64{"co2": 0.2}, []float64{1, 3, 7, 2, 1}},
	{"substitutes", 1.5, 1.2, map[string]float64{"a": 0.25, "b": 0.25, "c": 0.2}, map[string]float64{"co2": 0.5}, []float64{1, 1.7, 4, 0.3, 0.8}},
	{"strong substitutes", 2.5, 1, map[string]float64{"a": 0.6, "b": 0.2}, nil, []float64{2, 1, 3, 1, 1}},
}

// cesOutput is y = scale·X^b with X = (Σ a_k x_k^ρ)^(1/ρ), computed from
// the quantities.
func cesOutput(c cesCase, x map[int]float64) (y, X, b float64) {
	for _, beta := range c.inputs {
		b += beta
	}
	rho := 1 - 1/c.sigma
	s := 0.0
	for g, beta := range c.inputs {
		s += beta / b * math.Pow(x[cesGoods[g]], rho)
	}
	X = math.Pow(s, 1/rho)
	return c.scale * math.Pow(X, b), X, b
}

// TestCESFirstOrder checks the CES council's plan by the first-order
// conditions of surplus maximisation, q·∂y/∂x_k = p_k, with the derivative
// taken from the production function, and checks that its output is what
// the technology makes of its inputs and its emissions ε·y.
func TestCESFirstOrder(t *testing.T) {
	for _, tc := range cesCases {
		w := newCES(2, tc.scale, tc.sigma, tc.inputs, tc.emissions, cesGoods)
		pr := propose(w, tc.prices, 0, nil)
		x := map[int]float64{}
		for _, l := range pr.In {
			x[l.Good] = l.Qty
		}
		y, X, b := cesOutput(tc, x)
		if got := pr.Out[0].Qty; !near(got, y, 1e-12) {
			t.Errorf("%s: output %v, the technology makes %v of the inputs", tc.name, got, y)
		}
		q := tc.prices[2] - 0.0
		for g, e := range tc.emissions {
			q -= e * tc.prices[cesGoods[g]]
			if got := x[cesGoods[g]]; !near(got, e*y, 1e-12) {
				t.Errorf("%s: emits %v, want ε·y = %v", tc.name, got, e*y)
			}
		}
		rho := 1 - 1/tc.sigma
		for g, beta := range tc.inputs {
			k := cesGoods[g]
			// ∂y/∂x_k = scale·b·X^(b−1) · X^(1−ρ)·a_k·x_k^(ρ−1)
			dy := tc.scale * b * math.Pow(X, b-1) * math.Pow(X, 1-rho) * beta / b * math.Pow(x[k], rho-1)
			if !near(q*dy, tc.prices[k], 1e-9) {
				t.Errorf("%s: q·∂y/∂x_%s = %v, want the price %v", tc.name, g, q*dy, tc.prices[k])
			}
		}
	}
}

// TestCESBruteForce checks that no plan found by a random search near the
// CES council's plan has a larger surplus.
func TestCESBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, tc := range cesCases {
		w := newCES(2, tc.scale, tc.sigma, tc.inputs, tc.emissions, cesGoods)
		pr := propose(w, tc.prices, 0, nil)
		q := tc.prices[2]
		for g, e := range tc.emissions {
			q -= e * tc.prices[cesGoods[g]]
		}
		surplus := func(x map[int]float64) float64 {
			y, _, _ := cesOutput(tc, x)
			s := q * y
			for g := range tc.inputs {
				s -= tc.prices[cesGoods[g]] * x[cesGoods[g]]
			}
			return s
		}
		best := map[int]float64{}
		for _, l := range pr.In {
			best[l.Good] = l.Qty
		}
		s0 := surplus(best)
		if !near(s0, pr.Surplus(tc.prices), 1e-9) || s0 <= 0 {
			t.Fatalf("%s: surplus %v by the technology, %v by the proposal", tc.name, s0, pr.Surplus(tc.prices))
		}
		for i := 0; i < 5000; i++ {
			spread := []float64{0.5, 0.1, 0.01}[i%3]
			x := map[int]float64{}
			for g := range tc.inputs {
				k := cesGoods[g]
				x[k] = best[k] * math.Exp(spread*rng.NormFloat64())
			}
			if s := surplus(x); s > s0*(1+1e-12) {
				t.Fatalf("%s: surplus %v at %v beats the plan's %v", tc.name, s, x, s0)
			}
		}
	}
}

// TestCESNearCobbDouglas checks that CES tends to Cobb–Douglas as σ → 1,
// and that σ = 1 in a scenario is the Cobb–Douglas model itself.
func TestCESNearCobbDouglas(t *testing.T) {
	tc := cesCases[3]
	cd := propose(newCobbDouglas(2, tc.scale, tc.inputs, tc.emissions, cesGoods), tc.prices, 0, nil)
	for _, s := range []float64{1 - 1e-7, 1 + 1e-7} {
		ces := propose(newCES(2, tc.scale, s, tc.inputs, tc.emissions, cesGoods), tc.prices, 0, nil)
		for i := range cd.In {
			if !near(ces.In[i].Qty, cd.In[i].Qty, 1e-5) {
				t.Errorf("σ = %v: input %v, Cobb–Douglas %v", s, ces.In[i].Qty, cd.In[i].Qty)
			}
		}
	}
	for _, sigma := range []float64{0, 1} {
		sc := mustParse(t, base)
		sc.Councils[0].Substitution = sigma
		e, err := NewEconomy(sc)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := e.Models[0].(*CobbDouglas); !ok {
			t.Errorf("substitution %v: model %T, want *CobbDouglas", sigma, e.Models[0])
		}
	}
}

// TestCESNothingAtLoss checks that a CES council proposes nothing when its
// emissions cost more than its output is worth.
func TestCESNothingAtLoss(t *testing.T) {
	w := newCES(2, 1, 0.5, map[string]float64{"a": 0.5}, map[string]float64{"co2": 2}, cesGoods)
	pr := propose(w, []float64{1, 1, 1, 1, 1}, 0, nil)
	if !pr.IsZero() || len(pr.In) != 2 {
		t.Fatalf("proposal %+v, want all zeros", pr)
	}
}

// propose returns m's proposal at prices p.
func propose(m Model, p []float64, budget float64, prev *planning.Proposal) *planning.Proposal {
	lnp := make([]float64, len(p))
	for j := range p {
		lnp[j] = math.Log(p[j])
	}
	pr := &planning.Proposal{}
	m.Propose(p, lnp, budget, prev, pr)
	return pr
}

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

func mustParse(t testing.TB, s string) *Scenario {
	t.Helper()
	sc, err := ParseScenario([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// mustEconomy compiles sc, failing the test if it cannot.
func mustEconomy(t testing.TB, sc *Scenario) *Economy {
	t.Helper()
	e, err := NewEconomy(sc)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
