package live

import (
	"context"
	"encoding/base64"
	"errors"
	"sort"
	"sync"

	"parecon/councils"
	"parecon/internal/proof"
	"parecon/internal/store"
	"parecon/internal/wire"
	"parecon/planning"
)

// A round's commitment (docs/privacy.md, "Proof") is made in two parts so
// that the close waits for little of it: when a round opens, the leaves of
// the proposals standing in it (the simulated councils', the carried ones)
// are made on other goroutines while it is open (prepare); the close makes
// only the leaves of proposals that changed since, and updates the tree
// along their paths (commit).

// leafSet is a round's leaves as they were when it opened.
type leafSet struct {
	round   int
	props   []*planning.Proposal // by council: the proposal its leaf is of
	hashes  []byte               // by council, HashSize bytes each
	datas   [][]byte             // by council; human councils' only
	holders []int                // the councils with a leaf, in leaf (id) order
	tree    *proof.Tree          // over holders' leaves
	done    chan struct{}        // closed once the rest is filled in
	failed  bool                 // making them panicked: the close makes them all

	// The leaves of proposals accepted since the round opened, made as
	// they are committed (leafFresh), by council; wg counts the batches
	// still being made.
	mu    sync.Mutex
	fresh map[int]freshLeaf
	wg    sync.WaitGroup
}

// freshLeaf is the leaf of a proposal accepted while the round was open.
type freshLeaf struct {
	pr   *planning.Proposal
	hash []byte
	data []byte
}

// leafFresh makes the leaves of proposals just applied to the open round,
// on another goroutine, so that the close need not (plan goroutine).
func (p *plan) leafFresh(items []*item) {
	ls := p.pre
	if len(items) == 0 || ls == nil || ls.round != p.live.Round().Number {
		return
	}
	type job struct {
		c  int
		pr *planning.Proposal
	}
	jobs := make([]job, len(items))
	for k, it := range items {
		jobs[k] = job{it.c, it.pr}
	}
	m, round := p.leaves, ls.round
	ls.wg.Add(1)
	go func() {
		defer ls.wg.Done()
		defer func() { recover() }() // the close makes what is missing
		l := proof.NewLeafer()
		for _, j := range jobs {
			l.Scratch = m.canonical(l.Scratch[:0], j.c, j.pr)
			h := make([]byte, proof.HashSize)
			data := l.Leaf(m.econ.Plan.Councils[j.c].ID, round, l.Scratch, m.human[j.c], h)
			ls.mu.Lock()
			if ls.fresh == nil {
				ls.fresh = map[int]freshLeaf{}
			}
			ls.fresh[j.c] = freshLeaf{j.pr, h, data}
			ls.mu.Unlock()
		}
	}()
}

// prepare starts making the leaves of r, a round just opened, off the
// plan's goroutines (called by whoever owns live).
func (p *plan) prepare(r *planning.Round) {
	ls := &leafSet{round: r.Number, props: append([]*planning.Proposal(nil), r.Proposals...), done: make(chan struct{})}
	p.pre = ls
	m := p.leaves // not p: a reload may replace p's fields meanwhile
	go func() {
		defer close(ls.done)
		defer func() {
			if r := recover(); r != nil {
				ls.failed = true // the close tries again, where a panic stops the plan
			}
		}()
		n := len(ls.props)
		ls.hashes = make([]byte, n*proof.HashSize)
		ls.datas = make([][]byte, n)
		proof.Parallel(n, func(l *proof.Leafer, i int) {
			if pr := ls.props[i]; pr != nil {
				l.Scratch = m.canonical(l.Scratch[:0], i, pr)
				ls.datas[i] = l.Leaf(m.econ.Plan.Councils[i].ID, ls.round, l.Scratch, m.human[i], ls.hashes[i*proof.HashSize:])
			}
		})
		ls.holders = m.holders(ls.props)
		ls.tree, _ = proof.NewTree(m.gather(ls.holders, ls.hashes))
	}()
}

// holders returns the councils with a proposal in props, in id order.
func (m *leafMaker) holders(props []*planning.Proposal) []int {
	out := make([]int, 0, len(props))
	for _, i := range m.byID {
		if props[i] != nil {
			out = append(out, i)
		}
	}
	return out
}

// gather returns the hashes (by council) of holders, in their order.
func (m *leafMaker) gather(holders []int, hashes []byte) []byte {
	out := make([]byte, len(holders)*proof.HashSize)
	for k, i := range holders {
		copy(out[k*proof.HashSize:], hashes[i*proof.HashSize:(i+1)*proof.HashSize])
	}
	return out
}

