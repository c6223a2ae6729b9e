package live

import (
	"slices"
	"testing"

	"parecon/councils"
	"parecon/planning"
)

// TestFederationChangeTest: a federation's roll-up withholds a side again
// when 1 to k−1 of its councils changed what they contribute to it since
// it was last shown (the difference of its two roll-ups would be one
// council's change), shows it when none or at least k did, and leaves
// every other side shown.
func TestFederationChangeTest(t *testing.T) {
	sc, err := councils.Generate(councils.GenOptions{Goods: 6, Councils: 40, Seed: 3, Federations: 3})
	if err != nil {
		t.Fatal(err)
	}
	e, err := councils.NewEconomy(sc)
	if err != nil {
		t.Fatal(err)
	}
	lv, err := councils.NewProcess(e, councils.ProcessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := lv.Close()
	if err != nil {
		t.Fatal(err)
	}
	r0 := res.Closed
	pv := newPrivacy(e, councils.Privacy{K: 3})
	close := func(r *planning.Round) [][]string {
		pv.public(e, r, result(e, r))
		return pv.fedChanges(e, r)
	}
	if held := close(r0); held != nil {
		t.Fatalf("round 0 (nothing shown before) withheld %v by the change test", held)
	}

	// The consumer councils of the first ward that is not folded, and a
	// good they all demand.
	rus := e.RollUps(r0, 3)
	f := -1
	for i, ru := range rus {
		if e.Federations[i].Parent >= 0 && !ru.Folded {
			f = i
			break
		}
	}
	if f < 0 {
		t.Fatal("no ward is shown")
	}
	var consumers []int
	for _, c := range e.Federations[f].Councils {
		if e.Plan.Councils[c].Role == planning.Consumer {
			consumers = append(consumers, c)
		}
	}
	pr := r0.Proposals[consumers[0]]
	good := pr.In[0].Good
	name := e.Plan.Goods[good].ID + ".demand"
	if len(consumers) < 3 || slices.Contains(rus[f].Withheld, name) {
		t.Fatalf("ward %s: consumers %v, withheld %v", e.Federations[f].ID, consumers, rus[f].Withheld)
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
	// Every federation that holds the council withholds the side; no
	// other side of any federation is withheld.
	r1 := changed(r0, 1, consumers[0])
	held := close(r1)
	for i, fed := range e.Federations {
		want := !rus[i].Folded && slices.Contains(fed.Councils, consumers[0])
		var got []string
		if held != nil {
			got = held[i]
		}
		if want && !slices.Equal(got, []string{name}) || !want && len(got) > 0 {
			t.Errorf("one council changed its %s: %s withholds %v", name, fed.ID, got)
		}
	}
	// Unchanged since: the side is compared with the round it was last
	// shown (round 0), where the council's old demand stood: still held.
	r2 := changed(r1, 2)
	if held := close(r2); held == nil || !slices.Equal(held[f], []string{name}) {
		t.Errorf("the same change, a round later: %v", held)
	}
	// Three councils changed it (k): shown again.
	r3 := changed(r1, 3, consumers[1], consumers[2])
	if held := close(r3); held != nil && len(held[f]) > 0 {
		t.Errorf("three councils changed %s: %s withholds %v", name, e.Federations[f].ID, held[f])
	}
	// The roll-up as read drops the side and its gap.
	ru := e.RollUps(r1, 3)[f]
	withholdChanged(&ru, []string{name})
	g := e.Plan.Goods[good].ID
	if _, ok := ru.Demand[g]; ok || !slices.Contains(ru.Withheld, name) {
		t.Errorf("withholdChanged: demand %v, withheld %v", ru.Demand, ru.Withheld)
	}
	if _, ok := ru.Gaps[g]; ok {
		t.Errorf("withholdChanged left %s's gap", g)
	}
}
