package learning

import (
	"math"
	"testing"
)

// TestKFitRecovers checks the regression of a council's response to K: a
// council whose log output moves by 0.25·Δln K₁ + 0.1·Δln K₂ is learned
// within three rounds in which K moves in independent directions, and
// whatever the proposals say, every c stays in [0, cMax].
func TestKFitRecovers(t *testing.T) {
	tests := []struct {
		name string
		true []float64
		want []float64
	}{
		{"two goods", []float64{0.25, 0.1}, []float64{0.25, 0.1}},
		{"no response", []float64{0, 0}, []float64{0, 0}},
		{"negative: bounded", []float64{-0.3, 0.2}, nil},
		{"too large: bounded", []float64{1.5, 0}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newKFit(2)
			for _, phi := range [][]float64{{0.8, 0.1}, {0.05, 0.6}, {0.3, 0.3}} {
				e := tc.true[0]*phi[0] + tc.true[1]*phi[1] - (f.c[0]*phi[0] + f.c[1]*phi[1])
				f.update(phi, e)
			}
			for i := range f.c {
				if f.c[i] < 0 || f.c[i] > cMax {
					t.Errorf("c = %v, outside [0, %v]", f.c, cMax)
				}
				if tc.want != nil && math.Abs(f.c[i]-tc.want[i]) > 0.02 {
					t.Errorf("c = %v, want %v", f.c, tc.want)
				}
			}
		})
	}
}
