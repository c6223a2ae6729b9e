package planning

import "testing"

// TestBoardGrow: a grown board's rounds get the new good's entries (its
// opening price, zero totals), as copies: a round held from before keeps
// its length; the next round opens with the new good and totals it; a
// board with a round open, fewer goods, a price missing or other councils
// is refused.
func TestBoardGrow(t *testing.T) {
	plan := twoGoods()
	b, err := NewBoard(plan, []float64{1, 2, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	grown := *plan
	grown.Goods = append(append([]Good(nil), plan.Goods...), Good{ID: "cake", Kind: Produced})
	if err := b.Grow(&grown, []float64{3}); err == nil {
		t.Fatal("grew with a round open")
	}
	old, err := b.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		plan *Plan
		open []float64
	}{
		{"no price", &grown, nil},
		{"two prices", &grown, []float64{1, 2}},
		{"fewer goods", &Plan{Goods: plan.Goods[:2], Councils: plan.Councils}, nil},
		{"other councils", &Plan{Goods: grown.Goods, Councils: plan.Councils[:2]}, []float64{3}},
	} {
		if err := b.Grow(tc.plan, tc.open); err == nil {
			t.Errorf("%s: grown", tc.name)
		}
	}
	if err := b.Grow(&grown, []float64{3}); err != nil {
		t.Fatal(err)
	}
	r0 := b.Rounds()[0]
	if r0 == old || len(old.Prices) != 3 || len(r0.Prices) != 4 || r0.Prices[3] != 3 || r0.Supply[3] != 0 || r0.Demand[3] != 0 || r0.Gap[3] != 0 {
		t.Fatalf("round 0 after growing: %+v (the old one %+v)", r0, old)
	}
	r1, err := b.Open([]float64{1, 2, 0.5, 3})
	if err != nil {
		t.Fatal(err)
	}
	b.Submit(0, &Proposal{Out: []Line{{3, 10}}, In: []Line{{0, 5}}})
	b.Submit(1, &Proposal{In: []Line{{3, 4}}})
	closed, err := b.Close()
	if err != nil || closed != r1 {
		t.Fatal(err)
	}
	if closed.Supply[3] != 10 || closed.Demand[3] != 4 {
		t.Errorf("cake's totals %v, %v, want 10 and 4", closed.Supply[3], closed.Demand[3])
	}
}
