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
	t.Run("low returns", func(t *testing.T) {
		forGenerated(t, 3, func(sc *councils.Scenario, seed uint64) {
			rescaleReturns(sc, rand.New(rand.NewPCG(seed, 7)), 0.1, 0.3)
		}, within(t, 6))
	})
	t.Run("scarce resources", func(t *testing.T) {
		forGenerated(t, 3, func(sc *councils.Scenario, _ uint64) {
			for i := range sc.Goods {
				if sc.Goods[i].Kind == "resource" {
					sc.Goods[i].Endowment *= 0.01
				}
			}
		}, within(t, 6))
	})
}
