package learning_test

import (
	"flag"
	"fmt"
	"math"
	"os"
	"testing"

	"parecon/councils"
	"parecon/planning"
	"parecon/planning/learning"
)

var (
	stuckDiag = flag.Bool("stuck-diag", false, "log, per round, where the default rule's largest gap sits on -people-goods × -people-councils (crowd -people-crowds, seed -people-seeds, CES consumers with -stuck-ces)")
	stuckCES  = flag.Bool("stuck-ces", false, "with -stuck-diag, CES consumers")
	stuckWho  = flag.Bool("stuck-who", false, "with -stuck-diag, also log who supplies the worst good each round, and how they behave")
	stuckFile = flag.String("stuck-file", "", "with -stuck-diag, the scenario file to play (from its own prices) instead of a crowd's economy")
)

// TestStuckDiag logs, with -stuck-diag -v, per round of the default rule on
// one crowd's economy: the largest gap, its good, that market's supply,
// demand, price and floor, the trust region, fallbacks and whether the rule
// holds; without the flag it runs the 15 × 60 round-to economy 5 rounds and
// checks that the gap falls.
func TestStuckDiag(t *testing.T) {
	goods, nc, seed, ces, crName, n := 15, 60, uint64(1), false, "round-to", 5
	if *stuckDiag {
		goods, nc, seed, n = *peopleGoods, *peopleCouncils, uint64(*peopleSeeds), *unseenDiagN
		ces = *stuckCES
		if *peopleCrowds != "" {
			crName = *peopleCrowds
		}
	}
	var e *councils.Economy
	var pr *councils.Process
	if *stuckDiag && *stuckFile != "" {
		e, pr = fileProcess(t, *stuckFile, n)
	} else {
		e = crowdEconomy(t, goods, nc, seed, ces, crowdNamed(t, crName))
		pr = coldProcess(t, e, n)
	}
	l := learning.New()
	worst := map[int]bool{}
	first, last := math.NaN(), math.NaN()
	for {
		cr := closeShadowed(t, pr, l)
		c := cr.Closed
		if math.IsNaN(first) {
			first = c.MaxGap
		}
		last = c.MaxGap
		if *stuckDiag {
			w := c.Worst
			worst[w] = true
			big, zs, zd := 0, 0, 0
			for j := range c.Gap {
				if math.Abs(c.Gap[j]) > 0.3 {
					big++
				}
				if c.Supply[j] == 0 && c.Demand[j] > 0 {
					zs++
				}
				if c.Demand[j] == 0 && c.Supply[j] > 0 {
					zd++
				}
			}
			rad, fb, hold, best, rnd, fl := learning.DiagState(l, w)
			// The net price margin of the worst good's suppliers.
			margin := ""
			for _, m := range e.Models {
				if ps, ok := m.(*councils.Person); ok {
					m = ps.Model
				}
				if cd, ok := m.(*councils.CobbDouglas); ok && cd.Output == w {
					q := c.Prices[w]
					for _, em := range cd.Emissions {
						q -= em.Qty * c.Prices[em.Good]
					}
					margin += fmt.Sprintf(" q/p %.3g", q/c.Prices[w])
				}
			}
			t.Logf("round %2d gap %.3g worst %d (%s s %.4g d %.4g p %.3g floor %.3g) >0.3: %d, unsupplied %d, undemanded %d; radius %.3g fallbacks %d holding %v best %.3g rounding %d;%s",
				c.Number, c.MaxGap, w, e.Plan.Goods[w].ID, c.Supply[w], c.Demand[w], c.Prices[w], fl, big, zs, zd, rad, fb, hold, best, rnd, margin)
			if *stuckWho {
				logSuppliers(t, e, c, w, learning.DiagStep(l))
			}
			if *unseenDiagSolve {
				t.Logf("    %s", learning.DiagSolve(l))
			}
		}
		if cr.Status != councils.StatusOpen {
			break
		}
	}
	for i, m := range e.Models {
		if ps, ok := m.(*councils.Person); ok {
			m = ps.Model
		}
		if w, ok := m.(*councils.CobbDouglas); ok && worst[w.Output] && *stuckDiag {
			t.Logf("worker %d supplies %s: b %.4g, %d inputs, emissions %v, rounds to %d figures", i, e.Plan.Goods[w.Output].ID, w.B, len(w.Inputs), w.Emissions, e.Scenario.Councils[i].RoundTo)
		}
	}
	if !(last < first) {
		t.Errorf("largest gap %.3g after %d rounds, not below round 0's %.3g", last, n, first)
	}
}

// logSuppliers logs the pollutants' markets of round c, the step the rule
// took from it, and every council that supplies good w there, with its
// behaviours.
func logSuppliers(t *testing.T, e *councils.Economy, c *planning.Round, w int, step float64) {
	t.Helper()
	pol := ""
	for j, g := range e.Plan.Goods {
		if g.Kind == planning.Pollutant {
			pol += fmt.Sprintf(" %s p %.4g s %.4g d %.4g;", g.ID, c.Prices[j], c.Supply[j], c.Demand[j])
		}
	}
	t.Logf("      pollutants:%s next step %.3g", pol, step)
	for i, pp := range c.Proposals {
		if pp == nil {
			continue
		}
		for _, o := range pp.Out {
			if o.Good != w || o.Qty <= 0 {
				continue
			}
			desc := fmt.Sprintf("%T", e.Models[i])
			if ps, ok := e.Models[i].(*councils.Person); ok {
				desc = fmt.Sprintf("person λ %.2g round %d %T", ps.Adjust, ps.RoundTo, ps.Model)
				if ces, ok := ps.Model.(*councils.CES); ok {
					desc += fmt.Sprintf(" σ %.3g b %.3g", ces.Sigma, ces.B)
				}
			}
			t.Logf("      council %d makes %.4g of it (%s)", i, o.Qty, desc)
		}
	}
}

// fileProcess returns the economy of the scenario file path and a
// process of it under the default rule from the scenario's own prices, as
// parecon run plays it, for at most n rounds.
func fileProcess(t *testing.T, path string, n int) (*councils.Economy, *councils.Process) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := economyOf(t, data)
	pr, err := councils.NewProcess(e, councils.ProcessOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: n})
	if err != nil {
		t.Fatal(err)
	}
	return e, pr
}

// crowdNamed returns the crowd called name (-people-crowds), failing t
// for a name no crowd has.
func crowdNamed(t *testing.T, name string) crowd {
	t.Helper()
	for _, c := range crowds {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no crowd is called %q", name)
	return crowd{}
}

// coldProcess returns a process of e under the default rule, from the
// cold prices the tables use, for at most n rounds.
func coldProcess(t *testing.T, e *councils.Economy, n int) *councils.Process {
	t.Helper()
	pr, err := councils.NewProcess(e, councils.ProcessOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: n, Prices: coldPrices(e)})
	if err != nil {
		t.Fatal(err)
	}
	return pr
}
