package proof

import (
	"bytes"
	"math"
	mrand "math/rand/v2"
	"testing"

	"github.com/gowebpki/jcs"
	"github.com/transparency-dev/merkle/compact"
)

// TestAppendNumber: the fast ES6 number formatting agrees with the
// library's on edge cases and on a million random float64s of every
// magnitude.
func TestAppendNumber(t *testing.T) {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.999999999999999e-7, 1e-7, 1.5e-7, 1e20, 1e21, 9.999999999999999e20, 123456789012345680000,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 5e-324, 2.2250738585072014e-308, 0.000001234, 1234.5678, 3.7, 1 << 53, 1<<53 + 2}
	r := mrand.New(mrand.NewPCG(1, 2))
	for i := 0; i < 1_000_000; i++ {
		x := math.Float64frombits(r.Uint64())
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		xs = append(xs, x, r.Float64()*math.Pow(10, float64(r.IntN(40)-20)))
	}
	for _, x := range xs {
		want, err := jcs.NumberToJSON(x)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(AppendNumber(nil, x)); got != want {
			t.Fatalf("%v (%x): got %s, the library %s", x, math.Float64bits(x), got, want)
		}
	}
}

// TestAppendLeaf: the fast leaf is the library's canonical form of the
// same object, for awkward council ids too.
func TestAppendLeaf(t *testing.T) {
	salt := bytes.Repeat([]byte{7, 200}, SaltSize/2)
	for _, id := range []string{"h0", "a\"b", "back\\slash", "tab\tnl\n\x01", "é€😀", "</script>&"} {
		want, err := LeafData(id, 12, salt, []byte(`{"requests":{"bread":0.1,"veg":1e-7}}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendLeaf(nil, id, 12, salt, []byte(`{"requests":{"bread":0.1,"veg":1e-7}}`)); !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %s\nwant %s", id, got, want)
		}
	}
	keys := []string{"b", "a", "é", "😀", "\uffff", "z"}
	for _, a := range keys {
		for _, b := range keys {
			obj := []byte(`{"` + a + `":1,"` + b + `":2}`)
			if a == b {
				continue
			}
			c, _ := jcs.Transform(obj)
			first := a
			if !KeyLess(a, b) {
				first = b
			}
			if !bytes.HasPrefix(c, []byte(`{"`+first+`"`)) {
				t.Errorf("KeyLess(%q, %q) = %v, the library orders %s", a, b, KeyLess(a, b), c)
			}
		}
	}
}

// TestTreeAgainstLibrary: the tree's root is the library's compact
// range's, and Set gives the tree a rebuild would.
func TestTreeAgainstLibrary(t *testing.T) {
	rf := &compact.RangeFactory{Hash: hasher.HashChildren}
	for _, n := range []int{1, 2, 3, 6, 31, 64, 100, 1000} {
		var hashes []byte
		cr := rf.NewEmptyRange(0)
		for i := 0; i < n; i++ {
			h := HashLeaf([]byte{byte(i), byte(i >> 8)})
			hashes = append(hashes, h...)
			cr.Append(h, nil)
		}
		want, _ := cr.GetRootHash(nil)
		tree, err := NewTree(append([]byte(nil), hashes...))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(tree.Root(), want) {
			t.Fatalf("%d leaves: root %x, the library's %x", n, tree.Root(), want)
		}
		i := n / 3
		nh := HashLeaf([]byte("changed"))
		tree.Set(i, nh)
		copy(hashes[i*HashSize:], nh)
		again, _ := NewTree(hashes)
		if !bytes.Equal(tree.Root(), again.Root()) {
			t.Errorf("%d leaves: Set(%d) root %x, rebuilt %x", n, i, tree.Root(), again.Root())
		}
	}
}
