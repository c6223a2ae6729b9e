package councils

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"parecon/planning"
)

// TestGeneratePeople checks the behaviours Generate gives a crowd: the
// shares asked for (roughly), the ranges of σ, λ and n, needs only over
// weighted goods and well within the budget at the scenario's prices, the
// same economy otherwise, the same crowd for the same seed, and a plan
// the default rule converges on.
func TestGeneratePeople(t *testing.T) {
	plain, err := Generate(GenOptions{Goods: 8, Councils: 200, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		o    GenOptions
		// want: the share of the councils each behaviour should reach,
		// substitution of the workers, subsistence of the consumers.
		sub, need, adj, rnd float64
	}{
		{"each", GenOptions{Substitution: 0.5, Subsistence: 0.3, Adjust: 0.4, RoundTo: 0.2}, 0.5, 0.3, 0.4, 0.2},
		{"crowd", GenOptions{People: 0.6}, 0.6 * 4 / 7, 0.6 * 4 / 7, 0.6 * 4 / 7, 0.6 * 4 / 7},
		{"none", GenOptions{}, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		o := tc.o
		o.Goods, o.Councils, o.Seed = 8, 200, 4
		sc, err := Generate(o)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		again, _ := Generate(o)
		if !reflect.DeepEqual(sc, again) {
			t.Fatalf("%s: the same seed gives another crowd", tc.name)
		}
		if !reflect.DeepEqual(sc.Goods, plain.Goods) || len(sc.Councils) != len(plain.Councils) {
			t.Fatalf("%s: the goods differ from the economy without behaviours", tc.name)
		}
		e, err := NewEconomy(sc)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		board, err := planning.NewBoard(e.Plan, e.Prices)
		if err != nil {
			t.Fatal(err)
		}
		var workers, consumers, sub, need, adj, rnd float64
		for i, c := range sc.Councils {
			base := plain.Councils[i]
			base.Substitution, base.Subsistence, base.Adjust, base.RoundTo = c.Substitution, c.Subsistence, c.Adjust, c.RoundTo
			if !reflect.DeepEqual(base, c) {
				t.Fatalf("%s: %s differs from the economy without behaviours in more than its behaviours", tc.name, c.ID)
			}
			if c.Type == "worker" {
				workers++
				if c.Substitution != 0 {
					sub++
					if c.Substitution < 0.4 || c.Substitution > 2.5 {
						t.Errorf("%s: %s: σ = %v", tc.name, c.ID, c.Substitution)
					}
				}
			} else {
				consumers++
				if c.Subsistence != nil {
					need++
					m := 0.0
					for g, x := range c.Subsistence {
						j, _ := e.Good(g)
						m += x * e.Prices[j]
					}
					if b := board.Current().Budgets[i]; !(m <= 0.4*b) {
						t.Errorf("%s: %s: needs cost %v of a budget of %v at the start", tc.name, c.ID, m, b)
					}
				}
			}
			if c.Adjust != 0 {
				adj++
				if c.Adjust < 0.3 || c.Adjust > 0.8 {
					t.Errorf("%s: %s: λ = %v", tc.name, c.ID, c.Adjust)
				}
			}
			if c.RoundTo != 0 {
				rnd++
				if c.RoundTo < 2 || c.RoundTo > 3 {
					t.Errorf("%s: %s: round_to %d", tc.name, c.ID, c.RoundTo)
				}
			}
		}
		all := workers + consumers
		for _, s := range []struct {
			what      string
			got, want float64
		}{{"substitution", sub / workers, tc.sub}, {"subsistence", need / consumers, tc.need}, {"adjust", adj / all, tc.adj}, {"round_to", rnd / all, tc.rnd}} {
			if math.Abs(s.got-s.want) > 0.12 || (s.want == 0) != (s.got == 0) {
				t.Errorf("%s: %s share %.2f, want about %.2f", tc.name, s.what, s.got, s.want)
			}
		}
		res, err := Run(e, RunOptions{MaxRounds: 400})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Converged {
			t.Errorf("%s: the default rule did not converge in %d rounds (max gap %g)", tc.name, res.Rounds, res.Last().MaxGap)
		}
		t.Logf("%s: %s converged in %d rounds", tc.name, res.Rule, res.Rounds)
	}
}

// TestAddPeopleBadShare checks that a share outside [0, 1] is refused by
// name.
func TestAddPeopleBadShare(t *testing.T) {
	sc := mustParse(t, base)
	for _, tc := range []struct {
		o    PeopleOptions
		want string
	}{{PeopleOptions{Adjust: 1.5}, "adjust: "}, {PeopleOptions{People: -0.1}, "people: "}, {PeopleOptions{RoundTo: math.NaN()}, "round_to: "}} {
		if err := AddPeople(sc, tc.o); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one about %q", tc.o, err, tc.want)
		}
	}
	if err := AddPeople(sc, PeopleOptions{People: 1}); err != nil {
		t.Fatal(err)
	}
}

// TestGeneratePeopleWarm checks that gen --warm solves last year's economy
// of mixed crowds on three seeds where it could not before the solver
// freed pollutants (solve.go, freePollutants): on seed 17 a worker with
// CES technology (σ 2.2, 16 inputs) leaves the pollutant free at the
// equilibrium of the economy without partial adjustment and rounding, and
// the default rule's solve of its learned economy failed every round of
// 200.
func TestGeneratePeopleWarm(t *testing.T) {
	for _, c := range []struct {
		seed uint64
		ces  bool
	}{{13, true}, {17, false}, {17, true}} {
		sc, err := Generate(GenOptions{Goods: 15, Councils: 60, Seed: c.seed, CES: c.ces, People: 0.5, Warm: 0.1})
		if err != nil {
			t.Errorf("seed %d, CES %v: %v", c.seed, c.ces, err)
			continue
		}
		for _, g := range sc.Goods {
			if !(g.Price > 0) {
				t.Errorf("seed %d, CES %v: good %s has last year's price %v", c.seed, c.ces, g.ID, g.Price)
			}
		}
	}
}

// TestGenerateAllowance checks GenOptions.Allowance: the same economy with
// its pollutant's allowance scaled (within the rounding to 3 figures), its
// name marked, and a clear error naming the field for a bad scale.
func TestGenerateAllowance(t *testing.T) {
	base, err := Generate(GenOptions{Goods: 10, Councils: 40, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	three, err := Generate(GenOptions{Goods: 10, Councils: 40, Seed: 3, Allowance: 3})
	if err != nil {
		t.Fatal(err)
	}
	if three.Name != base.Name+"-allow3" {
		t.Errorf("name %q, want %q", three.Name, base.Name+"-allow3")
	}
	n := 0
	for i, g := range base.Goods {
		h := three.Goods[i]
		if g.Kind != "pollutant" {
			if !reflect.DeepEqual(g, h) {
				t.Errorf("good %s differs: %+v against %+v", g.ID, h, g)
			}
			continue
		}
		n++
		if r := h.Endowment / g.Endowment; math.Abs(r-3) > 3e-3*3 {
			t.Errorf("allowance %g against %g: ratio %g, want 3", h.Endowment, g.Endowment, r)
		}
	}
	if n != 1 {
		t.Fatalf("%d pollutants, want 1", n)
	}
	if !reflect.DeepEqual(base.Councils, three.Councils) {
		t.Error("the councils differ")
	}
	for _, bad := range []float64{-1, math.NaN(), 1001} {
		_, err := Generate(GenOptions{Goods: 10, Councils: 40, Seed: 3, Allowance: bad})
		if err == nil || !strings.Contains(err.Error(), "allowance") {
			t.Errorf("allowance %g: error %v, want one naming the allowance", bad, err)
		}
	}
}
