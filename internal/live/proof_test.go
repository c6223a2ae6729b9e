package live

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/gowebpki/jcs"

	"parecon/councils"
	"parecon/internal/proof"
	"parecon/internal/wire"
)

// TestCanonicalProposal: a leaf's proposal, written from the board's
// lines, is the library's RFC 8785 form of what MarshalDoc writes, for
// every council of generated economies (workers with emissions, CES,
// people) over a few rounds.
func TestCanonicalProposal(t *testing.T) {
	for _, o := range []councils.GenOptions{{Goods: 20, Councils: 300, Seed: 3}, {Goods: 8, Councils: 100, Seed: 9, CES: true, People: 0.5}} {
		sc, err := councils.Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		e, err := councils.NewEconomy(sc)
		if err != nil {
			t.Fatal(err)
		}
		lv, err := councils.NewProcess(e, councils.ProcessOptions{Rule: "tatonnement", Tolerance: 1e-300, MaxRounds: 100})
		if err != nil {
			t.Fatal(err)
		}
		p := &plan{econ: e, human: make([]bool, len(e.Plan.Councils))}
		p.leaves = newLeafMaker(e, p.human)
		for round := 0; round < 3; round++ {
			for c, pr := range lv.Round().Proposals {
				if pr == nil {
					continue
				}
				want, err := jcs.Transform(councils.MarshalDoc(e.Doc(c, pr)))
				if err != nil {
					t.Fatal(err)
				}
				if got := p.leaves.canonical(nil, c, pr); !bytes.Equal(got, want) {
					t.Fatalf("council %s: got %s, want %s", e.Plan.Councils[c].ID, got, want)
				}
			}
			if _, err := lv.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestCommitPrepared: a round's root is the same whether its leaves were
// made when it opened and then changed at the close (a council submits,
// another joins) or all at the close; the kept leaves prove their place.
func TestCommitPrepared(t *testing.T) {
	ctx := context.Background()
	s, _ := testService(t)
	pc := create(t, s, attackScenario(`{}`))
	p, _ := s.plan(pc.ID)
	for round, subs := range attackSchedule[:5] {
		for _, id := range sortedIDs(subs) {
			c := s.hub.NewClient(nil, pc.ID, RoleCouncil, id)
			if err := s.Submit(ctx, pc.council(id), c, councilsSubmit(round, subs[id])); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CloseRound(ctx, pc.fac, pc.ID, &round, nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	roots, err := s.Roots(ctx, Principal{Plan: pc.ID, Role: RoleObserver}, pc.ID)
	if err != nil || len(roots) != 5 {
		t.Fatalf("%d roots, %v", len(roots), err)
	}
	// Every human council's proof of every round it had a proposal in.
	var entries []proof.RootEntry
	for _, r := range roots {
		root, _ := base64.StdEncoding.DecodeString(r.Root)
		chain, _ := base64.StdEncoding.DecodeString(r.Chain)
		entries = append(entries, proof.RootEntry{Round: r.Round, Size: r.Size, Root: root, Chain: chain})
	}
	if err := proof.VerifyChain(entries); err != nil {
		t.Fatal(err)
	}
	proofs := 0
	for _, id := range []string{"h0", "h1", "h2", "h3", "h4", "h5"} {
		for n := range roots {
			pf, err := s.Proof(ctx, pc.council(id), pc.ID, n)
			if kind(err) == councils.NotFound {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			data, _ := base64.StdEncoding.DecodeString(pf.Leaf)
			path := make([][]byte, len(pf.Proof))
			for i, h := range pf.Proof {
				path[i], _ = base64.StdEncoding.DecodeString(h)
			}
			if err := proof.VerifyInclusion(data, uint64(pf.Index), uint64(pf.Size), path, entries[n].Root); err != nil {
				t.Errorf("%s round %d: %v", id, n, err)
			}
			proofs++
		}
	}
	if proofs != 1+2+4+4+5 {
		t.Errorf("%d proofs, want one per human council and round it had a proposal in (16)", proofs)
	}
	// The open round's leaves were made when it opened; h0 changes its
	// proposal since. The close's tree (the prepared one, h0's path
	// updated) is the tree of its leaves, and every kept leaf is the
	// council's standing proposal, in the root.
	c := s.hub.NewClient(nil, pc.ID, RoleCouncil, "h0")
	if err := s.Submit(ctx, pc.council("h0"), c, councilsSubmit(5, `{"requests":{"bread":0.5,"veg":0.25}}`)); err != nil {
		t.Fatal(err)
	}
	p.call(ctx, func() {
		r := p.live.Round()
		if p.pre == nil || p.pre.round != 5 {
			t.Error("round 5's leaves were not prepared when it opened")
			return
		}
		a, err := p.commit(r)
		if err != nil {
			t.Error(err)
			return
		}
		if root, _ := proof.Root(a.Hashes); !bytes.Equal(root, a.Root) {
			t.Error("the updated tree's root is not its leaves' root")
		}
		for _, k := range a.Kept {
			leaf, err := proof.ParseLeaf(k.Data)
			if err != nil {
				t.Fatal(err)
			}
			i, _ := p.council(k.Council)
			if want := p.leaves.canonical(nil, i, r.Proposals[i]); !bytes.Equal(leaf.Proposal, want) || leaf.Round != 5 {
				t.Errorf("%s's leaf holds %s of round %d, its standing proposal is %s", k.Council, leaf.Proposal, leaf.Round, want)
			}
			path, _ := proof.Inclusion(a.Hashes, uint64(k.Index))
			if err := proof.VerifyInclusion(k.Data, uint64(k.Index), uint64(a.Size), path, a.Root); err != nil {
				t.Errorf("%s: %v", k.Council, err)
			}
		}
		if len(a.Kept) != 5 {
			t.Errorf("%d kept leaves, want the five human councils with a proposal'", len(a.Kept))
		}
	})
}

func councilsSubmit(round int, body string) wire.Submit {
	return wire.Submit{Ref: fmt.Sprintf("s%d-%s", round, body), Round: round, Proposal: []byte(body)}
}
