package live

import (
	"context"
	"encoding/base64"
	"errors"

	"parecon/councils"
	"parecon/internal/proof"
	"parecon/internal/store"
	"parecon/internal/wire"
	"parecon/planning"
)

// commit commits closed round r to a Merkle root over its standing
// proposals, chained to the round before (close worker). The leaves of
// human councils, the ones with a token to ask for their proof, are kept.
func (p *plan) commit(r *planning.Round) (*proof.Commitment, error) {
	var counted []proof.Counted
	for i, pr := range r.Proposals {
		if pr == nil {
			continue
		}
		i, pr := i, pr
		counted = append(counted, proof.Counted{ID: p.econ.Plan.Councils[i].ID, Keep: p.human[i],
			Proposal: func() []byte { return councils.MarshalDoc(p.econ.Doc(i, pr)) }})
	}
	return proof.Commit(r.Number, p.chain, counted)
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
	c, err := s.store.CommitLeaf(ctx, id, round, who.Council)
	if errors.Is(err, store.ErrNotFound) {
		return wire.Proof{}, councils.Errorf(councils.NotFound, "round", "council %s has no proposal committed in round %d (the round is not closed, or the council had no standing proposal in it)", who.Council, round)
	}
	if err != nil {
		return wire.Proof{}, councils.InternalError(err)
	}
	l := c.Leaves[0]
	path, err := proof.Inclusion(c.Hashes, uint64(l.Index))
	if err != nil {
		return wire.Proof{}, councils.InternalError(err)
	}
	b64 := base64.StdEncoding.EncodeToString
	out := wire.Proof{Leaf: b64(l.Data), Index: l.Index, Size: c.Size, Proof: make([]string, len(path)), Root: b64(c.Root), Round: round}
	for i, h := range path {
		out.Proof[i] = b64(h)
	}
	return out, nil
}
