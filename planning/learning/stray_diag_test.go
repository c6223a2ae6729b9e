package learning_test

import (
	"testing"

	"parecon/councils"
	"parecon/planning/learning"
)

func TestStrayDiag(t *testing.T) {
	if !*mixedDiag {
		t.Skip()
	}
	for _, name := range []string{"round-to", "people-0.5", "people-1"} {
		var cr crowd
		for _, c := range crowds {
			if c.name == name {
				cr = c
			}
		}
		tp, fp, tot := 0, 0, 0
		for seed := uint64(1); seed <= uint64(*peopleSeeds); seed++ {
			for _, ces := range []bool{false, true} {
				e := crowdEconomy(t, 15, 60, seed, ces, cr)
				hits := map[int]int{}
				learning.SetStrayHook(func(c int, d, elo, ehi, n float64) {
					if n >= 2 {
						hits[c] = 1
					}
					if *traceC >= 0 {
						t.Logf("s%d ces %v c%d adj %.2f rt %d: d %.3g in [%.3g, %.3g] strays %v", seed, ces, c, e.Scenario.Councils[c].Adjust, e.Scenario.Councils[c].RoundTo, d, elo, ehi, n)
					}
				})
				_, err := councils.Run(e, councils.RunOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: 20, Prices: coldPrices(e)})
				if err != nil {
					t.Fatal(err)
				}
				for c, n := range hits {
					sc := e.Scenario.Councils[c]
					if sc.Adjust > 0 && sc.Adjust < 1 {
						tp += n
					} else {
						fp += n
					}
				}
				for _, sc := range e.Scenario.Councils {
					if sc.RoundTo > 0 && sc.Adjust > 0 && sc.Adjust < 1 {
						tot++
					}
				}
			}
		}
		learning.SetStrayHook(nil)
		t.Logf("%s: flagged partial movers %d, whole movers %d (rounding partial councils %d)", name, tp, fp, tot)
	}
}
