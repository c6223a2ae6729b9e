package councils

import (
	"math"
	"testing"
)

// TestTownIsASensibleEconomy checks the bundled town (millbrook) that the
// demo plans: every good has a name and a unit; the default rule
// converges within 5 rounds at its own tolerance and within 10 at 1e-6;
// at the equilibrium every good is made or supplied and used, prices in
// hours of labour are of everyday sizes (a loaf costs well under an hour,
// a home for a week a few days' work), and the CO₂ allowance binds (its
// price is positive and it is used up).
func TestTownIsASensibleEconomy(t *testing.T) {
	e, err := loadExample(t, "millbrook")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range e.Scenario.Goods {
		if g.Name == "" || g.Unit == "" {
			t.Errorf("good %s: name %q, unit %q", g.ID, g.Name, g.Unit)
		}
	}
	res, err := Run(e, RunOptions{})
	if err != nil || !res.Converged || res.Rounds > 5 {
		t.Fatalf("at its tolerance: converged %v in %d rounds (%v)", res.Converged, res.Rounds, err)
	}
	res, err = Run(e, RunOptions{Tolerance: 1e-6, MaxRounds: 40})
	if err != nil || !res.Converged || res.Rounds > 10 {
		t.Fatalf("at 1e-6: converged %v in %d rounds (%v)", res.Converged, res.Rounds, err)
	}
	last := res.Last()
	num := e.Plan.Numeraire
	price := map[string]float64{}
	for j, g := range e.Plan.Goods {
		price[g.ID] = last.Prices[j] / last.Prices[num]
		if !(last.Supply[j] > 0) || !(last.Demand[j] > 0) {
			t.Errorf("%s: supply %v, demand %v at the equilibrium", g.ID, last.Supply[j], last.Demand[j])
		}
	}
	for id, r := range map[string][2]float64{"bread": {0.05, 2}, "housing": {8, 200}, "transit": {0.05, 3}, "vegetables": {0.02, 3}, "co2": {1, 1000}} {
		if p := price[id]; !(p >= r[0] && p <= r[1]) {
			t.Errorf("%s costs %.4g hours of labour, want %g–%g", id, p, r[0], r[1])
		}
	}
	for j, g := range e.Plan.Goods {
		if g.ID == "co2" && math.Abs(last.Demand[j]-last.Supply[j]) > 1e-4*last.Supply[j] {
			t.Errorf("the allowance does not bind: %v emitted of %v", last.Demand[j], last.Supply[j])
		}
	}
}
