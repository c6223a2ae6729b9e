package live

import (
	"parecon/councils"
	"parecon/internal/wire"
	"parecon/planning"
)

// privacy turns a plan's closed rounds into what the public (observers,
// councils, federations, and a facilitator on "aggregates") may see of
// them: docs/spec/protocol.md "Privacy" and docs/privacy.md. It is the one
// place that decides; every public path shows the rows it made.
//
// A good's totals are shown only when both of its sides pass, for each
// side s:
//
//   - crowd: no council or at least k councils contribute to s (a non-zero
//     quantity of the good on that side of their standing proposal);
//   - change: since s was last shown, no council or at least k councils
//     changed what they contribute to s, so that the difference of two
//     shown totals is never the work of fewer than k councils (a council
//     submitting alone, joining late or leaving).
//
// Both sides of a good go together because the other side and the gap, or
// the other side and "within the tolerance", would give a withheld side
// back. A withheld good shows its price and whether it is within the
// tolerance.
//
// It is owned by whoever owns the plan's Process: the close worker while it
// closes a round, the plan goroutine otherwise, replay while it rebuilds.
type privacy struct {
	set councils.Privacy
	tol float64
	// shown[s] is the round whose total of side s (2j supply, 2j+1 demand
	// of good j) was last shown, -1 if never; snap[s] the non-zero
	// contributions to it then, in council order.
	shown []int
	snap  [][]entry
	// cur is the closing round's contributions, side by side (scratch).
	cur           []entry
	offsets, ends []int
	// labour[s] counts the consumer councils supplying labour good s: their
	// hours are fixed, so they contribute in every round and never change.
	labour []int
	// usersShown[j] and usersSnap[j] are the same for the users a commons
	// good j reports (the councils' uses): its crowd is the councils that
	// declare uses of it.
	usersShown []int
	usersSnap  [][]entry
	// fedShown and fedSnap are the same for the federations' roll-ups
	// (privacy_federations.go).
	fedShown []int
	fedSnap  [][]entry
	fedCur   [][]entry // scratch
}

// newPrivacy returns the privacy of a plan of e with settings set before
// any round has closed.
func newPrivacy(e *councils.Economy, set councils.Privacy) *privacy {
	n := len(e.Plan.Goods)
	pv := &privacy{set: set, tol: e.Plan.Tolerance, shown: make([]int, 2*n), snap: make([][]entry, 2*n)}
	for s := range pv.shown {
		pv.shown[s] = -1
	}
	pv.usersShown, pv.usersSnap = make([]int, n), make([][]entry, n)
	for j := range pv.usersShown {
		pv.usersShown[j] = -1
	}
	pv.labour = make([]int, 2*n)
	for _, c := range e.Plan.Councils {
		if c.Role == planning.Consumer && c.Labor >= 0 && c.Hours != 0 {
			pv.labour[2*c.Labor]++
		}
	}
	return pv
}

// grow makes room for goods that joined the catalogue (new goods): never
// shown yet, no labour.
func (pv *privacy) grow(n int) {
	for len(pv.usersShown) < n {
		pv.usersShown, pv.usersSnap = append(pv.usersShown, -1), append(pv.usersSnap, nil)
	}
	for len(pv.shown) < 2*n {
		pv.shown, pv.snap, pv.labour = append(pv.shown, -1), append(pv.snap, nil), append(pv.labour, 0)
	}
}

// facilitatorSeesAll reports whether the facilitator sees the full rows
// and the proposals.
func (pv *privacy) facilitatorSeesAll() bool {
	return pv.set.Facilitator != councils.FacilitatorAggregates
}

// entry is one council's non-zero contribution to a side.
type entry struct {
	council int
	qty     float64
}

// contributions fills pv.cur and pv.offsets with every side's non-zero
// contributions in props, side by side, each side's in council order (a
// council's lines of one side summed).
func (pv *privacy) contributions(props []*planning.Proposal) {
	sides := len(pv.shown)
	count := make([]int, sides+1)
	for _, pr := range props {
		if pr == nil {
			continue
		}
		for _, l := range pr.Out {
			count[2*l.Good+1]++
		}
		for _, l := range pr.In {
			count[2*l.Good+2]++
		}
	}
	for s := 1; s <= sides; s++ {
		count[s] += count[s-1]
	}
	if cap(pv.cur) < count[sides] {
		pv.cur = make([]entry, count[sides])
	}
	pv.offsets = append(pv.offsets[:0], count...)
	next := count // count[s] is now where side s's next entry goes
	put := func(s, c int, q float64) {
		if q == 0 {
			return
		}
		if n := next[s]; n > pv.offsets[s] && pv.cur[n-1].council == c {
			pv.cur[n-1].qty += q // a second line of the same side
			return
		}
		pv.cur[next[s]] = entry{c, q}
		next[s]++
	}
	ends := make([]int, sides)
	for i, pr := range props {
		if pr == nil {
			continue
		}
		for _, l := range pr.Out {
			put(2*l.Good, i, l.Qty)
		}
		for _, l := range pr.In {
			put(2*l.Good+1, i, l.Qty)
		}
	}
	copy(ends, next[:sides])
	pv.ends = ends
}

