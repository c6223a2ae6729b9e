package planning

import (
	"math"
	"testing"
)

func closedRound(prices, supply, demand []float64) []*Round {
	return []*Round{{Prices: prices, Supply: supply, Demand: demand, Closed: true}}
}

func TestTatonnement(t *testing.T) {
	plan := twoGoods()
	rounds := closedRound([]float64{1, 2, 3}, []float64{10, 10, 0}, []float64{20, 5, 0})
	p, step := (&Tatonnement{Step: 0.5}).Next(plan, rounds)
	want := []float64{1, 2 * math.Exp(0.5*-5.0/15), 3}
	for j := range want {
		if math.Abs(p[j]-want[j]) > 1e-15 {
			t.Errorf("price %d = %v, want %v", j, p[j], want[j])
		}
	}
	if step != 0.5 {
		t.Errorf("step %v", step)
	}
}

func TestPequod(t *testing.T) {
	plan := twoGoods()
	// bread: s = 2(10−30)/40 = −1 → δ = min(0.05, 0.05) = 0.05, rises;
	// land: s = 2(100−99)/199 → |0.05·s| < 0.001 → δ = 0.001, falls.
	rounds := closedRound([]float64{1, 2, 3}, []float64{10, 10, 100}, []float64{20, 30, 99})
	p, _ := (&Pequod{Step: 0.05}).Next(plan, rounds)
	want := []float64{1, 2 * 1.05, 3 * 0.999}
	for j := range want {
		if math.Abs(p[j]-want[j]) > 1e-15 {
			t.Errorf("price %d = %v, want %v", j, p[j], want[j])
		}
	}
	// A mid-size gap: s = 2(100−90)/190, δ = 0.05·|s|.
	rounds = closedRound([]float64{1, 1, 1}, []float64{1, 100, 1}, []float64{1, 90, 1})
	p, _ = (&Pequod{Step: 0.05}).Next(plan, rounds)
	if d := 1 - p[1]; math.Abs(d-0.05*20.0/190) > 1e-15 {
		t.Errorf("δ = %v", d)
	}
}
