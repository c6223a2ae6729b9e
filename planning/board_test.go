package planning

import (
	"errors"
	"math"
	"testing"
)

// twoGoods is a plan with labour (numéraire) and bread: one worker council
// and two consumer councils sharing income 3:1.
func twoGoods() *Plan {
	return &Plan{
		Goods: []Good{{ID: "labor", Kind: Labor}, {ID: "bread", Kind: Produced}, {ID: "land", Kind: Resource, Endowment: 10}},
		Councils: []Council{
			{ID: "bakery", Role: Worker, Labor: -1},
			{ID: "north", Role: Consumer, Share: 0.75, Labor: 0, Hours: 30},
			{ID: "south", Role: Consumer, Share: 0.25, Labor: 0, Hours: 10},
		},
		Numeraire: 0, Tolerance: 0.01,
	}
}

func TestBoardRound(t *testing.T) {
	plan := twoGoods()
	b, err := NewBoard(plan, []float64{1, 2, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	r := b.Current()
	// Pool in round 0: labour 40×1 + land 10×0.5, no surplus yet.
	if r.Pool != 45 || r.Budgets[1] != 33.75 || r.Budgets[2] != 11.25 || r.Budgets[0] != 0 {
		t.Fatalf("pool %v budgets %v", r.Pool, r.Budgets)
	}
	b.Submit(0, &Proposal{Out: []Line{{1, 20}}, In: []Line{{0, 30}, {2, 4}}}) // SB 40, SC 32
	b.Submit(1, &Proposal{In: []Line{{1, 15}}})                               // cost 30
	b.Submit(2, &Proposal{In: []Line{{1, 5}, {2, 2}}})                        // cost 11
	if _, err := b.Close(); err != nil {
		t.Fatal(err)
	}
	want := struct{ s, d, g []float64 }{
		s: []float64{40, 20, 10},
		d: []float64{30, 20, 6},
		g: []float64{0.25, 0, 0.4},
	}
	for j := range want.s {
		if r.Supply[j] != want.s[j] || r.Demand[j] != want.d[j] || math.Abs(r.Gap[j]-want.g[j]) > 1e-15 {
			t.Errorf("good %d: supply %v demand %v gap %v, want %v %v %v", j, r.Supply[j], r.Demand[j], r.Gap[j], want.s[j], want.d[j], want.g[j])
		}
	}
	if r.MaxGap != 0.4 || r.Worst != 2 || r.Converged || r.Surplus != 8 || r.Failing != 0 {
		t.Errorf("max gap %v worst %d converged %v surplus %v failing %d", r.MaxGap, r.Worst, r.Converged, r.Surplus, r.Failing)
	}
	// Round 1: the budgets add round 0's surplus; proposals carry.
	r1, err := b.Open([]float64{1, 4, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if r1.Pool != 45+8 || r1.Proposals[1] != r.Proposals[1] || r1.Fresh[1] {
		t.Errorf("round 1 pool %v, carried %v fresh %v", r1.Pool, r1.Proposals[1] == r.Proposals[1], r1.Fresh[1])
	}
	// At bread 4 north's carried request costs 60 > its budget 39.75 and
	// south's 21 > 13.25: they fail their checks now, so the plan cannot
	// converge on them; the bakery's SB/SC rises and still passes.
	b.Close()
	if r1.Failing != 2 {
		t.Errorf("failing %d, want 2", r1.Failing)
	}
}

func TestBoardConvergesAndFreeGoods(t *testing.T) {
	plan := twoGoods()
	b, _ := NewBoard(plan, []float64{1, 2, 1e-10})
	b.Submit(0, &Proposal{Out: []Line{{1, 10}}, In: []Line{{0, 15}}})
	b.Submit(1, &Proposal{In: []Line{{1, 7.5}}})
	b.Submit(2, &Proposal{In: []Line{{1, 2.5}}})
	r, _ := b.Close()
	// Labour: supply 40, demand 15 → gap. Make labour balance instead.
	if r.Gap[2] != 0 {
		t.Errorf("land at 1e-10 in excess supply should be free, gap %v", r.Gap[2])
	}
	if r.Converged {
		t.Errorf("labour gap %v: not converged", r.Gap[0])
	}
	b2, _ := NewBoard(plan, []float64{1, 2, 1e-10})
	b2.Submit(0, &Proposal{Out: []Line{{1, 20}}, In: []Line{{0, 40}}})
	b2.Submit(1, &Proposal{In: []Line{{1, 15}}})
	b2.Submit(2, &Proposal{In: []Line{{1, 5}}})
	r2, _ := b2.Close()
	if !r2.Converged || r2.MaxGap != 0 {
		t.Errorf("balanced round: converged %v max gap %v", r2.Converged, r2.MaxGap)
	}
}

func TestBoardDiverged(t *testing.T) {
	for _, p := range [][]float64{{1, math.Inf(1), 1}, {1, 0, 1}, {1, math.NaN(), 1}, {1, -1, 1}} {
		if _, err := NewBoard(twoGoods(), p); !errors.Is(err, ErrDiverged) {
			t.Errorf("prices %v: err %v, want ErrDiverged", p, err)
		}
	}
	b, _ := NewBoard(twoGoods(), []float64{1, 1, 1})
	b.Submit(1, &Proposal{In: []Line{{1, math.Inf(1)}}})
	if _, err := b.Close(); !errors.Is(err, ErrDiverged) {
		t.Errorf("infinite demand: err %v", err)
	}
}

func TestCheck(t *testing.T) {
	plan := twoGoods()
	p := []float64{1, 2, 1}
	tests := []struct {
		name    string
		council int
		pr      Proposal
		budget  float64
		want    string // "" passes
	}{
		{"zero worker", 0, Proposal{Out: []Line{{1, 0}}, In: []Line{{0, 0}}}, 0, ""},
		{"profitable", 0, Proposal{Out: []Line{{1, 10}}, In: []Line{{0, 20}}}, 0, ""},
		{"loss", 0, Proposal{Out: []Line{{1, 10}}, In: []Line{{0, 21}}}, 0, "SB/SC is 0.952381, below 1"},
		{"inputs only", 0, Proposal{In: []Line{{0, 1}}}, 0, "SB/SC is 0, below 1"},
		{"negative", 0, Proposal{Out: []Line{{1, -1}}}, 0, "quantity is negative"},
		{"nan", 1, Proposal{In: []Line{{1, math.NaN()}}}, 10, "quantity is not a finite number"},
		{"unknown", 1, Proposal{In: []Line{{7, 1}}}, 10, "unknown good"},
		{"within budget", 1, Proposal{In: []Line{{1, 5}}}, 10, ""},
		{"within slack", 1, Proposal{In: []Line{{1, 5 * (1 + 1e-12)}}}, 10, ""},
		{"over budget", 1, Proposal{In: []Line{{1, 5.01}}}, 10, "cost 10.02 exceeds the budget 10"},
		{"consumer outputs", 1, Proposal{Out: []Line{{1, 1}}}, 10, "a consumer council proposes no outputs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Check(plan, tc.council, &tc.pr, p, tc.budget)
			switch {
			case tc.want == "" && v != nil:
				t.Errorf("want pass, got %v", v)
			case tc.want != "" && (v == nil || !contains(v.Reason, tc.want)):
				t.Errorf("got %v, want %q", v, tc.want)
			}
		})
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
