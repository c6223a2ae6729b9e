package learning_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"parecon/councils"
)

// forGenerated runs reference councils with the default rule (runReference)
// on the generated economies of 15 and 40 produced goods (four councils a
// good), seeds 1 to seeds, Cobb–Douglas and CES consumers, each first
// changed by edit, and calls check with each economy's name and result.
func forGenerated(t *testing.T, seeds uint64, edit func(sc *councils.Scenario, seed uint64), check func(name string, res *councils.RunResult)) {
	t.Helper()
	for _, goods := range []int{15, 40} {
		for seed := uint64(1); seed <= seeds; seed++ {
			for _, ces := range []bool{false, true} {
				sc, err := councils.Generate(councils.GenOptions{Goods: goods, Councils: 4 * goods, Seed: seed, CES: ces})
				if err != nil {
					t.Fatal(err)
				}
				edit(sc, seed)
				_, res := runReference(t, sc)
				check(fmt.Sprintf("%d goods, seed %d, CES %v", goods, seed, ces), res)
			}
		}
	}
}

// within returns a check for forGenerated that every plan converges within
// 1e-8 in at most n rounds.
func within(t *testing.T, n int) func(string, *councils.RunResult) {
	return func(name string, res *councils.RunResult) {
		if !res.Converged || res.Rounds > n {
			t.Errorf("%s: converged %v in %d rounds (gap %.3g), want within 1e-8 in %d",
				name, res.Converged, res.Rounds, res.Last().MaxGap, n)
		}
	}
}

// rescaleReturns rescales the exponents of every worker of sc to sum to
// a returns to scale drawn uniformly from [lo, hi) by rng, each council's
// own.
func rescaleReturns(sc *councils.Scenario, rng *rand.Rand, lo, hi float64) {
	for i := range sc.Councils {
		c := &sc.Councils[i]
		if c.Type != "worker" || len(c.Inputs) == 0 {
			continue
		}
		sum := 0.0
		for _, v := range c.Inputs {
			sum += v
		}
		b := lo + (hi-lo)*rng.Float64()
		for k, v := range c.Inputs {
			c.Inputs[k] = v * b / sum
		}
	}
}

// runReference runs scenario sc with the default rule to 1e-8, at most
// 40 rounds, and returns its economy and result.
func runReference(t *testing.T, sc *councils.Scenario) (*councils.Economy, *councils.RunResult) {
	t.Helper()
	e, err := councils.NewEconomy(sc)
	if err != nil {
		t.Fatal(err)
	}
	res, err := councils.Run(e, councils.RunOptions{Tolerance: 1e-8, MaxRounds: 40})
	if err != nil {
		t.Fatal(err)
	}
	return e, res
}
