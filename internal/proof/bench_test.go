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

// BenchmarkInclusion measures a proof in a tree of 100,000 leaves: from
// the kept tree (the last closed round's, in memory) and from the stored
// leaf hashes (an earlier round's).
func BenchmarkInclusion(b *testing.B) {
	n := 100000
	hashes := make([]byte, n*HashSize)
	for i := 0; i < n; i++ {
		copy(hashes[i*HashSize:], HashLeaf([]byte(fmt.Sprint(i))))
	}
	tree, err := NewTree(hashes)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("tree", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := tree.Inclusion(uint64(i % n)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hashes", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := Inclusion(hashes, uint64(i%n)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
