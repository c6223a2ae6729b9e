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

// TestKFitHair checks that a round in which K hardly moved counts in full
// beside one in which it leapt: a cold round 0 makes little of the
// commons, so ln K first moves by 10⁻⁴ and then by 2. Four rounds in
// independent directions then give a council's response to each of four
// commons goods to 10⁻⁹, where a ridge on c, or a recursive fit clamped at
// each step, would leave the first round's direction biased.
func TestKFitHair(t *testing.T) {
	rows := [][]float64{
		{1.6e-4, 8e-5, 3e-3, 6e-3},
		{2.2, 0.35, 0.39, 0.4},
		{0.01, 0.003, 0.08, 0},
		{0.002, -0.001, 0.0005, 0.01},
	}
	for _, truth := range [][]float64{{0, 0, 0.3, 0}, {0.05, 0, 0, 0.4}, {0.1, 0.2, 0.05, 0.3}} {
		f := newKFit(4)
		for k, phi := range rows {
			e := 0.0
			for i := range phi {
				e += (truth[i] - f.c[i]) * phi[i]
			}
			f.update(phi, e)
			if k == 0 {
				// One round: the least c that explains it, ≥ 0.
				got := 0.0
				for i := range phi {
					got += f.c[i] * phi[i]
					if f.c[i] < 0 {
						t.Errorf("c = %v after one round, want ≥ 0", f.c)
					}
				}
				want := 0.0
				for i := range phi {
					want += truth[i] * phi[i]
				}
				if math.Abs(got-want) > 1e-12 {
					t.Errorf("after one round c·φ = %g, want %g", got, want)
				}
			}
		}
		for i := range truth {
			if math.Abs(f.c[i]-truth[i]) > 1e-9 {
				t.Errorf("truth %v: c = %v", truth, f.c)
				break
			}
		}
	}
}