// commit commits closed round r to a Merkle root over its standing
// proposals, chained to the round before (close worker). The leaves of
// human councils, the ones with a token to ask for their proof, are kept.
func (p *plan) commit(r *planning.Round) (*proof.Commitment, error) {
	m := p.leaves
	ls := p.pre
	p.pre = nil
	if ls != nil && ls.round == r.Number {
		<-ls.done
		ls.wg.Wait()
		if ls.failed {
			ls = nil
		}
	} else {
		ls = nil
	}
	n := len(r.Proposals)
	var hs []byte
	var ds [][]byte
	if ls != nil {
		hs, ds = ls.hashes, ls.datas // consumed here
	} else {
		hs, ds = make([]byte, n*proof.HashSize), make([][]byte, n)
	}
	// changed: the proposals whose leaf the round's opening did not make;
	// those accepted since have theirs made already (leafFresh), the rest
	// (stand-ins) are made now.
	var changed, todo []int
	for i, pr := range r.Proposals {
		if pr == nil || ls != nil && ls.props[i] == pr {
			continue
		}
		changed = append(changed, i)
		if ls != nil {
			if f, ok := ls.fresh[i]; ok && f.pr == pr {
				copy(hs[i*proof.HashSize:], f.hash)
				ds[i] = f.data
				continue
			}
		}
		todo = append(todo, i)
	}
	proof.Parallel(len(todo), func(l *proof.Leafer, k int) {
		i := todo[k]
		l.Scratch = m.canonical(l.Scratch[:0], i, r.Proposals[i])
		ds[i] = l.Leaf(m.econ.Plan.Councils[i].ID, r.Number, l.Scratch, m.human[i], hs[i*proof.HashSize:])
	})
	holders := m.holders(r.Proposals)
	pos := make([]int, n)
	for k, i := range holders {
		pos[i] = k
	}
	var tree *proof.Tree
	if ls != nil && sameInts(holders, ls.holders) && len(changed) <= n/8 {
		// The same councils hold leaves: update the changed ones' paths.
		tree = ls.tree
		for _, i := range changed {
			tree.Set(pos[i], hs[i*proof.HashSize:(i+1)*proof.HashSize])
		}
	} else {
		var err error
		if tree, err = proof.NewTree(m.gather(holders, hs)); err != nil {
			return nil, err
		}
	}
	var kept []proof.KeptLeaf
	for _, i := range holders {
		if m.human[i] {
			kept = append(kept, proof.KeptLeaf{Council: m.econ.Plan.Councils[i].ID, Index: pos[i], Data: ds[i]})
		}
	}
	return proof.Commit(tree, p.chain, kept), nil
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

// canonical appends council c's proposal pr as the RFC 8785 canonical
// JSON of its councils.ProposalDoc (what MarshalDoc writes, canonical):
// a consumer's {"requests": {...}}, a worker's emissions, inputs and
// outputs, each left out when empty, goods in key order.
func (m *leafMaker) canonical(dst []byte, c int, pr *planning.Proposal) []byte {
	goods := m.econ.Plan.Goods
	pollutant := func(l planning.Line) bool { return goods[l.Good].Kind == planning.Pollutant }
	all := func(planning.Line) bool { return true }
	type part struct {
		key   string
		lines []planning.Line
		take  func(planning.Line) bool
	}
	var parts []part
	if m.econ.Plan.Councils[c].Role == planning.Consumer {
		parts = []part{{"requests", pr.In, all}}
	} else {
		parts = []part{{"emissions", pr.In, pollutant}, {"inputs", pr.In, func(l planning.Line) bool { return !pollutant(l) }}, {"outputs", pr.Out, all}}
	}
	dst = append(dst, '{')
	first := true
	var buf [32]planning.Line
	for _, pt := range parts {
		// the part's lines in key order: an insertion sort, as a
		// proposal has few lines, mostly in order already
		sorted := buf[:0]
		for _, l := range pt.lines {
			if !pt.take(l) {
				continue
			}
			sorted = append(sorted, l)
			for k := len(sorted) - 1; k > 0 && m.goodRank[sorted[k].Good] < m.goodRank[sorted[k-1].Good]; k-- {
				sorted[k], sorted[k-1] = sorted[k-1], sorted[k]
			}
		}
		if len(sorted) == 0 {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = proof.AppendString(dst, pt.key)
		dst = append(dst, ':', '{')
		for k, l := range sorted {
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = proof.AppendString(dst, goods[l.Good].ID)
			dst = append(dst, ':')
			dst = proof.AppendNumber(dst, l.Qty)
		}
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// leafMaker is what making a plan's leaves needs, fixed when the plan is
// compiled: its economy, which councils are human, the councils in id
// order and each good's place in key order.
type leafMaker struct {
	econ     *councils.Economy
	human    []bool
	byID     []int
	goodRank []int
}

// newLeafMaker returns the leafMaker of economy e.
func newLeafMaker(e *councils.Economy, human []bool) *leafMaker {
	m := &leafMaker{econ: e, human: human}
	cs := e.Plan.Councils
	m.byID = make([]int, len(cs))
	for i := range m.byID {
		m.byID[i] = i
	}
	sort.Slice(m.byID, func(a, b int) bool { return cs[m.byID[a]].ID < cs[m.byID[b]].ID })
	gs := e.Plan.Goods
	idx := make([]int, len(gs))
	for j := range idx {
		idx[j] = j
	}
	sort.Slice(idx, func(a, b int) bool { return proof.KeyLess(gs[idx[a]].ID, gs[idx[b]].ID) })
	m.goodRank = make([]int, len(gs))
	for r, j := range idx {
		m.goodRank[j] = r
	}
	return m
}

func noProof(council string, round int) error {
	return councils.Errorf(councils.NotFound, "round", "council %s has no proposal committed in round %d (the round is not closed, or the council had no standing proposal in it)", council, round)
}

// servedRound is a closed round's tree and kept leaves, kept in memory
// so that the councils asking for their proofs right after the close cost
// a walk up the tree each, not a read of the round's leaf hashes.
type servedRound struct {
	round  int
	root   []byte
	tree   *proof.Tree
	leaves map[string]proof.KeptLeaf
}

func newServedRound(round int, c *proof.Commitment) *servedRound {
	sr := &servedRound{round: round, root: c.Root, tree: c.Tree, leaves: make(map[string]proof.KeptLeaf, len(c.Kept))}
	for _, l := range c.Kept {
		sr.leaves[l.Council] = l
	}
	return sr
}

// proof returns council's proof from sr.
func (sr *servedRound) proof(council string) (wire.Proof, error) {
	l, ok := sr.leaves[council]
	if !ok {
		return wire.Proof{}, noProof(council, sr.round)
	}
	path, err := sr.tree.Inclusion(uint64(l.Index))
	if err != nil {
		return wire.Proof{}, councils.InternalError(err)
	}
	return proofBody(sr.round, l.Data, l.Index, sr.tree.Size(), path, sr.root), nil
}

// proofBody is the wire form of a proof.
func proofBody(round int, data []byte, index, size int, path [][]byte, root []byte) wire.Proof {
	b64 := base64.StdEncoding.EncodeToString
	out := wire.Proof{Leaf: b64(data), Index: index, Size: size, Proof: make([]string, len(path)), Root: b64(root), Round: round}
	for i, h := range path {
		out.Proof[i] = b64(h)
	}
	return out
}

// storeCommit is c as the store keeps it.
func storeCommit(round int, c *proof.Commitment) *store.Commit {
	sc := &store.Commit{Round: round, Size: c.Size, Root: c.Root, Chain: c.Chain, Hashes: c.Hashes}
	for _, l := range c.Kept {
		sc.Leaves = append(sc.Leaves, store.Leaf{Council: l.Council, Index: l.Index, Data: l.Data})
	}
	return sc
}

// Roots returns the chain of plan id's closed rounds' roots (observer+).
func (s *Service) Roots(ctx context.Context, who Principal, id string) ([]wire.Root, error) {
	if _, err := s.lookup(who, id, OpRead); err != nil {
		return nil, err
	}
	cs, err := s.store.Commits(ctx, id)
	if err != nil {
		return nil, councils.InternalError(err)
	}
	out := make([]wire.Root, len(cs))
	b64 := base64.StdEncoding.EncodeToString
	for i, c := range cs {
		out[i] = wire.Root{Round: c.Round, Size: c.Size, Root: b64(c.Root), Chain: b64(c.Chain)}
	}
	return out, nil
}

// Proof returns the inclusion proof of who's own leaf in round's tree
// (a council token; nobody can name another council): not found if it
// had no standing proposal in that round or the round is not closed. It
// is computed from the leaf hashes the close stored.
func (s *Service) Proof(ctx context.Context, who Principal, id string, round int) (wire.Proof, error) {
	if _, err := s.lookup(who, id, OpProof); err != nil {
		return wire.Proof{}, err
	}
	p, _ := s.plan(id)
	if sr := p.latest.Load(); sr != nil && sr.round == round {
		return sr.proof(who.Council)
	}
	c, err := s.store.CommitLeaf(ctx, id, round, who.Council)
	if errors.Is(err, store.ErrNotFound) {
		return wire.Proof{}, noProof(who.Council, round)
	}
	if err != nil {
		return wire.Proof{}, councils.InternalError(err)
	}
	l := c.Leaves[0]
	path, err := proof.Inclusion(c.Hashes, uint64(l.Index))
	if err != nil {
		return wire.Proof{}, councils.InternalError(err)
	}
	return proofBody(round, l.Data, l.Index, c.Size, path, c.Root), nil
}
