package learning_test

import (
	"math/rand/v2"
	"testing"

	"parecon/councils"
)

// TestLearningSlackPollutant runs reference councils on two kinds of
// economy whose pollutant's allowance goes nearly unused at a cold start
// and stays slack at the equilibrium (its price there at the floor):
// workers of strongly decreasing returns (every generated worker's
// exponents rescaled to sum to 0.1–0.3, each council's own), and a
// hundredth of the generated resources. It checks that the default rule
// keeps its rounds: within 1e-8 in at most 6. Where the board kept priced
// every pollutant the last round emitted under 1% of its allowance (the
// guard of freePollutants, now gone), these plans took up to 28 rounds,
// or never converged in 40: the slack pollutant was never freed.
func TestLearningSlackPollutant(t *testing.T) {
	for _, kind := range []string{"low returns", "scarce resources"} {
		for _, goods := range []int{15, 40} {
			for seed := uint64(1); seed <= 3; seed++ {
				for _, ces := range []bool{false, true} {
					sc, err := councils.Generate(councils.GenOptions{Goods: goods, Councils: 4 * goods, Seed: seed, CES: ces})
					if err != nil {
						t.Fatal(err)
					}
					if kind == "low returns" {
						rescaleReturns(sc, rand.New(rand.NewPCG(seed, 7)), 0.1, 0.3)
					} else {
						for i := range sc.Goods {
							if sc.Goods[i].Kind == "resource" {
								sc.Goods[i].Endowment *= 0.01
							}
						}
					}
					_, res := runReference(t, sc)
					if !res.Converged || res.Rounds > 6 {
						t.Errorf("%s, %d goods, seed %d, CES %v: converged %v in %d rounds (gap %.3g), want within 1e-8 in 6",
							kind, goods, seed, ces, res.Converged, res.Rounds, res.Last().MaxGap)
					}
				}
			}
		}
	}
}
