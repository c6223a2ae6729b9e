package learning

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPow10 checks that pow10 returns math.Pow's bits for whole and
// fractional powers, inside the table and out of it.
func TestPow10(t *testing.T) {
	for k := -330; k <= 330; k++ {
		for _, f := range []float64{0, 0.5, -0.25} {
			x := float64(k) + f
			if got, want := pow10(x), math.Pow(10, x); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("pow10(%v) = %v, want math.Pow's %v", x, got, want)
			}
		}
	}
}

// TestFigures checks figures on decimals of known figures and on
// quantities that are not short decimals.
func TestFigures(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want int
	}{
		{1, 1}, {0.5, 1}, {3000, 1}, {1.2, 2}, {0.0012, 2}, {12e9, 2}, {1.23, 3},
		{123.4, 4}, {0.01234, 4}, {12345, 0}, {1.23456, 0}, {math.Pi, 0},
		{1.0 / 3, 0}, {0, 0}, {-2, 0}, {math.Inf(1), 0}, {math.NaN(), 0},
	} {
		if got := figures(c.x); got != c.want {
			t.Errorf("figures(%v) = %d, want %d", c.x, got, c.want)
		}
	}
}

// figuresByLog is figures as it was written first, with math.Log10 and
// math.Pow: the reference TestFiguresFast checks the faster one against.
func figuresByLog(x float64) int {
	if !(x > 0) || math.IsInf(x, 0) {
		return 0
	}
	e := math.Floor(math.Log10(x))
	for n := 1; n <= maxFigures; n++ {
		m := x * math.Pow(10, float64(n-1)-e)
		if math.Abs(m-math.Round(m)) <= 1e-9*m {
			return n
		}
	}
	return 0
}

// TestFiguresFast checks figures against figuresByLog on short decimals
// and arbitrary quantities over the whole range of magnitudes, and decExp
// against the exponent's definition.
func TestFiguresFast(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		x := math.Exp(r.NormFloat64() * 30)
		switch i % 4 {
		case 1, 2: // a decimal of 1 to 5 figures
			n := 1 + i%5
			e := math.Floor(math.Log10(x))
			x = math.Round(x*math.Pow(10, float64(n-1)-e)) / math.Pow(10, float64(n-1)-e)
		case 3: // a power of ten, or next to one
			x = math.Pow(10, float64(r.IntN(80)-40))
			x = [3]float64{x, math.Nextafter(x, 0), math.Nextafter(x, math.Inf(1))}[r.IntN(3)]
		}
		if got, want := figures(x), figuresByLog(x); got != want {
			t.Fatalf("figures(%v) = %d, want %d", x, got, want)
		}
		if k := decExp(x); !(math.Pow(10, k) <= x*(1+1e-15) && x < math.Pow(10, k+1)*(1+1e-15)) {
			t.Fatalf("decExp(%v) = %v: not ⌊log₁₀ x⌋", x, k)
		}
	}
}
