package proof

import (
	"fmt"
	"testing"

	"github.com/gowebpki/jcs"
)

// BenchmarkRoot measures the root of a tree of 100,000 leaves from their
// hashes (the part of a commitment a close must do once every leaf is in).
func BenchmarkRoot(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			hashes := make([]byte, n*HashSize)
			for i := 0; i < n; i++ {
				copy(hashes[i*HashSize:], HashLeaf([]byte(fmt.Sprint(i))))
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := Root(hashes); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNumber(b *testing.B) {
	for i := 0; i < b.N; i++ {
		jcs.NumberToJSON(float64(i) * 1.2345678901)
	}
}
