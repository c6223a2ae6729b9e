package learning

import (
	"math"
	"testing"
)

// TestMinMaxOf checks maxOf and minOf against math.Max and math.Min, bit
// for bit, on the special values and ordinary ones.
func TestMinMaxOf(t *testing.T) {
	v := []float64{math.Inf(1), math.Inf(-1), math.NaN(), 0, math.Copysign(0, -1), 1, -1, 2.5, math.SmallestNonzeroFloat64, -math.MaxFloat64}
	for _, a := range v {
		for _, b := range v {
			if g, w := maxOf(a, b), math.Max(a, b); math.Float64bits(g) != math.Float64bits(w) {
				t.Errorf("maxOf(%v, %v) = %v, math.Max %v", a, b, g, w)
			}
			if g, w := minOf(a, b), math.Min(a, b); math.Float64bits(g) != math.Float64bits(w) {
				t.Errorf("minOf(%v, %v) = %v, math.Min %v", a, b, g, w)
			}
		}
	}
}
