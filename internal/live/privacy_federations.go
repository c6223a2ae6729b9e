package live

import (
	"sort"

	"parecon/councils"
	"parecon/planning"
)

// The change test for federation roll-ups. councils.RollUps applies the
// crowd test (a side of a good to which 1 to k−1 of a federation's
// councils contribute is withheld); fedChanges adds, as privacy.public does
// for the plan's totals, that a side shown before is withheld again
// unless 0 or at least k of the federation's councils changed what they
// contribute to it since it was last shown: otherwise the difference of
// two of its roll-ups would be one council's change.
//
// fedShown and fedSnap hold, per federation and side (f·sides + s, s as
// in privacy), the round its side was last shown (−1: never) and the
// non-zero contributions to it then, in council order.

// fedChanges returns, for closed round r, the sides each federation's
// roll-up withholds by the change test ("bread.supply"), nil where it
// withholds none, and remembers what the roll-ups show. Rounds must come
// in order, after public for the same round (it reads pv.cur); k ≤ 1 or a
// plan without federations returns nil.
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
	in := make([]bool, len(e.Plan.Councils))
	var out [][]string
	var cur []entry
	for f, fed := range e.Federations {
		ru := rus[f]
		if ru.Folded {
			continue
		}
		for _, c := range fed.Councils {
			in[c] = true
		}
		held := map[string]bool{}
		for _, w := range ru.Withheld {
			held[w] = true
		}
		var extra []string
		for j, g := range e.Plan.Goods {
			for side, name := range []string{g.ID + ".supply", g.ID + ".demand"} {
				s := 2*j + side
				if held[name] {
					continue // withheld by the crowd test: nothing shown
				}
				cur = cur[:0]
				for _, en := range pv.side(s) {
					if in[en.council] {
						cur = append(cur, en)
					}
				}
				at := f*sides + s
				if len(cur) == 0 && pv.fedShown[at] < 0 {
					continue
				}
				if pv.fedShown[at] >= 0 {
					if n := changes(pv.fedSnap[at], cur); n > 0 && n < k {
						extra = append(extra, name)
						continue
					}
				}
				pv.fedShown[at] = r.Number
				pv.fedSnap[at] = append(pv.fedSnap[at][:0], cur...)
			}
		}
		for _, c := range fed.Councils {
			in[c] = false
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
