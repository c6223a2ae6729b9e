package councils

import (
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
	n := len(e.Plan.Goods)
	out := make([]RollUp, len(e.Federations))
	own := make([][]float64, len(e.Federations)) // each federation's collective requests
	for i, f := range e.Federations {
		own[i] = make([]float64, n)
		if f.Proposer >= 0 {
			out[i].Budget = r.Budgets[f.Proposer]
			if pr := r.Proposals[f.Proposer]; pr != nil {
				for _, l := range pr.In {
					own[i][l.Good] += l.Qty
				}
			}
		}
	}
	// folded[i] and the federation a folded one counts in (its first
	// ancestor not folded, −1 if none).
	folded := make([]bool, len(e.Federations))
	for i, f := range e.Federations {
		folded[i] = k > 1 && len(f.Councils) < k
	}
	shown := func(i int) int {
		for i >= 0 && folded[i] {
			i = e.Federations[i].Parent
		}
		return i
	}
	// Every collective request of each subtree, and the collective
	// requests shown for each federation.
	allCollective := make([][]float64, len(e.Federations))
	shownCollective := make([][]float64, len(e.Federations))
	for i := range e.Federations {
		allCollective[i] = make([]float64, n)
		shownCollective[i] = make([]float64, n)
	}
	for i := range e.Federations {
		for a := i; a >= 0; a = e.Federations[a].Parent {
			addTo(allCollective[a], own[i])
		}
		if s := shown(i); s >= 0 {
			addTo(shownCollective[s], own[i])
		}
	}
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
		supply, demand := make([]float64, n), make([]float64, n)
		nSupply, nDemand := make([]int, n), make([]int, n)
		markSupply, markDemand := make([]int, n), make([]int, n)
		for _, c := range f.Councils {
			pc := &e.Plan.Councils[c]
			if pc.Role == planning.Consumer && pc.Labor >= 0 && pc.Hours > 0 {
				supply[pc.Labor] += pc.Hours
				nSupply[pc.Labor]++
				markSupply[pc.Labor] = c + 1
			}
			pr := r.Proposals[c]
			if pr == nil {
				continue
			}
			count(c, pr.Out, supply, nSupply, markSupply)
			count(c, pr.In, demand, nDemand, markDemand)
		}
		ru.Supply, ru.Demand = map[string]float64{}, map[string]float64{}
		ru.Collective, ru.Gaps = map[string]float64{}, map[string]float64{}
		for j, g := range e.Plan.Goods {
			if nSupply[j] == 0 && nDemand[j] == 0 && allCollective[i][j] == 0 {
				continue
			}
			withheld := false
			if k > 1 && nSupply[j] > 0 && nSupply[j] < k {
				ru.Withheld = append(ru.Withheld, g.ID+".supply")
				withheld = true
			} else {
				ru.Supply[g.ID] = supply[j]
			}
			if k > 1 && nDemand[j] > 0 && nDemand[j] < k {
				ru.Withheld = append(ru.Withheld, g.ID+".demand")
				withheld = true
			} else {
				ru.Demand[g.ID] = demand[j]
			}
			if c := shownCollective[i][j]; c > 0 {
				ru.Collective[g.ID] = c
			}
			// An endowment is the whole plan's, in no federation: a good
			// with one has no federation gap.
			if !withheld && g.Endowment == 0 {
				ru.Gaps[g.ID] = planning.Gap(supply[j], demand[j]+allCollective[i][j])
			}
		}
		sort.Strings(ru.Withheld)
	}
	return out
}

// count adds council c's lines to totals and counts it once in n for
// each good it has a non-zero quantity of (mark holds, per good, the last
// council counted, plus 1).
func count(c int, ls []planning.Line, totals []float64, n, mark []int) {
	for _, l := range ls {
		totals[l.Good] += l.Qty
		if l.Qty != 0 && mark[l.Good] != c+1 {
			mark[l.Good] = c + 1
			n[l.Good]++
		}
	}
}

func addTo(dst, x []float64) {
	for j, v := range x {
		dst[j] += v
	}
}
