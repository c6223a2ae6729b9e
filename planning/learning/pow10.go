package learning

import "math"

// powers holds 10^k for k = −22…22, each the float64 nearest it: the
// rule's reading of rounded figures raises 10 to whole powers for every
// proposal of every round, and math.Pow is the costlier way to the same
// numbers (for these k it returns exactly them, TestPow10).
var powers = [...]float64{
	1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12,
	1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// pow10 returns math.Pow(10, k), from the table where k is a whole number
// within it.
func pow10(k float64) float64 {
	if i := int(k); float64(i) == k && i >= -22 && i <= 22 {
		return powers[i+22]
	}
	return math.Pow(10, k)
}

// log10of2 is log₁₀ 2, rounded down.
const log10of2 = 0.30102999566398114

// decExp returns x's decimal exponent ⌊log₁₀ x⌋ for a finite x > 0, read
// from its binary exponent and the table where it is within it (a
// logarithm costs more). Where math.Log10 rounds to a whole number from
// below (at a power of ten) it is the exact exponent.
func decExp(x float64) float64 {
	_, e2 := math.Frexp(x) // x in [2^(e2−1), 2^e2)
	k := int(math.Floor(float64(e2-1) * log10of2))
	if k < -21 || k > 21 {
		return math.Floor(math.Log10(x))
	}
	switch {
	case x >= powers[k+23]:
		k++
	case x < powers[k+22]:
		k--
	}
	return float64(k)
}
