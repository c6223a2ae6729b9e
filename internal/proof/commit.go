package proof

import (
	"crypto/rand"
	"crypto/sha256"
	"hash"
	mrand "math/rand/v2"
	"runtime"
	"sync"
)

// Leafer makes leaves on one goroutine: it draws salts from a ChaCha8
// stream (a cryptographically strong generator, math/rand/v2) seeded
// from crypto/rand, so that 100,000 salts a round cost no system calls,
// and reuses its buffers. Not safe for concurrent use: one per goroutine.
type Leafer struct {
	// Scratch is a buffer the caller may reuse between leaves (for the
	// proposal's JSON).
	Scratch []byte
	salts   *mrand.ChaCha8
	h       hash.Hash
	salt    [SaltSize]byte
	buf     []byte
}

// NewLeafer returns a Leafer with a fresh seed.
func NewLeafer() *Leafer {
	var seed [32]byte
	if _, err := rand.Read(seed[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return &Leafer{salts: mrand.NewChaCha8(seed), h: sha256.New()}
}

// Leaf makes council's leaf of round with a fresh salt over proposal
// (canonical JSON): it writes the leaf hash into hash (HashSize bytes) and
// returns the leaf's data if keep, else nil.
func (l *Leafer) Leaf(council string, round int, proposal []byte, keep bool, hash []byte) []byte {
	l.salts.Read(l.salt[:])
	l.buf = AppendLeaf(l.buf[:0], council, round, l.salt[:], proposal)
	l.h.Reset()
	l.h.Write([]byte{0x00})
	l.h.Write(l.buf)
	l.h.Sum(hash[:0])
	if keep {
		return append([]byte(nil), l.buf...)
	}
	return nil
}

// Parallel runs fn(leafer, i) for i in [0, n) on up to GOMAXPROCS
// goroutines, each with its own Leafer. A panic in fn is raised again in
// the caller's goroutine, once every worker has stopped.
func Parallel(n int, fn func(l *Leafer, i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/256))
	var wg sync.WaitGroup
	var once sync.Once
	var failed any
	defer func() {
		if failed != nil {
			panic(failed)
		}
	}()
	defer wg.Wait()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { failed = r })
				}
			}()
			l := NewLeafer()
			for i := w; i < n; i += workers {
				fn(l, i)
			}
		}(w)
	}
}

// KeptLeaf is a kept leaf: its council, index and data.
type KeptLeaf struct {
	Council string
	Index   int
	Data    []byte
}

// Commitment is a closed round's commitment.
type Commitment struct {
	Size   int
	Root   []byte
	Chain  []byte
	Hashes []byte // the leaf hashes in leaf order, HashSize bytes each
	Kept   []KeptLeaf
	Tree   *Tree // not to be changed: proofs may be read from it
}

// Commit returns the commitment of the tree t, chained to prev, keeping
// kept (their Index their place in t).
func Commit(t *Tree, prev []byte, kept []KeptLeaf) *Commitment {
	root := t.Root()
	return &Commitment{Size: t.Size(), Root: root, Chain: Chain(prev, root), Hashes: t.levels[0], Kept: kept, Tree: t}
}
