package learning

import "math"

// maxOf returns math.Max(x, y), bit for bit, without math.Max's call (on
// amd64 an assembly routine the compiler cannot inline): the ordered cases
// are decided here, and equal operands (signed zeros) and NaNs go to
// math.Max for its rules.
func maxOf(x, y float64) float64 {
	if x > y {
		return x
	}
	if y > x {
		return y
	}
	return math.Max(x, y)
}

// minOf returns math.Min(x, y), bit for bit, as maxOf does math.Max.
func minOf(x, y float64) float64 {
	if x < y {
		return x
	}
	if y < x {
		return y
	}
	return math.Min(x, y)
}
