package councils

import (
	"testing"

	"parecon/planning"
)

// TestSignedGap checks the sign SignedGap gives the board's gaps: excess
// demand positive, excess supply negative, balance and free goods zero.
func TestSignedGap(t *testing.T) {
	plan := &planning.Plan{Goods: []planning.Good{{ID: "n", Kind: planning.Labor}, {ID: "a"}, {ID: "b"}, {ID: "free"}, {ID: "none"}},
		Councils: []planning.Council{{ID: "c", Role: planning.Consumer}}, Tolerance: 0.01}
	board, err := planning.NewBoard(plan, []float64{1, 1, 1, 1e-12, 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := board.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Totals set by hand: balanced, short, in excess, free, nothing.
	r.Supply = []float64{2, 1, 4, 5, 0}
	r.Demand = []float64{2, 3, 1, 1, 0}
	r.Gap = []float64{0, planning.Gap(1, 3), planning.Gap(4, 1), 0, 0}
	for j, want := range []float64{0, 2.0 / 3, -3.0 / 4, 0, 0} {
		if got := SignedGap(r, j); got != want {
			t.Errorf("good %s: %v, want %v", plan.Goods[j].ID, got, want)
		}
	}
}
