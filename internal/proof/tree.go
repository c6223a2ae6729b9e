package proof

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// HashSize is the bytes of every hash.
const HashSize = sha256.Size

var hasher = rfc6962.DefaultHasher

// HashLeaf returns the RFC 6962 leaf hash of data: SHA-256(0x00 ‖ data).
func HashLeaf(data []byte) []byte { return hasher.HashLeaf(data) }

// Root returns the RFC 6962 root of the tree whose leaf hashes are
// hashes, HashSize bytes each, concatenated; the empty tree's is
// SHA-256 of nothing.
func Root(hashes []byte) ([]byte, error) {
	t, err := NewTree(hashes)
	if err != nil {
		return nil, err
	}
	return t.Root(), nil
}

// Tree is an RFC 6962 tree kept level by level: level 0 the leaf hashes,
// each level above the parents of the pairs below it, a last node
// without a pair carried up unchanged (which makes the tree RFC 6962's,
// split at the largest power of two below its size). Its nodes are the
// perfect subtrees' hashes the library's proofs are made of.
type Tree struct {
	levels [][]byte
	size   int
}

// NewTree builds the tree over hashes (HashSize bytes a leaf; kept, not
// copied).
func NewTree(hashes []byte) (*Tree, error) {
	if len(hashes)%HashSize != 0 {
		return nil, fmt.Errorf("proof: %d bytes of leaf hashes", len(hashes))
	}
	t := &Tree{size: len(hashes) / HashSize, levels: [][]byte{hashes}}
	for n := t.size; n > 1; n = (n + 1) / 2 {
		t.levels = append(t.levels, make([]byte, (n+1)/2*HashSize))
		t.rehash(len(t.levels)-1, 0, (n+1)/2)
	}
	return t, nil
}

// rehash recomputes nodes [from, to) of level l from level l−1.
func (t *Tree) rehash(l, from, to int) {
	below, out := t.levels[l-1], t.levels[l]
	n := len(below) / HashSize
	var buf [1 + 2*HashSize]byte
	buf[0] = 0x01
	for j := from; j < to; j++ {
		if 2*j+1 >= n {
			copy(out[j*HashSize:], below[2*j*HashSize:(2*j+1)*HashSize]) // carried up
			continue
		}
		copy(buf[1:], below[2*j*HashSize:(2*j+2)*HashSize])
		h := sha256.Sum256(buf[:])
		copy(out[j*HashSize:], h[:])
	}
}

// Set replaces leaf i's hash and recomputes its ancestors.
func (t *Tree) Set(i int, hash []byte) {
	copy(t.levels[0][i*HashSize:], hash)
	for l := 1; l < len(t.levels); l++ {
		i /= 2
		t.rehash(l, i, i+1)
	}
}

// Size returns the number of leaves.
func (t *Tree) Size() int { return t.size }

// Root returns the tree's root (SHA-256 of nothing for the empty tree).
func (t *Tree) Root() []byte {
	if t.size == 0 {
		return hasher.EmptyRoot()
	}
	top := t.levels[len(t.levels)-1]
	return append([]byte(nil), top[:HashSize]...)
}

// node returns the hash of the perfect subtree id.
func (t *Tree) node(id compact.NodeID) []byte {
	lv := t.levels[id.Level]
	return append([]byte(nil), lv[id.Index*HashSize:(id.Index+1)*HashSize]...)
}

// Inclusion returns the inclusion proof of leaf index in the tree of
// hashes (concatenated, as Root takes them), computed from the stored
// leaf hashes: the library says which nodes make it, the tree gives
// their hashes.
func Inclusion(hashes []byte, index uint64) ([][]byte, error) {
	t, err := NewTree(hashes)
	if err != nil {
		return nil, err
	}
	return t.Inclusion(index)
}

// Inclusion returns the inclusion proof of leaf index: the library says
// which nodes make it, the tree gives their hashes. Safe for concurrent
// use with other reads.
func (t *Tree) Inclusion(index uint64) ([][]byte, error) {
	nodes, err := proof.Inclusion(index, uint64(t.size))
	if err != nil {
		return nil, err
	}
	hs := make([][]byte, len(nodes.IDs))
	for i, id := range nodes.IDs {
		hs[i] = t.node(id)
	}
	return nodes.Rehash(hs, hasher.HashChildren)
}

// VerifyInclusion checks that data is leaf index of the tree of size
// with root, by proof.
func VerifyInclusion(data []byte, index, size uint64, path [][]byte, root []byte) error {
	return proof.VerifyInclusion(hasher, index, size, HashLeaf(data), path, root)
}

// Chain returns chain_n = SHA-256(0x02 ‖ prev ‖ root), prev being
// chain_{n−1} (nil or ZeroChain before round 0).
func Chain(prev, root []byte) []byte {
	if prev == nil {
		prev = ZeroChain()
	}
	h := sha256.New()
	h.Write([]byte{0x02})
	h.Write(prev)
	h.Write(root)
	return h.Sum(nil)
}

// ZeroChain returns chain_{−1}: 32 zero bytes.
func ZeroChain() []byte { return make([]byte, HashSize) }

// RootEntry is one round's published root and chain.
type RootEntry struct {
	Round int
	Size  int
	Root  []byte
	Chain []byte
}

// VerifyChain checks that roots are rounds 0, 1, … in order and that each
// chain follows from the one before and its root.
func VerifyChain(roots []RootEntry) error {
	prev := ZeroChain()
	for i, r := range roots {
		if r.Round != i {
			return fmt.Errorf("the chain's entry %d is round %d, want %d", i, r.Round, i)
		}
		if len(r.Root) != HashSize {
			return fmt.Errorf("round %d: the root is %d bytes, want %d", r.Round, len(r.Root), HashSize)
		}
		if want := Chain(prev, r.Root); !bytes.Equal(want, r.Chain) {
			return fmt.Errorf("round %d: the chain does not follow from round %d's and this root", r.Round, r.Round-1)
		}
		prev = r.Chain
	}
	return nil
}
