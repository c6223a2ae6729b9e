package councils

import (
	"slices"
	"sort"

	"parecon/planning"
)

// RollUp is one federation's share of a closed round (docs/federations.md):
// what the councils of its subtree supplied and demanded, its collective
// requests, who submitted, and its own gap, the balance of its subtree.
type RollUp struct {
	Federation int // index in Economy.Federations
	// Councils and Submitted count the councils of its subtree, and those
	// whose proposal stands fresh in the round.
	Councils, Submitted int
	// SubmittedMembers lists its direct members that submitted, in
	// scenario order.
	SubmittedMembers []string
	// Folded: the subtree has fewer than k councils, so its numbers count
	// only in its parent's (nothing else of it is shown).
	Folded bool
	Budget float64
	// Supply holds the outputs of its worker councils and the labour of
	// its consumer councils; Demand their inputs, emissions and requests;
	// Collective its own collective requests and those of the folded
	// federations below it; Gaps, per good, |D + C − S| / max(S, D + C)
	// with C every collective request of the subtree (planning.Gap), for
	// goods without an endowment (an endowment is the whole plan's). A good
	// no one in the subtree touches is absent.
	Supply, Demand, Collective, Gaps map[string]float64
	// Withheld names the sides ("bread.supply", "bread.demand") to which
	// fewer than k councils (but some) contribute: they are absent from
	// Supply and Demand, and their goods from Gaps.
	Withheld []string
}

// RollUps breaks closed round r down by federation, in scenario order.
// With k > 1 it applies the privacy rules for everyone but the
// facilitator: a federation whose subtree has fewer than k councils is
// folded into its parent, and a side of a good to which 1 to k−1 councils
// contribute is withheld. k ≤ 1 shows everything.
func (e *Economy) RollUps(r *planning.Round, k int) []RollUp {
	out := make([]RollUp, len(e.Federations))
	own := make([][]planning.Line, len(e.Federations)) // each federation's collective requests
	for i, f := range e.Federations {
		if f.Proposer >= 0 {
			out[i].Budget = r.Budgets[f.Proposer]
			if pr := r.Proposals[f.Proposer]; pr != nil {
				own[i] = pr.In
			}
		}
	}
	// A folded federation counts in its first ancestor not folded (−1 if
	// none): shown[i].
	folded := make([]bool, len(e.Federations))
	shown := make([]int, len(e.Federations))
	for i, f := range e.Federations {
		folded[i] = k > 1 && len(f.Councils) < k
	}
	for i := range e.Federations {
		s := i
		for s >= 0 && folded[s] {
			s = e.Federations[s].Parent
		}
		shown[i] = s
	}
	t := newRollScratch(len(e.Plan.Goods))
	var below []int
	for i, f := range e.Federations {
		ru := &out[i]
		ru.Federation, ru.Councils, ru.Folded = i, len(f.Councils), folded[i]
		for _, c := range f.Councils {
			if r.Fresh[c] {
				ru.Submitted++
			}
		}
		for _, c := range f.Members {
			if r.Fresh[c] {
				ru.SubmittedMembers = append(ru.SubmittedMembers, e.Plan.Councils[c].ID)
			}
		}
		if ru.Folded {
			ru.Budget = 0
			continue
		}
		for _, c := range f.Councils {
			pc := &e.Plan.Councils[c]
			if pc.Role == planning.Consumer && pc.Labor >= 0 && pc.Hours > 0 {
				t.add(c, []planning.Line{{Good: pc.Labor, Qty: pc.Hours}}, t.supply, t.nSupply, t.markSupply)
			}
			if pr := r.Proposals[c]; pr != nil {
				t.add(c, pr.Out, t.supply, t.nSupply, t.markSupply)
				t.add(c, pr.In, t.demand, t.nDemand, t.markDemand)
			}
		}
		// The collective requests of the federation and those below it.
		below = append(below[:0], i)
		for n := 0; n < len(below); n++ {
			d := below[n]
			below = append(below, e.Federations[d].Children...)
			for _, l := range own[d] {
				t.touch(l.Good)
				t.collAll[l.Good] += l.Qty
				if shown[d] == i {
					t.collShown[l.Good] += l.Qty
				}
			}
		}
		ru.Supply, ru.Demand = map[string]float64{}, map[string]float64{}
		ru.Collective, ru.Gaps = map[string]float64{}, map[string]float64{}
		slices.Sort(t.touched)
		for _, j := range t.touched {
			g := &e.Plan.Goods[j]
			if t.nSupply[j] == 0 && t.nDemand[j] == 0 && t.collAll[j] == 0 {
				continue
			}
			withheld := false
			if k > 1 && t.nSupply[j] > 0 && t.nSupply[j] < k {
				ru.Withheld = append(ru.Withheld, g.ID+".supply")
				withheld = true
			} else {
				ru.Supply[g.ID] = t.supply[j]
			}
			if k > 1 && t.nDemand[j] > 0 && t.nDemand[j] < k {
				ru.Withheld = append(ru.Withheld, g.ID+".demand")
				withheld = true
			} else {
				ru.Demand[g.ID] = t.demand[j]
			}
			if c := t.collShown[j]; c > 0 {
				ru.Collective[g.ID] = c
			}
			// An endowment is the whole plan's, in no federation: a good
			// with one has no federation gap.
			if !withheld && g.Endowment == 0 {
				ru.Gaps[g.ID] = planning.Gap(t.supply[j], t.demand[j]+t.collAll[j])
			}
		}
		sort.Strings(ru.Withheld)
		t.reset()
	}
	return out
}

// rollScratch holds one federation's totals per good while RollUps adds
// them up, dense over the catalogue but reset only where touched, so that
// a roll-up costs the lines of the subtrees, not federations × goods.
type rollScratch struct {
	supply, demand, collAll, collShown []float64
	// nSupply and nDemand count the councils with a non-zero quantity on
	// each side; markSupply and markDemand hold the last council counted,
	// plus 1, so that a council counts once per good.
	nSupply, nDemand, markSupply, markDemand []int
	touched                                  []int
	isTouched                                []bool
}

func newRollScratch(n int) *rollScratch {
	return &rollScratch{supply: make([]float64, n), demand: make([]float64, n), collAll: make([]float64, n),
		collShown: make([]float64, n), nSupply: make([]int, n), nDemand: make([]int, n),
		markSupply: make([]int, n), markDemand: make([]int, n), isTouched: make([]bool, n)}
}

func (t *rollScratch) touch(j int) {
	if !t.isTouched[j] {
		t.isTouched[j] = true
		t.touched = append(t.touched, j)
	}
}

// add adds council c's lines to totals, counting c once in n for each
// good it has a non-zero quantity of.
func (t *rollScratch) add(c int, ls []planning.Line, totals []float64, n, mark []int) {
	isTouched := t.isTouched
	for _, l := range ls {
		j := l.Good
		if !isTouched[j] {
			isTouched[j] = true
			t.touched = append(t.touched, j)
		}
		totals[j] += l.Qty
		if l.Qty != 0 && mark[j] != c+1 {
			mark[j] = c + 1
			n[j]++
		}
	}
}

// reset clears what the last federation touched.
func (t *rollScratch) reset() {
	for _, j := range t.touched {
		t.supply[j], t.demand[j], t.collAll[j], t.collShown[j] = 0, 0, 0, 0
		t.nSupply[j], t.nDemand[j], t.markSupply[j], t.markDemand[j] = 0, 0, 0, 0
		t.isTouched[j] = false
	}
	t.touched = t.touched[:0]
}
