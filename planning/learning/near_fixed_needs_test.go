package learning_test

import (
	"math/rand/v2"
	"testing"

	"parecon/councils"
)

// TestLearningNearFixedNeeds runs reference councils whose consumers
// barely substitute (every consumer council's elasticity drawn from
// 0.05–0.2, each council's own) and checks that the default rule keeps
// its rounds: within 1e-8 in at most 6. On two of these economies the
// pollutant's allowance is slack at the equilibrium, but freed judged it
// priced at the floor with the other prices where the held solve had left
// them; the learned economy then went unsolved for six rounds (10 and 12
// rounds; freedSolved).
func TestLearningNearFixedNeeds(t *testing.T) {
	for _, goods := range []int{15, 40} {
		for seed := uint64(1); seed <= 3; seed++ {
			for _, ces := range []bool{false, true} {
				sc, err := councils.Generate(councils.GenOptions{Goods: goods, Councils: 4 * goods, Seed: seed, CES: ces})
				if err != nil {
					t.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(seed, 5))
				for i := range sc.Councils {
					if c := &sc.Councils[i]; c.Type == "consumer" {
						c.Elasticity = 0.05 + 0.15*rng.Float64()
					}
				}
				_, res := runReference(t, sc)
				if !res.Converged || res.Rounds > 6 {
					t.Errorf("%d goods, seed %d, CES %v: converged %v in %d rounds (gap %.3g), want within 1e-8 in 6",
						goods, seed, ces, res.Converged, res.Rounds, res.Last().MaxGap)
				}
			}
		}
	}
}
