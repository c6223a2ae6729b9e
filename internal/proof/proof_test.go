package proof

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

// mth is RFC 6962's Merkle Tree Hash written out from section 2.1, to
// check the library's root against.
func mth(leaves [][]byte) []byte {
	n := len(leaves)
	switch n {
	case 0:
		h := sha256.Sum256(nil)
		return h[:]
	case 1:
		h := sha256.Sum256(append([]byte{0}, leaves[0]...))
		return h[:]
	}
	k := 1
	for k*2 < n {
		k *= 2
	}
	h := sha256.Sum256(append(append([]byte{1}, mth(leaves[:k])...), mth(leaves[k:])...))
	return h[:]
}

func TestTree(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var datas [][]byte
			var hashes []byte
			for i := 0; i < n; i++ {
				d := []byte(fmt.Sprintf("leaf %d", i))
				datas = append(datas, d)
				hashes = append(hashes, HashLeaf(d)...)
			}
			root, err := Root(hashes)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(root, mth(datas)) {
				t.Fatalf("root %x, RFC 6962 says %x", root, mth(datas))
			}
			for i := 0; i < n; i++ {
				path, err := Inclusion(hashes, uint64(i))
				if err != nil {
					t.Fatal(err)
				}
				if err := VerifyInclusion(datas[i], uint64(i), uint64(n), path, root); err != nil {
					t.Errorf("leaf %d: %v", i, err)
				}
				if err := VerifyInclusion([]byte("forged"), uint64(i), uint64(n), path, root); err == nil {
					t.Errorf("leaf %d: a forged leaf verifies", i)
				}
				if n > 1 {
					if err := VerifyInclusion(datas[i], uint64((i+1)%n), uint64(n), path, root); err == nil {
						t.Errorf("leaf %d verifies at another index", i)
					}
				}
			}
			if _, err := Inclusion(hashes, uint64(n)); err == nil {
				t.Error("a proof for a leaf past the end")
			}
		})
	}
}

func TestLeafData(t *testing.T) {
	salt := bytes.Repeat([]byte{0xfb}, SaltSize)
	got, err := LeafData("h0", 2, salt, []byte(`{ "requests": {"veg": 1e0, "bread": 0.10000000000000001} }`))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"council":"h0","proposal":{"requests":{"bread":0.1,"veg":1}},"round":2,"salt":"` + strings.Repeat("+/v7", 10) + `+/s="}`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	l, err := ParseLeaf(got)
	if err != nil || l.Council != "h0" || l.Round != 2 || !SameJSON(l.Proposal, []byte(`{"requests":{"veg":1,"bread":0.1}}`)) {
		t.Errorf("parsed %+v, %v", l, err)
	}
	for _, bad := range []string{
		`{"round":2,"council":"h0","proposal":{},"salt":"` + strings.Repeat("A", 43) + `="}`, // not canonical
		`{"council":"h0","proposal":{},"round":2,"salt":"AAAA"}`,                             // short salt
		`not json`,
	} {
		if _, err := ParseLeaf([]byte(bad)); err == nil {
			t.Errorf("%s parsed", bad)
		}
	}
	if a, b := NewSalt(), NewSalt(); bytes.Equal(a, b) || len(a) != SaltSize {
		t.Error("salts repeat")
	}
}

func TestCommitAndChain(t *testing.T) {
	var prev []byte
	var roots []RootEntry
	l := NewLeafer()
	for round := 0; round < 3; round++ {
		ids := []string{"alpha", "beta", "h10", "h9", "zeta"}
		var hashes []byte
		var kept []KeptLeaf
		for k, id := range ids {
			h := make([]byte, HashSize)
			data := l.Leaf(id, round, []byte(`{"requests":{"bread":1}}`), id != "zeta", h)
			hashes = append(hashes, h...)
			if data != nil {
				if _, err := ParseLeaf(data); err != nil {
					t.Fatal(err)
				}
				kept = append(kept, KeptLeaf{Council: id, Index: k, Data: data})
			}
		}
		tree, err := NewTree(hashes)
		if err != nil {
			t.Fatal(err)
		}
		c := Commit(tree, prev, kept)
		for _, k := range c.Kept {
			path, err := Inclusion(c.Hashes, uint64(k.Index))
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyInclusion(k.Data, uint64(k.Index), uint64(c.Size), path, c.Root); err != nil {
				t.Errorf("round %d %s: %v", round, k.Council, err)
			}
		}
		if len(c.Kept) != 4 || c.Size != 5 {
			t.Errorf("kept %d of %d leaves", len(c.Kept), c.Size)
		}
		roots = append(roots, RootEntry{Round: round, Size: c.Size, Root: c.Root, Chain: c.Chain})
		prev = c.Chain
	}
	if err := VerifyChain(roots); err != nil {
		t.Fatal(err)
	}
	roots[1].Root = bytes.Repeat([]byte{1}, HashSize)
	if err := VerifyChain(roots); err == nil {
		t.Error("a rewritten root passes the chain")
	}
}

// TestParallelPanics: a panic in a worker reaches the caller, which can
// recover it, once every worker has stopped.
func TestParallelPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "leaf 700" {
			t.Errorf("recovered %v, want the worker's panic", r)
		}
	}()
	Parallel(2000, func(l *Leafer, i int) {
		if i == 700 {
			panic("leaf 700")
		}
	})
	t.Error("no panic")
}
