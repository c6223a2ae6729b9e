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

var traceC = flag.Int("trace-c", -1, "council whose λ̂ regression to trace")
var mixedDiag = flag.Bool("mixed-diag", false, "log, per round, the councils of the largest gap's good (crowd -people-crowds, seed -people-seeds, CES with -stuck-ces)")

// TestMixedDiag logs, with -mixed-diag -v, per round of the default rule on
// one crowd's economy, every council's line of the good with the largest
// gap: its quantity, behaviours and the rule's λ̂ of it.
func TestMixedDiag(t *testing.T) {
	if !*mixedDiag {
		t.Skip("diagnostic: -mixed-diag")
	}
	goods, nc, seed := *peopleGoods, *peopleCouncils, uint64(*peopleSeeds)
	var cr crowd
	for _, c := range crowds {
		if c.name == *peopleCrowds {
			cr = c
		}
	}
	e := crowdEconomy(t, goods, nc, seed, *stuckCES, cr)
	floor := floorOf(t, e, cr, seed, goods, nc, *stuckCES)
	t.Logf("floorOf %.4g (1.25x %.4g)", floor, 1.25*floor)
	if *traceC >= 0 {
		m := e.Models[*traceC]
		if ps, ok := m.(*councils.Person); ok {
			m = ps.Model
		}
		switch w := m.(type) {
		case *councils.CES:
			t.Logf("c%d CES B %.4f sigma %.3f", *traceC, w.B, w.Sigma)
		case *councils.CobbDouglas:
			t.Logf("c%d CD B %.4f", *traceC, w.B)
		}
	}
	pr, err := councils.NewProcess(e, councils.ProcessOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: 20, Prices: coldPrices(e)})
	if err != nil {
		t.Fatal(err)
	}
	l := learning.New()
	learning.SetStrayHook(func(c int, d, elo, ehi, n float64) {
		if c == *traceC {
			t.Logf("   STRAY c%d d %.3g in [%.3g, %.3g] strays %v", c, d, elo, ehi, n)
		}
	})
	defer learning.SetStrayHook(nil)
	learning.SetTestHook(func(c int, d, elo, ehi, slack float64) {
		if c == *traceC {
			t.Logf("   TEST c%d d %.3g in [%.3g, %.3g] slack %.3g", c, d, elo, ehi, slack)
		}
	})
	defer learning.SetTestHook(nil)
	var prevQ map[int]float64
	for {
		res := closeShadowed(t, pr, l)
		c := res.Closed
		w := c.Worst
		rad, fb, hold, best, _, fl := learning.DiagState(l, w)
		t.Logf("round %2d gap %.3g worst %d s %.5g d %.5g p %.4g floor %.3g pred %.3g (sgap %.3g) radius %.3g fb %d hold %v best %.3g",
			c.Number, c.MaxGap, w, c.Supply[w], c.Demand[w], c.Prices[w], fl, learning.DiagPred(l, w), (c.Demand[w]-c.Supply[w])/math.Max(c.Supply[w], c.Demand[w]), rad, fb, hold, best)
		gs := ""
		for j := range c.Gap {
			if math.Abs(c.Gap[j]) > 0.5*c.MaxGap {
				gs += fmt.Sprintf(" %d:%.3g", j, c.Gap[j])
			}
		}
		t.Logf("   big gaps%s", gs)
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
					kind := ""
					if m, ok := e.Models[ci].(*councils.Person); ok {
						kind = fmt.Sprintf("%T", m.Model)
					} else {
						kind = fmt.Sprintf("%T", e.Models[ci])
					}
					t.Logf("     c%-3d %-22s adj %.2f rt %d qty %10.5g (prev %10.5g) lam^ %.3f q %.3g whole %v inf %v exact %v prior %.3f",
						ci, kind, sc.Adjust, sc.RoundTo, ln.Qty, prevQ[ci], lam, qu, whole, inf, ex, prior)
				}
			}
		}
		prevQ = q
		if res.Status != councils.StatusOpen {
			break
		}
	}
}
