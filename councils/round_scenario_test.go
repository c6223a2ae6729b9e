package councils

import (
	"math"
	"strconv"
	"testing"
)

// TestRoundScenario rounds generated economies to 6 significant figures:
// they stay valid (weights sum to 1, exponents below 1), every number
// prints with at most 6 significant figures but a largest weight, and
// the rounded economy's equilibrium prices are those of the original to
// well within a plan's tolerance.
func TestRoundScenario(t *testing.T) {
	for _, o := range []GenOptions{
		{Goods: 6, Councils: 30, Seed: 2},
		{Goods: 8, Councils: 40, Seed: 5, CES: true, Warm: 0.1},
		{Goods: 6, Councils: 40, Seed: 3, Substitution: 0.5, Subsistence: 0.5},
	} {
		sc, err := Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		before := solve(t, sc)
		RoundScenario(sc, 6)
		if ps := Validate(sc); len(ps) > 0 {
			t.Fatalf("%+v: rounded scenario invalid: %v", o, ps)
		}
		sig := func(path string, x float64) {
			s := strconv.FormatFloat(x, 'e', -1, 64)
			digits := 0
			for _, c := range s {
				if c == 'e' {
					break
				}
				if c >= '0' && c <= '9' {
					digits++
				}
			}
			if digits > 6 {
				t.Errorf("%+v: %s = %s has %d significant figures", o, path, s, digits)
			}
		}
		for _, g := range sc.Goods {
			sig(g.ID+".price", g.Price)
			sig(g.ID+".endowment", g.Endowment)
		}
		for _, c := range sc.Councils {
			sig(c.ID+".scale", c.Scale)
			for g, x := range c.Inputs {
				sig(c.ID+".inputs."+g, x)
			}
			sum := 0.0
			for _, x := range c.Weights {
				sum += x
			}
			if len(c.Weights) > 0 && math.Abs(sum-1) > 1e-12 {
				t.Errorf("%s: weights sum to %v", c.ID, sum)
			}
		}
		after := solve(t, sc)
		for j := range before {
			if rel := math.Abs(after[j]-before[j]) / before[j]; rel > 1e-3 {
				t.Errorf("%+v: good %d's price moved by %.2g after rounding", o, j, rel)
			}
		}
	}
}

func solve(t *testing.T, sc *Scenario) []float64 {
	t.Helper()
	e, err := NewEconomy(sc)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-6, MaxRounds: 400})
	if err != nil || !res.Converged {
		t.Fatalf("%s did not converge in %d rounds (%s): %v", sc.Name, res.Rounds, res.Reason, err)
	}
	last := res.Last()
	p := make([]float64, len(last.Prices))
	for j := range p {
		p[j] = last.Prices[j] / last.Prices[e.Plan.Numeraire]
	}
	return p
}
