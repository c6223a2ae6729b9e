package proof

import (
	"runtime"
	"sort"
	"sync"
)

// Counted is one standing proposal of a round: whose, the proposal as
// counted (JSON), and whether its leaf is kept (its council can ask for
// a proof).
type Counted struct {
	ID       string
	Proposal func() []byte // called once, perhaps on another goroutine
	Keep     bool
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
}

// Commit builds round's tree over counted (sorted here by id in byte
// order), each leaf with a fresh salt, and chains its root to prev
// (chain_{round−1}; nil before round 0). The leaves are made on up to
// GOMAXPROCS goroutines.
func Commit(round int, prev []byte, counted []Counted) (*Commitment, error) {
	sort.Slice(counted, func(a, b int) bool { return counted[a].ID < counted[b].ID })
	n := len(counted)
	hashes := make([]byte, n*HashSize)
	datas := make([][]byte, n)
	errs := make([]error, n)
	workers := min(runtime.GOMAXPROCS(0), max(1, n/512))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				c := counted[i]
				data, err := LeafData(c.ID, round, NewSalt(), c.Proposal())
				if err != nil {
					errs[i] = err
					continue
				}
				copy(hashes[i*HashSize:], HashLeaf(data))
				if c.Keep {
					datas[i] = data
				}
			}
		}(w)
	}
	wg.Wait()
	out := &Commitment{Size: n, Hashes: hashes}
	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		if datas[i] != nil {
			out.Kept = append(out.Kept, KeptLeaf{Council: counted[i].ID, Index: i, Data: datas[i]})
		}
	}
	root, err := Root(hashes)
	if err != nil {
		return nil, err
	}
	out.Root, out.Chain = root, Chain(prev, root)
	return out, nil
}
