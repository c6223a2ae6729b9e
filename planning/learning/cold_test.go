package learning_test

import (
	"testing"

	"parecon/councils"
	"parecon/planning/learning"
	"parecon/planning/rules"
)

// TestColdLeapNewton guards the cold leap's cost: from round 0's
// proposals on generated economies the learned economy is solved by Newton
// straight from the scenario's prices, in a few iterations, by dense LU and
// by GMRES alike. (Shortening the step price by price instead of as a whole
// took 79, 64 and 85.)
func TestColdLeapNewton(t *testing.T) {
	for _, tc := range []struct {
		goods, councils int
		seed            uint64
		krylov          bool
	}{
		{80, 800, 1, false}, // dense LU
		{120, 1200, 2, true},
		{160, 1600, 3, true},
	} {
		sc, err := councils.Generate(councils.GenOptions{Goods: tc.goods, Councils: tc.councils, Seed: tc.seed})
		if err != nil {
			t.Fatal(err)
		}
		e, err := councils.NewEconomy(sc)
		if err != nil {
			t.Fatal(err)
		}
		plan, board := closedRound0(t, e)
		rule, _ := rules.New("learning", 0)
		if tc.krylov {
			learning.ForceKrylov(rule)
		}
		rule.Next(plan, board.Rounds())
		newton, _, _, fallbacks := learning.Stats(rule)
		if fallbacks > 0 || newton > 20 {
			t.Errorf("%d goods × %d councils, seed %d, GMRES %v: %d Newton iterations, %d fallbacks; want ≤ 20 and none",
				tc.goods, tc.councils, tc.seed, tc.krylov, newton, fallbacks)
		}
	}
}
