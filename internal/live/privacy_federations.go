package live

import (
	"sort"

	"parecon/councils"
	"parecon/planning"
)

// The change and residual tests for federation roll-ups. councils.RollUps
// applies the crowd test (a side of a good to which 1 to k−1 of a
// federation's councils contribute is withheld); fedChanges adds, as
// privacy.public does for the plan's totals, that a side shown before is
// withheld again unless 0 or at least k of the federation's councils
// changed what they contribute to it since it was last shown (otherwise
// the difference of two of its roll-ups would be one council's change),
// and that a federation's side is withheld when subtracting its
// sub-federations' would leave 1 to k−1 councils.
//
// fedShown and fedSnap hold, per federation and side (f·sides + s, s as
// in privacy), the round its side was last shown (−1: never) and the
// non-zero contributions to it then, in council order.

// fedChanges returns, for closed round r, the sides each federation's
// roll-up withholds beyond councils.RollUps' crowd test ("bread.supply"),
// nil where it withholds none, and remembers what the roll-ups show. Two
// tests, each of what the other cannot see:
//
//   - the change test: a side shown before is withheld when 1 to k−1 of
//     the federation's councils changed what they contribute to it since
//     it was last shown;
//   - the residual test: a side is withheld when its federation's total
//     minus those of the federations below it that show it (the nearest
//     on each path down) would be the work of 1 to k−1 councils (a ward
//     whose only small neighbourhood is folded into it, beside a large
//     one, would show the small one's total by subtraction).
//     Sub-federations are decided first; the plan's own totals, where
//     shown, count as the parent of the root federations.
//
// Rounds must come in order, after public for the same round (it reads
// pv.cur); k ≤ 1 or a plan without federations returns nil.
func (pv *privacy) fedChanges(e *councils.Economy, r *planning.Round) [][]string {
	k := pv.set.K
	if k <= 1 || len(e.Federations) == 0 {
		return nil
	}
	sides := len(pv.shown)
	nf := len(e.Federations)
	if len(pv.fedShown) < nf*sides {
		// New goods grow the sides: start again from never shown.
		pv.fedShown, pv.fedSnap = make([]int, nf*sides), make([][]entry, nf*sides)
		for i := range pv.fedShown {
			pv.fedShown[i] = -1
		}
	}
	rus := e.RollUps(r, k)
	// cur[f·sides+s]: the contributions of f's councils to side s, in
	// council order; show[f·sides+s]: f shows side s (so far). One pass
	// over the contributions hands each to the federations holding its
	// council (chain).
	chain := make([][]int, len(e.Plan.Councils))
	for f, fed := range e.Federations {
		if !rus[f].Folded {
			for _, c := range fed.Councils {
				chain[c] = append(chain[c], f)
			}
		}
	}
	if len(pv.fedCur) < nf*sides {
		pv.fedCur = make([][]entry, nf*sides)
	}
	cur := pv.fedCur[:nf*sides]
	for i := range cur {
		cur[i] = cur[i][:0]
	}
	hours := make([][]entry, sides) // consumer councils' hours, on their labour's supply
	for c := range e.Plan.Councils {
		if pc := &e.Plan.Councils[c]; pc.Role == planning.Consumer && pc.Labor >= 0 && pc.Hours != 0 {
			hours[2*pc.Labor] = append(hours[2*pc.Labor], entry{c, pc.Hours})
		}
	}
	for s := 0; s < sides; s++ {
		a, b := pv.side(s), hours[s]
		for len(a) > 0 || len(b) > 0 {
			var en entry
			if len(b) == 0 || len(a) > 0 && a[0].council < b[0].council {
				en, a = a[0], a[1:]
			} else {
				en, b = b[0], b[1:]
			}
			for _, f := range chain[en.council] {
				cur[f*sides+s] = append(cur[f*sides+s], en)
			}
		}
	}
	sideOf := make(map[string]int, sides)
	for j, g := range e.Plan.Goods {
		sideOf[g.ID+".supply"], sideOf[g.ID+".demand"] = 2*j, 2*j+1
	}
	show := make([]bool, nf*sides)
	same := make([]bool, nf*sides) // cur is what was last shown
	for f := range e.Federations {
		if rus[f].Folded {
			continue
		}
		for s := 0; s < sides; s++ {
			show[f*sides+s] = true
		}
		for _, w := range rus[f].Withheld {
			show[f*sides+sideOf[w]] = false // withheld by the crowd test
		}
		for s := 0; s < sides; s++ {
			if at := f*sides + s; show[at] && pv.fedShown[at] >= 0 {
				n := changes(pv.fedSnap[at], cur[at])
				show[at], same[at] = n == 0 || n >= k, n == 0
			}
		}
	}
	// The residual test, deepest federations first.
	order := make([]int, nf)
	depth := make([]int, nf)
	for f := range e.Federations {
		order[f] = f
		for a := e.Federations[f].Parent; a >= 0; a = e.Federations[a].Parent {
			depth[f]++
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return depth[order[a]] > depth[order[b]] })
	covered := make([]bool, len(e.Plan.Councils))
	for _, f := range order {
		if rus[f].Folded {
			continue
		}
		for s := 0; s < sides; s++ {
			at := f*sides + s
			if !show[at] {
				continue
			}
			// The frontier below f that shows s: its children that do,
			// and below those that do not (but are not folded), theirs.
			subs := frontier(e, rus, show, sides, s, e.Federations[f].Children, nil)
			if len(subs) == 0 {
				continue // nothing to subtract: the crowd test holds
			}
			for _, ch := range subs {
				for _, en := range cur[ch*sides+s] {
					covered[en.council] = true
				}
			}
			rest := 0
			for _, en := range cur[at] {
				if !covered[en.council] {
					rest++
				}
			}
			for _, ch := range subs {
				for _, en := range cur[ch*sides+s] {
					covered[en.council] = false
				}
			}
			if rest > 0 && rest < k {
				show[at] = false
			}
		}
	}
	// The plan's own totals are the parent of the root federations: where
	// it shows a side, the councils outside the frontier of federations
	// that show it must be none or at least k, or that frontier withholds
	// it.
	for s := 0; s < sides; s++ {
		if pv.shown[s] != r.Number {
			continue
		}
		var tops []int
		for f, fed := range e.Federations {
			if fed.Parent < 0 {
				tops = append(tops, f)
			}
		}
		// Collective requests are public and count as no council.
		all := pv.labour[s]
		for _, en := range pv.side(s) {
			if _, fed := e.FederationOf(en.council); !fed {
				all++
			}
		}
		// Withholding the frontier moves it down a level, against which
		// the same councils (and more) are left: until they are none or k.
		for {
			roots := frontier(e, rus, show, sides, s, tops, nil)
			rest := all
			for _, f := range roots {
				rest -= len(cur[f*sides+s]) // disjoint subtrees
			}
			if len(roots) == 0 || rest == 0 || rest >= k {
				break
			}
			for _, f := range roots {
				show[f*sides+s] = false
			}
		}
	}
	var out [][]string
	crowd := make([]bool, sides)
	for f := range e.Federations {
		if rus[f].Folded {
			continue
		}
		clear(crowd)
		for _, w := range rus[f].Withheld {
			crowd[sideOf[w]] = true
		}
		var extra []string
		for s := 0; s < sides; s++ {
			at := f*sides + s
			switch {
			case show[at]:
				if same[at] {
					pv.fedShown[at] = r.Number
				} else if len(cur[at]) > 0 || pv.fedShown[at] >= 0 {
					pv.fedShown[at] = r.Number
					pv.fedSnap[at] = append(pv.fedSnap[at][:0], cur[at]...)
				}
			case !crowd[s]:
				extra = append(extra, e.Plan.Goods[s/2].ID+[2]string{".supply", ".demand"}[s%2])
			}
		}
		if extra != nil {
			if out == nil {
				out = make([][]string, nf)
			}
			sort.Strings(extra)
			out[f] = extra
		}
	}
	return out
}

// withholdChanged removes from ru the sides the change test withheld
// (held, from fedChanges) and their goods' gaps.
func withholdChanged(ru *councils.RollUp, held []string) {
	if len(held) == 0 {
		return
	}
	for _, w := range held {
		// ".supply" and ".demand" are as long.
		good, side := w[:len(w)-len(".supply")], w[len(w)-len("supply"):]
		if side == "supply" {
			delete(ru.Supply, good)
		} else {
			delete(ru.Demand, good)
		}
		delete(ru.Gaps, good)
	}
	ru.Withheld = append(append([]string(nil), ru.Withheld...), held...)
	sort.Strings(ru.Withheld)
}

// frontier appends to out the federations among fs that show side s,
// and, in place of each that does not but is not folded, its own
// frontier: disjoint subtrees whose totals can be subtracted from their
// ancestor's.
func frontier(e *councils.Economy, rus []councils.RollUp, show []bool, sides, s int, fs []int, out []int) []int {
	for _, f := range fs {
		switch {
		case rus[f].Folded:
		case show[f*sides+s]:
			out = append(out, f)
		default:
			out = frontier(e, rus, show, sides, s, e.Federations[f].Children, out)
		}
	}
	return out
}
