package learning_test

import (
	"flag"
	"fmt"
	"math"
	"testing"

	"parecon/councils"
	"parecon/planning/learning"
)

var (
	unseenDiag      = flag.String("unseen-diag", "", "log, per round, where the default rule's largest gap sits on this behaviour of unseen_test.go (-people-goods × -people-councils, seed -people-seeds, CES consumers with -stuck-ces)")
	unseenDiagSolve = flag.Bool("unseen-diag-solve", false, "with -unseen-diag or -stuck-diag, solve the learned economy afresh each round and log its largest residuals (disturbs the shadow rule's scratch)")
	unseenDiagN     = flag.Int("unseen-diag-rounds", 40, "rounds of -unseen-diag and -stuck-diag")
)

// TestUnseenDiag logs, with -unseen-diag B -v, per round of the default
// rule on an unseen behaviour's economy: the largest gap, its good and
// that market's sides, what supplies it, and the rule's state (trust
// region, fallbacks, failed solve, stall safeguard, last miss, shaped
// workers). Without the flag it runs the 15 × 60 mix 6 rounds and checks
// the shadow rule follows the process's.
func TestUnseenDiag(t *testing.T) {
	b, goods, nc, seed, ces, n := "unseen-mix", 15, 60, uint64(1), false, 6
	if *unseenDiag != "" {
		b, goods, nc, seed, ces, n = *unseenDiag, *peopleGoods, *peopleCouncils, uint64(*peopleSeeds), *stuckCES, *unseenDiagN
	}
	e := unseenEconomy(t, goods, nc, seed, ces, b)
	pr := coldProcess(t, e, n)
	l := learning.New()
	prevPred := math.NaN()
	for {
		cr := closeShadowed(t, pr, l)
		c := cr.Closed
		if *unseenDiag != "" {
			w := c.Worst
			sup := map[string]int{}
			for i, m := range e.Models {
				pp := c.Proposals[i]
				if pp == nil {
					continue
				}
				for _, o := range pp.Out {
					if o.Good == w && o.Qty > 0 {
						sup[fmt.Sprintf("%T", m)]++
					}
				}
			}
			big := 0
			for j := range c.Gap {
				if math.Abs(c.Gap[j]) > 0.03 {
					big++
				}
			}
			rad, fb, _, _, _, _ := learning.DiagState(l, w)
			failing, st, miss, shaped, _, stuck := learning.DiagMore(l, w)
			pred := prevPred
			t.Logf("round %2d gap %.3g worst %d (s %.4g d %.4g p %.3g pred %.3g; suppliers %v) >3%%: %d; radius %.3g fallbacks %d failing %v stall %v miss %.3g shaped %d stuck %d",
				c.Number, c.MaxGap, w, c.Supply[w], c.Demand[w], c.Prices[w], pred, sup, big, rad, fb, failing, st, miss, shaped, stuck)
			t.Logf("    %s", learning.DiagShapes(l, w))
			pmin, pmax, jmax := math.Inf(1), 0.0, 0
			for j, p := range c.Prices {
				pmin = math.Min(pmin, p)
				if p > pmax {
					pmax, jmax = p, j
				}
			}
			t.Logf("    prices %.3g..%.3g (max at %d: s %.3g d %.3g) surplus %.3g", pmin, pmax, jmax, c.Supply[jmax], c.Demand[jmax], c.Surplus)
			if *unseenDiagSolve {
				t.Logf("    %s", learning.DiagSolve(l))
			}
		}
		if cr.Status != councils.StatusOpen {
			break
		}
		_, _, _, _, prevPred, _ = learning.DiagMore(l, cr.Closed.Worst)
	}
}
