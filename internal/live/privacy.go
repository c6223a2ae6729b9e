package live

import (
	"runtime"
	"sync"

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
	// of good j) was last shown, -1 if never; refs holds the standing
	// proposals of those rounds.
	shown []int
	refs  map[int][]*planning.Proposal
	// labour[s] counts the consumer councils supplying labour good s: their
	// hours are fixed, so they contribute in every round and never change.
	labour []int
}

// newPrivacy returns the privacy of a plan of e with settings set before
// any round has closed.
func newPrivacy(e *councils.Economy, set councils.Privacy) *privacy {
	n := len(e.Plan.Goods)
	pv := &privacy{set: set, tol: e.Plan.Tolerance, shown: make([]int, 2*n), refs: map[int][]*planning.Proposal{}}
	for s := range pv.shown {
		pv.shown[s] = -1
	}
	pv.labour = make([]int, 2*n)
	for _, c := range e.Plan.Councils {
		if c.Role == planning.Consumer && c.Labor >= 0 && c.Hours != 0 {
			pv.labour[2*c.Labor]++
		}
	}
	return pv
}

// facilitatorSeesAll reports whether the facilitator sees the full rows
// and the proposals.
func (pv *privacy) facilitatorSeesAll() bool {
	return pv.set.Facilitator != councils.FacilitatorAggregates
}

// add adds pr's contributions to acc (per side) and appends the sides it
// touches to touched.
func add(pr *planning.Proposal, acc []float64, touched []int) []int {
	if pr == nil {
		return touched
	}
	for _, l := range pr.Out {
		touched = append(touched, 2*l.Good)
		acc[2*l.Good] += l.Qty
	}
	for _, l := range pr.In {
		touched = append(touched, 2*l.Good+1)
		acc[2*l.Good+1] += l.Qty
	}
	return touched
}

// viewParallelMin is the fewest councils whose round's view is counted in
// parallel.
var viewParallelMin = 4096

// public returns the public row of closed round r, whose full row is full,
// and remembers what it showed. Rounds must come in order.
func (pv *privacy) public(e *councils.Economy, r *planning.Round, full wire.RoundRow) wire.RoundRow {
	k := pv.set.K
	sides := len(pv.shown)
	type ref struct {
		at    int
		props []*planning.Proposal
	}
	var refs []ref
	for at, props := range pv.refs {
		refs = append(refs, ref{at, props})
	}
	// Count, per side, who contributes (a non-zero quantity on it) and who
	// changed it since it was last shown (one comparison per round some
	// side was last shown at, usually one), over parts of the councils in
	// parallel.
	type tally struct {
		crowd, changed []int
	}
	props := r.Proposals
	parts := 1
	if len(props) >= viewParallelMin {
		parts = runtime.GOMAXPROCS(0)
	}
	tallies := make([]tally, parts)
	var wg sync.WaitGroup
	for w := range tallies {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			t := tally{crowd: make([]int, sides), changed: make([]int, sides)}
			now, then := make([]float64, sides), make([]float64, sides)
			var touched []int
			for i := w * len(props) / parts; i < (w+1)*len(props)/parts; i++ {
				pr := props[i]
				touched = add(pr, now, touched[:0])
				for _, s := range touched {
					if now[s] != 0 {
						t.crowd[s]++
						now[s] = 0 // count a side once per council
					}
				}
				for _, rf := range refs {
					if pr == rf.props[i] {
						continue // the same proposal (carried), or none both times
					}
					touched = add(pr, now, touched[:0])
					touched = add(rf.props[i], then, touched)
					for _, s := range touched {
						if pv.shown[s] == rf.at && now[s] != then[s] {
							t.changed[s]++
						}
						// A side touched twice is counted once: the first
						// visit zeroes both, the second sees no difference.
						now[s], then[s] = 0, 0
					}
				}
			}
			tallies[w] = t
		}(w)
	}
	wg.Wait()
	crowd := append([]int(nil), pv.labour...)
	changed := make([]int, sides)
	for _, t := range tallies {
		for s := range crowd {
			crowd[s] += t.crowd[s]
			changed[s] += t.changed[s]
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
			pv.shown[2*j], pv.shown[2*j+1] = r.Number, r.Number
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
	// Keep the proposals of the rounds some side was last shown at.
	keep := map[int]bool{}
	for _, at := range pv.shown {
		if at >= 0 {
			keep[at] = true
		}
	}
	if keep[r.Number] {
		pv.refs[r.Number] = r.Proposals
	}
	for at := range pv.refs {
		if !keep[at] {
			delete(pv.refs, at)
		}
	}
	return out
}
