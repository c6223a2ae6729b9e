package councils

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// MaxRoundTo is the most significant figures a council may round to.
const MaxRoundTo = 15

// RoundSig rounds x to n significant figures (1 ≤ n ≤ MaxRoundTo): down,
// the largest decimal with n significant figures that is ≤ x; up, the
// smallest that is ≥ x; either taken as the float64 nearest to that
// decimal. The decimal is found exactly, by comparing it with the exact
// binary value of x, so no ulp is lost. 0 stays 0, and so do x < 0 and
// non-finite x (rounding is only for quantities, which are ≥ 0). Rounding
// up past the largest float64 gives +Inf.
func RoundSig(x float64, n int, up bool) float64 {
	if !(x > 0) || math.IsInf(x, 0) || n < 1 || n > MaxRoundTo {
		return x
	}
	// The decimal with n significant figures nearest to x: digits
	// "d.ddd" and exponent e.
	s := strconv.FormatFloat(x, 'e', n-1, 64)
	mant, exp := splitE(s)
	c := cmpDecimal(s, x) // the sign of decimal − x
	switch {
	case c == 0:
		return x
	case !up && c > 0:
		mant, exp = step(mant, exp, n, -1)
	case up && c < 0:
		mant, exp = step(mant, exp, n, +1)
	default:
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	f, _ := strconv.ParseFloat(strconv.FormatInt(mant, 10)+"e"+strconv.Itoa(exp), 64)
	return f
}

// splitE turns FormatFloat's "d.ddde±XX" into the integer of its n digits
// and the power of ten of its last digit.
func splitE(s string) (int64, int) {
	i := strings.IndexByte(s, 'e')
	digits := strings.Replace(s[:i], ".", "", 1)
	e, _ := strconv.Atoi(s[i+1:])
	m, _ := strconv.ParseInt(digits, 10, 64)
	return m, e - (len(digits) - 1)
}

// step moves the decimal mant·10^exp of n significant figures by one unit
// of its last figure, keeping n figures across a power of ten.
func step(mant int64, exp, n int, by int64) (int64, int) {
	lo := int64(math.Pow10(n - 1)) // the smallest n-figure integer
	mant += by
	switch {
	case mant < lo: // 100…0 − 1: one power of ten down, 999…9
		return 10*lo - 1, exp - 1
	case mant >= 10*lo: // 999…9 + 1: one power of ten up, 100…0
		return lo, exp + 1
	}
	return mant, exp
}

// cmpDecimal returns the sign of the decimal s minus x, exactly.
func cmpDecimal(s string, x float64) int {
	f, _ := strconv.ParseFloat(s, 64)
	// Parsing rounds to the nearest float64, which is monotone: a float
	// on either side of x settles it, and only a tie needs exact numbers.
	switch {
	case f < x:
		return -1
	case f > x:
		return 1
	}
	d, _ := new(big.Rat).SetString(s)
	return d.Cmp(new(big.Rat).SetFloat64(x))
}
