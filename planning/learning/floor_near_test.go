package learning_test

import (
	"flag"
	"math"
	"sort"
	"testing"

	"parecon/councils"
)

var peopleNear = flag.Float64("people-near", 0.002, "TestFloorNear: the largest change of a log price of its perturbed equilibria")

// TestFloorNear logs, with -people -v, how fair a target floorOf is: the
// largest gap a rounding crowd holds at its equilibrium's prices
// (unrounded, without partial adjustment) each moved by a uniform draw of
// up to ±people-near in log, nine draws per economy, as multiples of
// floorOf, the median per economy and over the economies. A board that
// knows the equilibrium only to within the rounding's reach cannot count
// on better. Sized by -people-goods, -people-councils and -people-seeds.
func TestFloorNear(t *testing.T) {
	if !*peopleTable {
		t.Skip("with -people")
	}
	goods, nc := *peopleGoods, *peopleCouncils
	for _, cr := range crowds {
		if !cr.rounding {
			continue
		}
		var medians []float64
		for s := 1; s <= *peopleSeeds; s++ {
			seed := uint64(s)
			for _, ces := range []bool{false, true} {
				e := crowdEconomy(t, goods, nc, seed, ces, cr)
				floor := floorOf(t, e)
				p0 := smoothEquilibrium(t, cr, seed, goods, nc, ces)
				x := seed*7919 + 1
				var rs []float64
				for range 9 {
					p := make([]float64, len(p0))
					for j := range p {
						x = x*6364136223846793005 + 1442695040888963407
						u := float64(x>>11)/float64(1<<53)*2 - 1
						p[j] = p0[j] * math.Exp(*peopleNear*u)
					}
					h, err := councils.Run(e, councils.RunOptions{Rule: "tatonnement", Step: 1e-300, Tolerance: 1e-12, MaxRounds: councils.FloorHold, Prices: p})
					if err != nil {
						t.Fatal(err)
					}
					rs = append(rs, h.Last().MaxGap/floor)
				}
				sort.Float64s(rs)
				medians = append(medians, rs[4])
				t.Logf("%s seed %d ces %v: floorOf %.3g, near it %.2f–%.2f times it (median %.2f)", cr.name, s, ces, floor, rs[0], rs[8], rs[4])
			}
		}
		sort.Float64s(medians)
		t.Logf("%s: median over the economies %.2f times floorOf (%.2f–%.2f)", cr.name, medians[len(medians)/2], medians[0], medians[len(medians)-1])
	}
}
