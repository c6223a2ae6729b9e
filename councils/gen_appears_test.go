package councils

import "testing"

// TestGenerateAppears: gen --appears R makes exactly one rival produced
// good appear at R, which no worker council uses as an input, keeps every
// worker council's returns to scale, and the plan, under the default rule,
// converges after R and is back within 3% at most 3 rounds after it.
func TestGenerateAppears(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		base, err := Generate(GenOptions{Goods: 20, Councils: 120, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		sc, err := Generate(GenOptions{Goods: 20, Councils: 120, Seed: seed, Appears: 4})
		if err != nil {
			t.Fatal(err)
		}
		late := ""
		for _, g := range sc.Goods {
			if g.Appears != 0 {
				if late != "" || g.Appears != 4 || g.Kind != "produced" || g.IsCommons() {
					t.Fatalf("seed %d: good %+v appears late (and %q)", seed, g, late)
				}
				late = g.ID
			}
		}
		if late == "" {
			t.Fatalf("seed %d: no good appears", seed)
		}
		for i, c := range sc.Councils {
			if _, ok := c.Inputs[late]; ok {
				t.Errorf("seed %d: %s uses the new good %s", seed, c.ID, late)
			}
			b0, b1 := 0.0, 0.0
			for _, x := range base.Councils[i].Inputs {
				b0 += x
			}
			for _, x := range c.Inputs {
				b1 += x
			}
			if !near(b0, b1, 1e-12) {
				t.Errorf("seed %d: %s's returns to scale %v, were %v", seed, c.ID, b1, b0)
			}
		}
		res, err := Run(mustEconomy(t, sc), RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Converged || res.Rounds <= 4 {
			t.Fatalf("seed %d: converged %v in %d rounds: %s", seed, res.Converged, res.Rounds, res.Reason)
		}
		rs := res.Board.Rounds()
		ok := false
		for k := 0; k <= 3 && 4+k < len(rs); k++ {
			ok = ok || (rs[4+k].Closed && rs[4+k].MaxGap <= 0.03)
		}
		if !ok {
			t.Errorf("seed %d: not within 3%% in the 3 rounds after round 4", seed)
		}
	}
	if _, err := Generate(GenOptions{Goods: 20, Councils: 120, Seed: 1, Appears: -1}); err == nil {
		t.Error("appears -1 accepted")
	}
}
