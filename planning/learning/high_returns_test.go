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
	forGenerated(t, 3, func(sc *councils.Scenario, seed uint64) {
		rescaleReturns(sc, rand.New(rand.NewPCG(seed, 99)), 0.93, 0.98)
	}, within(t, 5))
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
	forGenerated(t, 6, func(sc *councils.Scenario, seed uint64) {
		rescaleReturns(sc, rand.New(rand.NewPCG(seed, 99)), 0.95, 0.99)
	}, func(name string, res *councils.RunResult) {
		if !res.Converged {
			t.Errorf("%s: not within 1e-8 in 40 rounds (gap %.3g)", name, res.Last().MaxGap)
		}
		if res.Rounds > 5 {
			slow++
			t.Logf("%s: %d rounds", name, res.Rounds)
		}
	})
	if slow > 1 {
		t.Errorf("%d of 24 plans took more than 5 rounds, want at most 1", slow)
	}
}
