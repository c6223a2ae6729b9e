package proof

import (
	"encoding/base64"
	"math"
	"strconv"
	"unicode/utf16"
)

// The fast path of RFC 8785 for the values a leaf holds: objects with
// string keys, strings, whole numbers and float64s. LeafData is
// checked against github.com/gowebpki/jcs (canonical_test.go), which
// ParseLeaf and verification use.

// AppendNumber appends x as RFC 8785 (ECMAScript's Number.prototype.
// toString) writes it: the shortest digits that read back as x, in
// decimal notation from 1e-6 up to 1e21 and in exponent notation
// outside, -0 as 0. x must be finite.
func AppendNumber(dst []byte, x float64) []byte {
	if x == 0 {
		return append(dst, '0') // and -0
	}
	abs := math.Abs(x)
	if abs < 1e-6 || abs >= 1e21 {
		n := len(dst)
		dst = strconv.AppendFloat(dst, x, 'e', -1, 64)
		// "1e-07" → "1e-7", as ECMAScript writes the exponent
		if m := len(dst); m-n >= 4 && dst[m-4] == 'e' && dst[m-3] == '-' && dst[m-2] == '0' {
			dst[m-2] = dst[m-1]
			dst = dst[:m-1]
		}
		return dst
	}
	return strconv.AppendFloat(dst, x, 'f', -1, 64)
}

// AppendString appends s as an RFC 8785 string: quotes, backslash and
// control characters escaped, everything else as it is (s must be UTF-8).
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c >= 0x20:
			dst = append(dst, c)
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
	}
	return append(dst, '"')
}

// KeyLess orders object keys as RFC 8785 does: by UTF-16 code units.
func KeyLess(a, b string) bool {
	ascii := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return false
			}
		}
		return true
	}
	if ascii(a) && ascii(b) {
		return a < b
	}
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return len(ua) < len(ub)
}

// AppendLeaf appends a leaf's data, the canonical JSON of {"council",
// "proposal", "round", "salt"} (keys in that order), proposal being
// canonical JSON already.
func AppendLeaf(dst []byte, council string, round int, salt []byte, proposal []byte) []byte {
	dst = append(dst, `{"council":`...)
	dst = AppendString(dst, council)
	dst = append(dst, `,"proposal":`...)
	dst = append(dst, proposal...)
	dst = append(dst, `,"round":`...)
	dst = strconv.AppendInt(dst, int64(round), 10)
	dst = append(dst, `,"salt":"`...)
	dst = base64.StdEncoding.AppendEncode(dst, salt)
	return append(dst, `"}`...)
}
