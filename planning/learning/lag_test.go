package learning

import (
	"math"
	"testing"
)

// TestLagFullAnswerFirst checks add's reading of a council whose first
// informative round was its exact answer (a worker whose partial step would
// have fallen below SB/SC = 1 answers in full) and whose later rounds are
// partial steps of λ = 0.32: once a round shows a partial step, that answer
// counts no more, and λ̂ is what the partial steps alone give; a council
// that answers late keeps it (its full answers are not a partial mover's),
// and a council whose every round is its answer keeps λ̂ = 1.
func TestLagFullAnswerFirst(t *testing.T) {
	const lam = 0.32
	full := func(u float64) [2]float64 { return [2]float64{u, u} }       // y = 0
	step := func(u float64) [2]float64 { return [2]float64{u, lam * u} } // y = (1 − λ)·u
	steps := [][2]float64{step(0.12), step(-0.06), step(-0.08), step(0.05)}
	read := func(late bool, rounds ...[2]float64) float64 {
		a := lagFit{lam: 1, late: late}
		for _, r := range rounds {
			a.add(r[0], r[1])
		}
		return a.speed()
	}
	partial := read(false, steps...)
	if !(partial < 0.4) {
		t.Fatalf("partial steps of λ %.2f alone read λ̂ %.4f, want below 0.4", lam, partial)
	}
	for _, tc := range []struct {
		name   string
		late   bool
		first  [][2]float64 // the rounds before steps
		lo, hi float64      // λ̂ after them and steps
	}{
		{"full answer first", false, [][2]float64{full(0.22)}, partial, partial},
		{"two full answers first", false, [][2]float64{full(0.22), full(-0.15)}, partial, partial},
		{"late council", true, [][2]float64{full(0.22)}, partial + 0.1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(tc.late, append(append([][2]float64(nil), tc.first...), steps...)...)
			if math.IsNaN(got) || got < tc.lo-1e-9 || got > tc.hi+1e-9 {
				t.Errorf("λ̂ %.6f, want in [%.6f, %.6f]", got, tc.lo, tc.hi)
			}
		})
	}
	if got := read(false, full(0.22), full(0.12), full(-0.06)); got != 1 {
		t.Errorf("a council whose every round is its answer: λ̂ %.4f, want 1", got)
	}
}
