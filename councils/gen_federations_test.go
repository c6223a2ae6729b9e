package councils

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestGenerateFederations checks that a generated federation tree is a
// valid scenario, the same for the same seed, has a city with collective
// consumption over wards and neighbourhoods holding every council, and
// converges with the default rule as the economy without it does.
func TestGenerateFederations(t *testing.T) {
	o := GenOptions{Goods: 12, Councils: 60, Seed: 7, Federations: 3}
	a, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(o)
	if !reflect.DeepEqual(a, b) {
		t.Error("two economies from one seed differ")
	}
	data, _ := json.Marshal(a)
	sc, err := ParseScenario(data)
	if err != nil {
		t.Fatalf("generated scenario does not parse back: %v", err)
	}
	e := mustEconomy(t, sc)
	if e.Federations[0].ID != "city" || e.Federations[0].Proposer < 0 || len(e.Federations[0].Councils) != 60 {
		t.Errorf("city: %+v", e.Federations[0])
	}
	wards := 0
	for _, f := range e.Federations {
		if f.Parent == 0 {
			wards++
		}
	}
	if wards != 3 {
		t.Errorf("%d wards, want 3", wards)
	}
	plain := o
	plain.Federations = 0
	p, _ := Generate(plain)
	if p.Federations != nil || !reflect.DeepEqual(p.Councils, a.Councils) {
		t.Error("the federations changed the rest of the economy")
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-6, MaxRounds: 40})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged {
		t.Fatalf("not converged in %d rounds (%s)", res.Rounds, res.Reason)
	}
	sum := 0.0
	for _, bgt := range res.Last().Budgets {
		sum += bgt
	}
	if r := res.Last(); sum < r.Pool*(1-1e-12) || sum > r.Pool*(1+1e-12) {
		t.Errorf("budgets sum to %v, pool %v", sum, r.Pool)
	}
}

// TestGenerateFederationsWithCommons: with commons goods too, collective
// consumption requests only rival goods (a commons good is free to use and
// never requested), so every such economy is a valid scenario.
func TestGenerateFederationsWithCommons(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		sc, err := Generate(GenOptions{Goods: 40, Councils: 200, Seed: seed, Commons: 4, Federations: 3})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		commons := map[string]bool{}
		for i := range sc.Goods {
			if sc.Goods[i].IsCommons() {
				commons[sc.Goods[i].ID] = true
			}
		}
		if len(commons) != 4 {
			t.Fatalf("seed %d: %d commons goods", seed, len(commons))
		}
		for _, f := range sc.Federations {
			for g := range f.Weights {
				if commons[g] {
					t.Errorf("seed %d: %s requests the commons good %s", seed, f.ID, g)
				}
			}
		}
	}
}
