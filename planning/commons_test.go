package planning

import (
	"math"
	"testing"
)

func TestLevy(t *testing.T) {
	// Goods: 0 labour, 1 a rival good, 2 and 3 commons goods.
	plan := &Plan{Goods: []Good{{ID: "labor", Kind: Labor}, {ID: "bread"}, {ID: "a", Commons: true}, {ID: "b", Commons: true}},
		CommonsShare: 0.02}
	consumers := func(shares ...float64) {
		plan.Councils = []Council{{ID: "w", Role: Worker}}
		for _, s := range shares {
			plan.Councils = append(plan.Councils, Council{Role: Consumer, Share: s})
		}
	}
	v := func(share float64, w ...float64) *Vote {
		vt := &Vote{Share: share}
		if w != nil {
			vt.Weights = []Line{{2, w[0]}, {3, w[1]}}
		}
		return vt
	}
	tests := []struct {
		name      string
		shares    []float64
		votes     []*Vote // worker first
		levy      float64
		splitA    float64
		splitFrom string
	}{
		{"no voter: the facilitation's share, equal split", []float64{0.5, 0.5}, []*Vote{nil, nil, nil}, 0.02, 0.5, ""},
		{"one voter", []float64{0.5, 0.5}, []*Vote{nil, v(0.1, 1, 0), nil}, 0.1, 1, ""},
		{"median, not mean", []float64{0.2, 0.5, 0.3}, []*Vote{nil, v(0.9, 1, 0), v(0.1, 0, 1), v(0.05, 0, 1)}, 0.1, 0.2, ""},
		{"income-weighted: a big council decides", []float64{0.6, 0.2, 0.2}, []*Vote{nil, v(0.3, 1, 0), v(0.1, 1, 0), v(0.0, 1, 0)}, 0.3, 1, ""},
		{"exactly half: the lower", []float64{0.5, 0.5}, []*Vote{nil, v(0.2, 1, 0), v(0.1, 0, 1)}, 0.1, 0.5, ""},
		{"renormalised over voters", []float64{0.1, 0.3, 0.6}, []*Vote{nil, v(0.5, 1, 0), v(0.2, 0, 1), nil}, 0.2, 0.25, ""},
		{"weights omitted: equal", []float64{0.5, 0.5}, []*Vote{nil, v(0.1), v(0.3, 1, 0)}, 0.1, 0.75, ""},
		{"a worker's vote is ignored", []float64{1}, []*Vote{v(0.9, 1, 0), v(0.1, 0, 1)}, 0.1, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			consumers(tc.shares...)
			levy, split := plan.Levy(tc.votes)
			if levy != tc.levy {
				t.Errorf("levy %v, want %v", levy, tc.levy)
			}
			if math.Abs(split[2]-tc.splitA) > 1e-15 || math.Abs(split[2]+split[3]-1) > 1e-15 {
				t.Errorf("split %v, want %v on a and the rest on b", split, tc.splitA)
			}
			if split[0] != 0 || split[1] != 0 {
				t.Errorf("split %v gives to rival goods", split)
			}
		})
	}
}

// TestBoardCommons checks a board's rounds with commons goods: the fund is
// the commons' only demand, budgets and fund add up to the pool, K is the
// stock plus the previous round's output, and the votes of the standing
// proposals (carried ones too) decide the next levy.
func TestBoardCommons(t *testing.T) {
	plan := &Plan{
		Goods: []Good{{ID: "labor", Kind: Labor}, {ID: "wiki", Commons: true, Stock: 7}},
		Councils: []Council{{ID: "w", Role: Worker}, {ID: "c", Role: Consumer, Share: 1, Labor: 0, Hours: 100,
			Vote: &Vote{Share: 0.1}}},
		Tolerance: 0.01,
	}
	b, err := NewBoard(plan, []float64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	r := b.Current()
	if r.Levy != 0.1 || r.Fund != 10 || r.Budgets[1] != 90 || r.K[1] != 7 || r.Split[1] != 1 {
		t.Fatalf("round 0: levy %v fund %v budget %v K %v split %v", r.Levy, r.Fund, r.Budgets[1], r.K, r.Split)
	}
	b.Submit(0, &Proposal{Out: []Line{{1, 4}}, In: []Line{{0, 8}}})
	b.Submit(1, &Proposal{In: []Line{}, Vote: &Vote{Share: 0.3}})
	c, err := b.Close()
	if err != nil {
		t.Fatal(err)
	}
	if c.Demand[1] != 5 || c.Supply[1] != 4 { // 10/2
		t.Errorf("wiki demand %v supply %v, want 5 and 4", c.Demand[1], c.Supply[1])
	}
	r1, err := b.Open([]float64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if r1.K[1] != 11 || r1.Levy != 0.3 {
		t.Errorf("round 1: K %v levy %v, want 11 and 0.3", r1.K[1], r1.Levy)
	}
	// Nobody resubmits: the carried proposals carry their votes and output.
	if _, err := b.Close(); err != nil {
		t.Fatal(err)
	}
	r2, _ := b.Open([]float64{1, 2})
	if r2.K[1] != 11 || r2.Levy != 0.3 {
		t.Errorf("round 2: K %v levy %v, want 11 and 0.3", r2.K[1], r2.Levy)
	}
}