// side returns the closing round's contributions to side s.
func (pv *privacy) side(s int) []entry { return pv.cur[pv.offsets[s]:pv.ends[s]] }

// changes counts the councils whose contribution differs between a and
// b (both in council order).
func changes(a, b []entry) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].council < b[j].council:
			n, i = n+1, i+1
		case a[i].council > b[j].council:
			n, j = n+1, j+1
		default:
			if a[i].qty != b[j].qty {
				n++
			}
			i, j = i+1, j+1
		}
	}
	return n + len(a) - i + len(b) - j
}

// public returns the public row of closed round r, whose full row is full,
// and remembers what it showed. Rounds must come in order.
func (pv *privacy) public(e *councils.Economy, r *planning.Round, full wire.RoundRow) wire.RoundRow {
	pv.grow(len(e.Plan.Goods))
	k := pv.set.K
	sides := len(pv.shown)
	pv.contributions(r.Proposals)
	crowd := append([]int(nil), pv.labour...)
	changed := make([]int, sides)
	for s := range crowd {
		cur := pv.side(s)
		crowd[s] += len(cur)
		if pv.shown[s] >= 0 {
			changed[s] = changes(pv.snap[s], cur)
		}
	}
	passes := func(s int) bool {
		return (crowd[s] == 0 || crowd[s] >= k) && (pv.shown[s] < 0 || changed[s] == 0 || changed[s] >= k)
	}
	out := full
	out.Supply, out.Demand, out.Gaps = map[string]*float64{}, map[string]*float64{}, map[string]*float64{}
	out.Withheld, out.WithinTolerance, out.WithheldOpen, out.K = []string{}, nil, 0, k
	out.MaxGap, out.Worst = nil, ""
	for j, g := range e.Plan.Goods {
		if passes(2*j) && passes(2*j+1) {
			out.Supply[g.ID], out.Demand[g.ID], out.Gaps[g.ID] = full.Supply[g.ID], full.Demand[g.ID], full.Gaps[g.ID]
			if gap := r.Gap[j]; out.MaxGap == nil || gap > *out.MaxGap {
				out.MaxGap, out.Worst = &gap, g.ID
			}
			for _, sd := range []int{2 * j, 2*j + 1} {
				pv.shown[sd] = r.Number
				pv.snap[sd] = append(pv.snap[sd][:0], pv.side(sd)...)
			}
			continue
		}
		out.Supply[g.ID], out.Demand[g.ID], out.Gaps[g.ID] = nil, nil, nil
		out.Withheld = append(out.Withheld, g.ID+".supply", g.ID+".demand")
		if out.WithinTolerance == nil {
			out.WithinTolerance = map[string]bool{}
		}
		within := r.Gap[j] <= pv.tol
		out.WithinTolerance[g.ID] = within
		if !within {
			out.WithheldOpen++
		}
	}
	pv.users(e, r, &out)
	return out
}

// users withholds, by the same two tests, the users a commons good
// reports where fewer than k councils declare uses of it, or changed them
// since it was last shown; such a good is listed in out.Withheld as
// "GOOD.users".
func (pv *privacy) users(e *councils.Economy, r *planning.Round, out *wire.RoundRow) {
	if out.Users == nil {
		return
	}
	k, shown := pv.set.K, map[string]float64{}
	for j, g := range e.Plan.Goods {
		v, ok := out.Users[g.ID]
		if !ok {
			continue
		}
		var cur []entry
		for c, pr := range r.Proposals {
			if pr != nil {
				if q := planning.Qty(pr.Uses, j); q != 0 {
					cur = append(cur, entry{c, q})
				}
			}
		}
		crowd, changed := len(cur), 0
		if pv.usersShown[j] >= 0 {
			changed = changes(pv.usersSnap[j], cur)
		}
		if (crowd == 0 || crowd >= k) && (pv.usersShown[j] < 0 || changed == 0 || changed >= k) {
			shown[g.ID] = v
			pv.usersShown[j], pv.usersSnap[j] = r.Number, cur
			continue
		}
		out.Withheld = append(out.Withheld, g.ID+".users")
	}
	out.Users = shown
}
