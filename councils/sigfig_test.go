package councils

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestRoundSigDecimals checks RoundSig against decimals written out by
// hand, across powers of ten and at the float64 nearest a decimal.
func TestRoundSigDecimals(t *testing.T) {
	tests := []struct {
		x        float64
		n        int
		down, up string
	}{
		{1234.5678, 3, "1230", "1240"},
		{1234.5678, 1, "1000", "2000"},
		{0.99996, 3, "0.999", "1.00"},
		{9.9996, 4, "9.999", "10.00"},
		{999.5, 3, "999", "1000"},
		{1.5, 1, "1", "2"},
		// The float64 written 0.1 is above the decimal 0.1, so 0.1 is its
		// floor and 0.2 its ceiling; those written 0.3 and 0.7 are below,
		// so 0.3 and 0.7 are their ceilings. Rounding is of the exact value.
		{0.1, 1, "0.1", "0.2"},
		{0.3, 1, "0.2", "0.3"},
		{0.7, 1, "0.6", "0.7"},
		{0.3, 15, "0.299999999999999", "0.3"},
		{0.25, 1, "0.2", "0.3"},
		{0.5, 1, "0.5", "0.5"}, // a decimal exactly: itself both ways
		// The float64 nearest 2.675 is below it: up to 3 figures is 2.68,
		// down 2.67, as the exact value says (a multiply by 100 would not).
		{2.675, 3, "2.67", "2.68"},
		{1.005, 3, "1.00", "1.01"},
		{123456789012345678, 15, "123456789012345000", "123456789012346000"},
		{1e-300 * 1.23456, 2, "1.2e-300", "1.3e-300"},
		{5e-324, 2, "4.9e-324", "5.0e-324"},
		{1.7976931348623157e308, 2, "1.7e308", "+Inf"},
		{42, 2, "42", "42"},
	}
	for _, tc := range tests {
		for _, dir := range []struct {
			up   bool
			want string
		}{{false, tc.down}, {true, tc.up}} {
			want, _ := strconv.ParseFloat(dir.want, 64)
			if got := RoundSig(tc.x, tc.n, dir.up); got != want {
				t.Errorf("RoundSig(%v, %d, up=%v) = %v, want %s", tc.x, tc.n, dir.up, got, dir.want)
			}
		}
	}
	for _, x := range []float64{0, math.Copysign(0, -1), -1, math.NaN(), math.Inf(1)} {
		if got := RoundSig(x, 3, true); !(got == x || math.IsNaN(x) && math.IsNaN(got)) || math.Signbit(got) != math.Signbit(x) {
			t.Errorf("RoundSig(%v) = %v, want it unchanged", x, got)
		}
	}
}

// TestRoundSigExact checks RoundSig on random numbers by another route:
// exact rational arithmetic finds the decimal ⌊x/10^k⌋·10^k (or ⌈⌉) with
// n figures, whose nearest float64 RoundSig must return.
func TestRoundSigExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		var x float64
		switch i % 3 {
		case 0:
			x = math.Exp(rng.NormFloat64() * 30)
		case 1: // a decimal with few figures, or its neighbours
			x, _ = strconv.ParseFloat(strconv.Itoa(rng.IntN(100000))+"e"+strconv.Itoa(rng.IntN(40)-20), 64)
			x = math.Nextafter(x, x+float64(rng.IntN(3)-1))
		default:
			x = math.Float64frombits(rng.Uint64() >> 2)
		}
		if !(x > 0) || math.IsInf(x, 0) {
			continue
		}
		n := 1 + rng.IntN(MaxRoundTo)
		for _, up := range []bool{false, true} {
			want := exactRound(x, n, up)
			if got := RoundSig(x, n, up); got != want {
				t.Fatalf("RoundSig(%v, %d, up=%v) = %v, want %v", x, n, up, got, want)
			}
		}
	}
}

// exactRound rounds x to n significant figures with math/big: with
// k = ⌊log10 x⌋ − n + 1 (found exactly), the integer ⌊x/10^k⌋ or ⌈x/10^k⌉
// times 10^k.
func exactRound(x float64, n int, up bool) float64 {
	r := new(big.Rat).SetFloat64(x)
	// k: the power of ten with 10^(n−1) ≤ x/10^k < 10^n.
	k := int(math.Floor(math.Log10(x))) - n + 1
	scaled := func(k int) *big.Rat {
		p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(k))), nil))
		if k >= 0 {
			return new(big.Rat).Quo(r, p)
		}
		return new(big.Rat).Mul(r, p)
	}
	lo := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n-1)), nil))
	hi := new(big.Rat).Mul(lo, big.NewRat(10, 1))
	for s := scaled(k); s.Cmp(lo) < 0 || s.Cmp(hi) >= 0; s = scaled(k) {
		if s.Cmp(lo) < 0 {
			k--
		} else {
			k++
		}
	}
	s := scaled(k)
	q, m := new(big.Int).QuoRem(s.Num(), s.Denom(), new(big.Int))
	if up && m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	f, _ := strconv.ParseFloat(q.String()+"e"+strconv.Itoa(k), 64)
	return f
}

func abs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}
