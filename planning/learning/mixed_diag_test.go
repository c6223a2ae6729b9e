package learning_test

import (
	"flag"
	"fmt"
	"math"
	"testing"

	"parecon/councils"
	"parecon/planning"
	"parecon/planning/learning"
)

var (
	mixedDiag  = flag.Bool("mixed-diag", false, "log, per round, every council's line of the good with the largest gap, its behaviours and λ̂ (crowd -people-crowds, seed -people-seeds, CES consumers with -stuck-ces, goods and councils -people-goods, -people-councils)")
	mixedTrace = flag.Int("mixed-trace", -1, "with -mixed-diag, also log this council's outputs and λ̂ every round")
)

// TestMixedDiag logs, with -mixed-diag -v, per round of the default rule on
// one crowd's economy, the largest gap, its good and the rule's state, and
// every council's line of that good (2% of the market or more): its
// quantity, behaviours and the rule's λ̂ of it. Without the flag it runs
// the 15 × 60 people-1 economy, seed 1, 12 rounds and checks that the
// gap falls below a tenth of round 0's.
func TestMixedDiag(t *testing.T) {
	goods, nc, seed, ces, crName, n := 15, 60, uint64(1), false, "people-1", 12
	if *mixedDiag {
		goods, nc, seed, ces, n = *peopleGoods, *peopleCouncils, uint64(*peopleSeeds), *stuckCES, 30
		if *peopleCrowds != "" {
			crName = *peopleCrowds
		}
	}
	cr := crowdNamed(t, crName)
	e := crowdEconomy(t, goods, nc, seed, ces, cr)
	prices := coldPrices(e)
	if *mixedDiag && *peopleWarm > 0 {
		e = ownWarmEconomy(t, goods, nc, seed, ces, cr, *peopleWarm)
		prices = e.Prices
	}
	if *mixedDiag {
		floor := floorOf(t, e)
		t.Logf("floorOf %.4g (%g× %.4g)", floor, councils.FloorReach, councils.FloorReach*floor)
	}
	pr, err := councils.NewProcess(e, councils.ProcessOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: n, Prices: prices})
	if err != nil {
		t.Fatal(err)
	}
	l := learning.New()
	prevQ := map[int]float64{}
	first, last := math.NaN(), math.NaN()
	for {
		res := closeShadowed(t, pr, l)
		c := res.Closed
		if math.IsNaN(first) {
			first = c.MaxGap
		}
		last = c.MaxGap
		if *mixedDiag {
			logMixed(t, e, l, c, prevQ)
		}
		if res.Status != councils.StatusOpen {
			break
		}
	}
	if !(last < first/10) {
		t.Errorf("largest gap %.3g after %d rounds, not below a tenth of round 0's %.3g", last, n, first)
	}
}

// logMixed logs TestMixedDiag's view of round c.
func logMixed(t *testing.T, e *councils.Economy, l planning.Rule, c *planning.Round, prevQ map[int]float64) {
	t.Helper()
	w := c.Worst
	rad, fb, hold, best, _, fl := learning.DiagState(l, w)
	t.Logf("round %2d gap %.3g worst %d s %.5g d %.5g p %.4g floor %.3g pred %.3g radius %.3g fallbacks %d holding %v best %.3g",
		c.Number, c.MaxGap, w, c.Supply[w], c.Demand[w], c.Prices[w], fl, learning.DiagPred(l, w), rad, fb, hold, best)
	if tc := *mixedTrace; tc >= 0 && tc < len(c.Proposals) && c.Proposals[tc] != nil {
		lam, _, whole, _, _, _ := learning.DiagLag(l, tc)
		t.Logf("   c%d out %v λ̂ %.3f whole %v partial %v", tc, c.Proposals[tc].Out, lam, whole, learning.DiagPartial(l, tc))
	}
	gs := ""
	for j := range c.Gap {
		if math.Abs(c.Gap[j]) > 0.5*c.MaxGap {
			gs += fmt.Sprintf(" %d:%.3g", j, c.Gap[j])
		}
	}
	t.Logf("   gaps above half the largest:%s", gs)
	q := map[int]float64{}
	for ci, p := range c.Proposals {
		if p == nil {
			continue
		}
		for _, side := range [2][]planning.Line{p.Out, p.In} {
			for _, ln := range side {
				if ln.Good != w || ln.Qty < 0.02*math.Max(c.Supply[w], c.Demand[w]) {
					continue
				}
				q[ci] = ln.Qty
				sc := e.Scenario.Councils[ci]
				lam, qu, whole, inf, ex, prior := learning.DiagLag(l, ci)
				m := e.Models[ci]
				if ps, ok := m.(*councils.Person); ok {
					m = ps.Model
				}
				t.Logf("     c%-3d %-22T adjust %.2f round_to %d qty %10.5g (before %10.5g) λ̂ %.3f q %.3g whole %v informed %v exact %v partial %v prior %.3f",
					ci, m, sc.Adjust, sc.RoundTo, ln.Qty, prevQ[ci], lam, qu, whole, inf, ex, learning.DiagPartial(l, ci), prior)
			}
		}
	}
	clear(prevQ)
	for k, v := range q {
		prevQ[k] = v
	}
}

// TestStrayPartial checks strayTest on the 15 × 60 people-1 crowds, seeds
// 1–3, Cobb–Douglas and CES consumers: after 12 rounds the rounding
// workers it takes to move partway are mostly councils that do (at least
// five of them, and at most one in eight of those it takes are whole
// movers).
func TestStrayPartial(t *testing.T) {
	var cr crowd
	for _, c := range crowds {
		if c.name == "people-1" {
			cr = c
		}
	}
	right, wrong := 0, 0
	for seed := uint64(1); seed <= 3; seed++ {
		for _, ces := range []bool{false, true} {
			e := crowdEconomy(t, 15, 60, seed, ces, cr)
			pr, err := councils.NewProcess(e, councils.ProcessOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: 12, Prices: coldPrices(e)})
			if err != nil {
				t.Fatal(err)
			}
			l := learning.New()
			for {
				if res := closeShadowed(t, pr, l); res.Status != councils.StatusOpen {
					break
				}
			}
			for c, sc := range e.Scenario.Councils {
				if !learning.DiagPartial(l, c) {
					continue
				}
				if sc.Adjust > 0 && sc.Adjust < 1 {
					right++
				} else {
					wrong++
				}
			}
		}
	}
	t.Logf("taken to move partway: %d that do, %d that do not", right, wrong)
	if right < 5 || 8*wrong > right+wrong {
		t.Errorf("strayTest took %d councils that move partway and %d that do not for partial movers", right, wrong)
	}
}
