package councils

import (
	"testing"
)

// TestRoundingFloor checks RoundingFloor against values it does not
// compute itself: 0 where nobody rounds; on economy-12-people, the gap its
// councils leave held at the equilibrium an independent solver computed
// (economy-12-people.expected.json); on generated crowds of rounding
// councils, a floor that the default rule reaches (a plan with tolerance
// FloorReach × floor converges) and that is below the 10% that rounding
// to two figures at least can leave (each rounded line is within 10⁻¹ of
// itself); an error for a plan with a human council, which Run cannot
// play.
func TestRoundingFloor(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    func(t *testing.T) *Economy
		zero bool
	}{
		{"no rounding", func(t *testing.T) *Economy {
			return genEconomy(t, GenOptions{Goods: 12, Councils: 40, Seed: 3, Adjust: 1})
		}, true},
		{"gen 12×40 round_to", func(t *testing.T) *Economy {
			return genEconomy(t, GenOptions{Goods: 12, Councils: 40, Seed: 3, RoundTo: 1})
		}, false},
		{"gen 20×60 people", func(t *testing.T) *Economy {
			return genEconomy(t, GenOptions{Goods: 20, Councils: 60, Seed: 5, People: 1})
		}, false},
		{"gen 15×50 commons round_to", func(t *testing.T) *Economy {
			return genEconomy(t, GenOptions{Goods: 15, Councils: 50, Seed: 2, RoundTo: 0.5, Commons: 3})
		}, false},
		{"gen 15×60 federation round_to", func(t *testing.T) *Economy {
			sc, err := Generate(GenOptions{Goods: 15, Councils: 60, Seed: 2, Federations: 3})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for i := range sc.Federations {
				if sc.Federations[i].Collective() {
					sc.Federations[i].RoundTo = 2
					n++
				}
			}
			if n == 0 {
				t.Fatal("no federation with collective consumption generated")
			}
			e, err := NewEconomy(sc)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.e(t)
			floor, err := RoundingFloor(e)
			if err != nil {
				t.Fatal(err)
			}
			if tc.zero {
				if floor != 0 {
					t.Fatalf("floor %g with no rounding council, want 0", floor)
				}
				return
			}
			// Two figures at least: a line is off by less than 10⁻¹ of itself.
			if !(floor > 0 && floor < 0.1) {
				t.Fatalf("floor %g, want in (0, 0.1)", floor)
			}
			res, err := Run(e, RunOptions{Tolerance: FloorReach * floor, MaxRounds: 60})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged {
				t.Errorf("floor %.3g: a plan with tolerance %.3g did not converge in 60 rounds (gap %.3g)", floor, FloorReach*floor, res.Last().MaxGap)
			}
		})
	}
	t.Run("economy-12-people", func(t *testing.T) {
		e := peopleEconomy(t)
		floor, err := RoundingFloor(e)
		if err != nil {
			t.Fatal(err)
		}
		_, at := heldAtExpected(t, e)
		t.Logf("floor %.4g, at the expected equilibrium %.4g", floor, at)
		if floor < at/FloorReach || floor > at*FloorReach {
			t.Errorf("floor %.4g, want within a factor %g of the gap %.4g at the independent equilibrium", floor, FloorReach, at)
		}
	})
	t.Run("human council", func(t *testing.T) {
		e := peopleEconomy(t)
		sc := *e.Scenario
		sc.Councils = append([]CouncilSpec(nil), sc.Councils...)
		c := &sc.Councils[len(sc.Councils)-1]
		if c.Type != "consumer" {
			t.Fatalf("the last council is a %s council; the test makes a consumer human", c.Type)
		}
		c.Weights, c.Subsistence, c.Adjust, c.RoundTo = nil, nil, 0, 0
		he, err := NewEconomy(&sc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := RoundingFloor(he); err == nil {
			t.Fatal("floor of a plan with a human council: no error")
		}
	})
}

// genEconomy returns the economy Generate makes of o.
func genEconomy(t *testing.T, o GenOptions) *Economy {
	t.Helper()
	sc, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEconomy(sc)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
