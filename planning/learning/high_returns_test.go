package learning_test

import (
	"math/rand/v2"
	"testing"

	"parecon/councils"
)

// TestLearningHighReturns runs reference councils whose workers are near
// constant returns (the exponents of every generated worker rescaled to
// sum to 0.93–0.98, each council's own) and checks that the default rule
// keeps its rounds: within 1e-8 in at most 5 rounds. With the fit's
// returns capped at 0.97, as before, the board read a worker of 0.98 as
// two thirds as elastic as it is: the gap fell by half a round, and from
// cold prices the learned economy had no solution for ten rounds: every
// one of these 12 plans failed (13–29 rounds, or never in 40). (Nearer
// constant returns still: TestLearningNearConstantReturns.)
func TestLearningHighReturns(t *testing.T) {
	for _, goods := range []int{15, 40} {
		for seed := uint64(1); seed <= 3; seed++ {
			for _, ces := range []bool{false, true} {
				sc, err := councils.Generate(councils.GenOptions{Goods: goods, Councils: 4 * goods, Seed: seed, CES: ces})
				if err != nil {
					t.Fatal(err)
				}
				rescaleReturns(sc, rand.New(rand.NewPCG(seed, 99)), 0.93, 0.98)
				_, res := runReference(t, sc)
				if !res.Converged || res.Rounds > 5 {
					t.Errorf("%d goods, seed %d, CES %v: converged %v in %d rounds (gap %.3g), want within 1e-8 in 5",
						goods, seed, ces, res.Converged, res.Rounds, res.Last().MaxGap)
				}
			}
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

// TestLearningNearConstantReturns runs reference councils whose workers
// are nearer constant returns still (exponents rescaled to 0.95–0.99):
// from cold prices they make next to nothing (supply 10⁻¹⁴ of demand) or
// want inputs 10³⁰ times the endowments. It checks that every plan
// converges within 1e-8 in 40 rounds and all but one in at most 5: with
// weigh's common δ (before tinyTraded) 14 of these 24 never converged.
// (One, 40 goods, seed 3, Cobb–Douglas, takes 14: for ten rounds a
// pollutant whose equation barely answers its own price sends Newton's
// step 10⁴–10⁵ log units along it, and the solve fails: not yet met.)
func TestLearningNearConstantReturns(t *testing.T) {
	slow := 0
	for _, goods := range []int{15, 40} {
		for seed := uint64(1); seed <= 6; seed++ {
			for _, ces := range []bool{false, true} {
				sc, err := councils.Generate(councils.GenOptions{Goods: goods, Councils: 4 * goods, Seed: seed, CES: ces})
				if err != nil {
					t.Fatal(err)
				}
				rescaleReturns(sc, rand.New(rand.NewPCG(seed, 99)), 0.95, 0.99)
				_, res := runReference(t, sc)
				if !res.Converged {
					t.Errorf("%d goods, seed %d, CES %v: not within 1e-8 in 40 rounds (gap %.3g)", goods, seed, ces, res.Last().MaxGap)
				}
				if res.Rounds > 5 {
					slow++
					t.Logf("%d goods, seed %d, CES %v: %d rounds", goods, seed, ces, res.Rounds)
				}
			}
		}
	}
	if slow > 1 {
		t.Errorf("%d of 24 plans took more than 5 rounds, want at most 1", slow)
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
