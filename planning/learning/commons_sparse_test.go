package learning

import (
	"math"
	"testing"
)

// TestKSparse checks the fit on the fewest commons goods: with six commons
// goods, two moves of K (the first a hair's breadth, as after a cold round
// 0) tell which single good a council draws on, three moves which two;
// fewer moves, a council that draws on more goods than the moves can tell,
// or rounds no small set explains leave the fit to the NNLS (false).
func TestKSparse(t *testing.T) {
	rows := [][]float64{
		{1.6e-4, 8e-5, 3e-3, 6e-3, 2e-4, 1e-3},
		{2.2, 0.35, 0.39, 0.4, 1.1, 3.0},
		{0.01, 0.003, 0.08, -0.02, 0.05, 0.004},
		{0.002, -0.001, 0.0005, 0.01, -0.03, 0.02},
	}
	tests := []struct {
		name  string
		truth []float64
		moves int
		noise float64
		ok    bool
	}{
		{"one good, two moves", []float64{0, 0, 0.3, 0, 0, 0}, 2, 0, true},
		{"one good, one move", []float64{0, 0, 0.3, 0, 0, 0}, 1, 0, false},
		{"two goods, two moves", []float64{0.05, 0, 0, 0.4, 0, 0}, 2, 0, false},
		{"two goods, three moves", []float64{0.05, 0, 0, 0.4, 0, 0}, 3, 0, true},
		{"three goods, four moves", []float64{0.05, 0, 0.1, 0.2, 0, 0}, 4, 0, true},
		{"four goods, four moves", []float64{0.05, 0.1, 0.1, 0.2, 0, 0}, 4, 0, false},
		{"no response", []float64{0, 0, 0, 0, 0, 0}, 3, 0, false},
		// Noise the hair-thin first move cannot beat: the first move
		// alone tells nothing, and two goods explain the big one.
		{"one good, noisy", []float64{0, 0, 0.3, 0, 0, 0}, 2, 1e-4, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := len(tc.truth)
			var flat, obs []float64
			for _, r := range rows[:tc.moves] {
				flat = append(flat, r...)
				o := 0.0
				for i := range r {
					o += tc.truth[i] * r[i]
				}
				obs = append(obs, o)
			}
			c := make([]float64, m)
			ok := kSparse(flat, obs, tc.noise, c)
			if ok != tc.ok {
				t.Fatalf("kSparse = %v (c = %v), want %v", ok, c, tc.ok)
			}
			if !ok {
				return
			}
			for i := range c {
				if math.Abs(c[i]-tc.truth[i]) > 1e-9 {
					t.Fatalf("c = %v, want %v", c, tc.truth)
				}
			}
		})
	}
}
