package councils

import (
	"math"
	"testing"

	"parecon/planning"
)

// TestSubsistence checks Stone–Geary consumers by the budget identity and
// by the first-order conditions of their utility Π (x_j − γ_j)^α_j
// (Cobb–Douglas) or the CES answer computed directly: a budget above the
// needs' cost buys every need and spends the rest as the council without
// needs would; a budget below it buys the needs in proportion.
func TestSubsistence(t *testing.T) {
	goods := map[string]int{"a": 0, "b": 1, "c": 2}
	weights := map[string]float64{"a": 0.5, "b": 0.3, "c": 0.2}
	p := []float64{2, 0.5, 4}
	tests := []struct {
		name   string
		sigma  float64
		need   map[string]float64
		budget float64
	}{
		{"cobb-douglas, rich", 1, map[string]float64{"a": 3, "c": 1}, 100},
		{"ces, rich", 0.5, map[string]float64{"a": 3, "b": 10, "c": 1}, 100},
		{"ces substitutes, rich", 3, map[string]float64{"b": 10}, 100},
		{"poor", 1, map[string]float64{"a": 30, "c": 10}, 60},    // needs cost 100
		{"exactly the needs", 2, map[string]float64{"a": 5}, 10}, // needs cost 10
		{"zero needs", 1, map[string]float64{"a": 0}, 10},
	}
	for _, tc := range tests {
		c := newConsumer(weights, tc.sigma, tc.need, goods)
		pr := propose(c, p, tc.budget, nil)
		cost := planning.Value(pr.In, p)
		if !near(cost, tc.budget, 1e-12) {
			t.Errorf("%s: spends %v of a budget of %v", tc.name, cost, tc.budget)
		}
		m := 0.0
		for g, x := range tc.need {
			m += p[goods[g]] * x
		}
		x := map[string]float64{}
		for g, k := range goods {
			x[g] = planning.Qty(pr.In, k)
		}
		if tc.budget <= m {
			for g := range weights {
				if want := tc.need[g] * tc.budget / m; !near(x[g], want, 1e-12) {
					t.Errorf("%s: %s %v, want the need scaled to the budget %v", tc.name, g, x[g], want)
				}
			}
			continue
		}
		// What is left over the needs: CES demand for budget − m, written
		// as the ratio of the marginal utilities (α_j/α_k)·(y_k/y_j)^(1/σ)
		// equal to the price ratio p_j/p_k.
		ref := "a"
		for g, alpha := range weights {
			yj, yk := x[g]-tc.need[g], x[ref]-tc.need[ref]
			if yj <= 0 {
				t.Fatalf("%s: %s %v is not above its need %v", tc.name, g, x[g], tc.need[g])
			}
			mrs := alpha / weights[ref] * math.Pow(yk/yj, 1/tc.sigma)
			if !near(mrs, p[goods[g]]/p[goods[ref]], 1e-9) {
				t.Errorf("%s: marginal rate of substitution %s/%s %v, price ratio %v", tc.name, g, ref, mrs, p[goods[g]]/p[goods[ref]])
			}
		}
	}
}

// TestSubsistenceNoneIsReference checks that a council without needs (or
// with needs all zero) proposes exactly what the reference model does.
func TestSubsistenceNoneIsReference(t *testing.T) {
	goods := map[string]int{"a": 0, "b": 1}
	weights := map[string]float64{"a": 0.4, "b": 0.6}
	p := []float64{1.3, 0.7}
	for _, sigma := range []float64{1, 0.6} {
		ref := propose(newConsumer(weights, sigma, nil, goods), p, 10, nil)
		zero := newConsumer(weights, sigma, map[string]float64{"a": 0}, goods)
		if zero.Subsistence != nil {
			t.Fatalf("needs of zero kept: %v", zero.Subsistence)
		}
		if !sameLines(ref, propose(zero, p, 10, nil)) {
			t.Errorf("σ = %v: zero needs change the answer", sigma)
		}
	}
}
