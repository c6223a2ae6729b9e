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

var (
	hasher = rfc6962.DefaultHasher
	ranges = &compact.RangeFactory{Hash: hasher.HashChildren}
)

// HashLeaf returns the RFC 6962 leaf hash of data: SHA-256(0x00 ‖ data).
func HashLeaf(data []byte) []byte { return hasher.HashLeaf(data) }

// Root returns the RFC 6962 root of the tree whose leaf hashes are
// hashes, HashSize bytes each, concatenated; the empty tree's is
// SHA-256 of nothing.
func Root(hashes []byte) ([]byte, error) {
	if len(hashes)%HashSize != 0 {
		return nil, fmt.Errorf("proof: %d bytes of leaf hashes", len(hashes))
	}
	return subtree(hashes, 0, uint64(len(hashes)/HashSize))
}

// subtree returns the root of leaves [begin, end).
func subtree(hashes []byte, begin, end uint64) ([]byte, error) {
	if begin == end {
		return hasher.EmptyRoot(), nil
	}
	r := ranges.NewEmptyRange(0)
	for i := begin; i < end; i++ {
		if err := r.Append(hashes[i*HashSize:(i+1)*HashSize], nil); err != nil {
			return nil, err
		}
	}
	return r.GetRootHash(nil)
}

// Inclusion returns the inclusion proof of leaf index in the tree of
// hashes (concatenated, as Root takes them), computed from the stored
// leaf hashes.
func Inclusion(hashes []byte, index uint64) ([][]byte, error) {
	if len(hashes)%HashSize != 0 {
		return nil, fmt.Errorf("proof: %d bytes of leaf hashes", len(hashes))
	}
	size := uint64(len(hashes) / HashSize)
	nodes, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, err
	}
	hs := make([][]byte, len(nodes.IDs))
	for i, id := range nodes.IDs {
		b, e := id.Coverage()
		if hs[i], err = subtree(hashes, b, e); err != nil {
			return nil, err
		}
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
