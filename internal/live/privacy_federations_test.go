package live

import (
	"slices"
	"testing"

	"parecon/councils"
	"parecon/internal/wire"
	"parecon/planning"
)

// fedEconomy is a small generated economy with a city, wards and
// neighbourhoods, and its round 0 closed. With outside > 0, that many
// councils of the first neighbourhood are in no federation.
func fedEconomy(t *testing.T, seed uint64, outside int) (*councils.Economy, *planning.Round) {
	t.Helper()
	return fedRound(t, councils.GenOptions{Goods: 6, Councils: 40, Seed: seed, Federations: 3}, outside)
}

// fedRound is the economy o generates, with outside councils moved out of
// the federations as for fedEconomy, and its round 0 closed.
func fedRound(tb testing.TB, o councils.GenOptions, outside int) (*councils.Economy, *planning.Round) {
	tb.Helper()
	sc, err := councils.Generate(o)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range sc.Federations {
		if f := &sc.Federations[i]; outside > 0 && len(f.Members) > outside {
			f.Members = f.Members[outside:]
			break
		}
	}
	e, err := councils.NewEconomy(sc)
	if err != nil {
		tb.Fatal(err)
	}
	lv, err := councils.NewProcess(e, councils.ProcessOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	res, err := lv.Close()
	if err != nil {
		tb.Fatal(err)
	}
	return e, res.Closed
}

// contributors returns the councils of members with a non-zero quantity
// on side (0 supply, 1 demand) of good j in r, a consumer council's hours
// counting on its labour's supply: computed from the round, not from
// privacy's bookkeeping.
func contributors(e *councils.Economy, r *planning.Round, members []int, j, side int) map[int]bool {
	out := map[int]bool{}
	for _, c := range members {
		pc := &e.Plan.Councils[c]
		if side == 0 && pc.Role == planning.Consumer && pc.Labor == j && pc.Hours != 0 {
			out[c] = true
		}
		if pr := r.Proposals[c]; pr != nil {
			for _, l := range [2][]planning.Line{pr.Out, pr.In}[side] {
				if l.Good == j && l.Qty != 0 {
					out[c] = true
				}
			}
		}
	}
	return out
}

// shownSides returns, per federation, the sides its roll-up shows for
// round r: RollUps' with fedChanges' held sides removed.
func shownSides(e *councils.Economy, r *planning.Round, k int, held [][]string) []map[string]bool {
	rus := e.RollUps(r, k)
	out := make([]map[string]bool, len(rus))
	for f := range rus {
		out[f] = map[string]bool{}
		if held != nil {
			withholdChanged(&rus[f], held[f])
		}
		if rus[f].Folded {
			continue
		}
		for g := range rus[f].Supply {
			out[f][g+".supply"] = true
		}
		for g := range rus[f].Demand {
			out[f][g+".demand"] = true
		}
	}
	return out
}

// below returns the federations among fs that show side name and, for
// each that does not, those below it that do, nearest first: what can be
// subtracted from an ancestor's total. (A folded federation shows
// nothing, and neither does anything below it.)
func below(e *councils.Economy, shown []map[string]bool, name string, fs []int) []int {
	var out []int
	for _, f := range fs {
		if shown[f][name] {
			out = append(out, f)
		} else {
			out = append(out, below(e, shown, name, e.Federations[f].Children)...)
		}
	}
	return out
}

// checkResiduals fails if some federation shows a side that, less the
// same side of the federations below it that show it, is the work of 1 to
// k−1 councils.
func checkResiduals(t *testing.T, e *councils.Economy, r *planning.Round, k int, held [][]string) (checked int) {
	t.Helper()
	shown := shownSides(e, r, k, held)
	for f, fed := range e.Federations {
		for j, g := range e.Plan.Goods {
			for side, name := range []string{g.ID + ".supply", g.ID + ".demand"} {
				if !shown[f][name] {
					continue
				}
				rest := contributors(e, r, fed.Councils, j, side)
				subs := below(e, shown, name, fed.Children)
				if len(subs) == 0 {
					continue
				}
				for _, ch := range subs {
					for c := range contributors(e, r, e.Federations[ch].Councils, j, side) {
						delete(rest, c)
					}
				}
				checked++
				if n := len(rest); n > 0 && n < k {
					t.Errorf("k %d round %d: %s shows %s, and less its sub-federations' it is %d councils' (%v)", k, r.Number, fed.ID, name, n, rest)
				}
			}
		}
	}
	return checked
}

// checkOutside fails if a side the plan's public row shows is shown by the
// root federations while the councils outside them that contribute to it
// are 1 to k−1.
func checkOutside(t *testing.T, e *councils.Economy, r *planning.Round, k int, held [][]string, pub wire.RoundRow) {
	t.Helper()
	shown := shownSides(e, r, k, held)
	var all []int // the councils, not the federations' collective requests (public)
	for i := range e.Plan.Councils {
		if _, fed := e.FederationOf(i); !fed {
			all = append(all, i)
		}
	}
	for j, g := range e.Plan.Goods {
		if pub.Supply[g.ID] == nil {
			continue // withheld in the plan's row
		}
		for side, name := range []string{g.ID + ".supply", g.ID + ".demand"} {
			rest := contributors(e, r, all, j, side)
			var tops []int
			for f, fed := range e.Federations {
				if fed.Parent < 0 {
					tops = append(tops, f)
				}
			}
			roots := below(e, shown, name, tops)
			for _, f := range roots {
				for c := range contributors(e, r, e.Federations[f].Councils, j, side) {
					delete(rest, c)
				}
			}
			if n := len(rest); len(roots) > 0 && n > 0 && n < k {
				t.Errorf("k %d: the plan and its root federations show %s, and the plan's total less theirs is %d councils' (%v)", k, name, n, rest)
			}
		}
	}
}

// TestFederationResidualTest: for every k, no federation shows a side
// that its shown sub-federations' same side subtracts down to 1 to k−1
// councils, nor do the root federations where the plan's own total less
// theirs would be (with 0, 1 or 2 councils in no federation), and at some
// k the test has to withhold one.
func TestFederationResidualTest(t *testing.T) {
	withheld, checked := 0, 0
	for _, seed := range []uint64{1, 2, 3} {
		for _, outside := range []int{0, 1, 2} {
			e, r0 := fedEconomy(t, seed, outside)
			for k := 2; k <= 12; k++ {
				pv := newPrivacy(e, councils.Privacy{K: k})
				pub := pv.public(e, r0, result(e, r0))
				held := pv.fedChanges(e, r0)
				checked += checkResiduals(t, e, r0, k, held)
				checkOutside(t, e, r0, k, held, pub)
				for _, h := range held {
					withheld += len(h)
				}
			}
		}
	}
	if withheld == 0 || checked == 0 {
		t.Fatalf("the residual test withheld %d sides and %d were checked: the economies do not exercise it", withheld, checked)
	}
}

// TestFederationChangeTest: a federation's roll-up withholds a side again
// when 1 to k−1 of its councils changed what they contribute to it since
// it was last shown (the difference of its two roll-ups would be one
// council's change), and shows it when none or at least k did; and the
// residual tests hold round after round.
func TestFederationChangeTest(t *testing.T) {
	const k = 3
	e, r0 := fedEconomy(t, 3, 0)
	pv := newPrivacy(e, councils.Privacy{K: k})
	close := func(r *planning.Round) (held [][]string, shown []map[string]bool) {
		pv.public(e, r, result(e, r))
		held = pv.fedChanges(e, r)
		checkResiduals(t, e, r, k, held)
		if held == nil {
			held = make([][]string, len(e.Federations))
		}
		return held, shownSides(e, r, k, held)
	}
	held0, shown0 := close(r0)

	// A neighbourhood that shows the demand for a good three of its
	// consumer councils ask for.
	f, good, name := -1, -1, ""
	var consumers []int
	for i, fed := range e.Federations {
		if len(fed.Children) > 0 || f >= 0 {
			continue
		}
		for j, g := range e.Plan.Goods {
			var cs []int
			for c := range contributors(e, r0, fed.Councils, j, 1) {
				if e.Plan.Councils[c].Role == planning.Consumer {
					cs = append(cs, c)
				}
			}
			if n := g.ID + ".demand"; len(cs) >= 3 && shown0[i][n] && f < 0 {
				slices.Sort(cs)
				f, good, name, consumers = i, j, n, cs
			}
		}
	}
	if f < 0 {
		t.Fatal("no neighbourhood shows the demand of three consumer councils")
	}
	// changed returns a copy of r with the councils' demand for good 10%
	// higher, numbered n.
	changed := func(r *planning.Round, n int, cs ...int) *planning.Round {
		c := *r
		c.Number = n
		c.Proposals = slices.Clone(r.Proposals)
		for _, i := range cs {
			p := *c.Proposals[i]
			p.In = slices.Clone(p.In)
			for l := range p.In {
				if p.In[l].Good == good {
					p.In[l].Qty *= 1.1
				}
			}
			c.Proposals[i] = &p
		}
		return &c
	}
	holds := func(i int) bool { return slices.Contains(e.Federations[i].Councils, consumers[0]) }
	// One council changed: every federation that holds it and showed the
	// side withholds it.
	r1 := changed(r0, 1, consumers[0])
	held1, shown1 := close(r1)
	_ = held0
	for i, fed := range e.Federations {
		if holds(i) && shown0[i][name] && shown1[i][name] {
			t.Errorf("one council changed its %s: %s still shows it", name, fed.ID)
		}
	}
	if !slices.Contains(held1[f], name) {
		t.Errorf("the neighbourhood %s withholds %v, want %s among them", e.Federations[f].ID, held1[f], name)
	}
	// Unchanged since: the side is compared with the round it was last
	// shown (round 0), where the council's old demand stood: still held.
	r2 := changed(r1, 2)
	if held2, _ := close(r2); !slices.Contains(held2[f], name) {
		t.Errorf("the same change, a round later: %s withholds %v", e.Federations[f].ID, held2[f])
	}
	// Three councils changed it (k): shown again.
	r3 := changed(r1, 3, consumers[1], consumers[2])
	if _, shown3 := close(r3); !shown3[f][name] {
		t.Errorf("three councils changed %s: %s withholds it", name, e.Federations[f].ID)
	}
	// The roll-up as read drops the side and its gap.
	ru := e.RollUps(r1, k)[f]
	withholdChanged(&ru, []string{name})
	g := e.Plan.Goods[good].ID
	if _, ok := ru.Demand[g]; ok || !slices.Contains(ru.Withheld, name) {
		t.Errorf("withholdChanged: demand %v, withheld %v", ru.Demand, ru.Withheld)
	}
	if _, ok := ru.Gaps[g]; ok {
		t.Errorf("withholdChanged left %s's gap", g)
	}
}

// BenchmarkFedChanges: the change and residual tests of a close of 200
// goods, 20,000 councils and a city of 20 wards (the size
// councils.BenchmarkRollUps measures RollUps at), against public alone,
// which every close runs.
func BenchmarkFedChanges(b *testing.B) {
	e, r := fedRound(b, councils.GenOptions{Goods: 200, Councils: 20000, Seed: 1, Federations: 20}, 0)
	row := result(e, r)
	pv := newPrivacy(e, councils.Privacy{K: 3})
	b.Run("public", func(b *testing.B) {
		for b.Loop() {
			pv.public(e, r, row)
		}
	})
	b.Run("public+fedChanges", func(b *testing.B) {
		for b.Loop() {
			pv.public(e, r, row)
			pv.fedChanges(e, r)
		}
	})
}
