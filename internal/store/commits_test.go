package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"parecon/internal/store/storetest"
)

// TestCommits: a round's commitment and its leaves are stored with its
// close and read back (Commits in round order, CommitLeaf with the
// hashes and one council's leaf), a council without a leaf or a round
// without a commitment is ErrNotFound, a refused close stores no
// commitment (on PostgreSQL a close made under a privacy setting that
// has changed is ErrStale), and a plan's privacy setting round-trips
// (NULL until set) and is refused once a round has closed — on both
// engines.
func TestCommits(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) { testCommits(t, e) })
	}
}

func testCommits(t *testing.T, e storetest.Engine) {
	ctx := context.Background()
	s, err := Open(ctx, e.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.UnixMilli(1_700_000_000_000).UTC()
	if err := s.CreatePlan(ctx, Plan{ID: "p", Name: "p", Scenario: []byte("{}"), Options: []byte("{}"), Created: now, Status: "open"}, nil, Round{PlanID: "p", Opened: now}, nil); err != nil {
		t.Fatal(err)
	}
	if row, err := s.Plan(ctx, "p"); err != nil || row.Privacy != nil {
		t.Fatalf("a new plan's privacy: %q, %v; want NULL", row.Privacy, err)
	}
	if err := s.SetPrivacy(ctx, "p", []byte(`{"k":3}`), Event{PlanID: "p", At: now, Type: "privacy.changed", Detail: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if row, err := s.Plan(ctx, "p"); err != nil || string(row.Privacy) != `{"k":3}` {
		t.Fatalf("privacy after SetPrivacy: %q, %v", row.Privacy, err)
	}
	// Enough leaves to need more than one batch of rows.
	const n = 1203
	commit := func(round int) *Commit {
		c := &Commit{Round: round, Size: n, Root: bytes.Repeat([]byte{byte(round + 1)}, 32), Chain: bytes.Repeat([]byte{byte(round + 9)}, 32), Hashes: make([]byte, 32*n)}
		for i := range n {
			c.Hashes[32*i] = byte(i)
			c.Leaves = append(c.Leaves, Leaf{Council: fmt.Sprintf("c%04d", i), Index: i, Data: []byte(fmt.Sprintf(`{"round":%d,"i":%d}`, round, i))})
		}
		return c
	}
	zero := 0
	if e.Name == "postgres" {
		// A close made under another privacy setting (another server
		// changed it meanwhile) is stale: nothing of it is stored.
		if err := s.CloseRound(ctx, Round{PlanID: "p", Number: 0, Closed: now, Result: []byte("{}"), Commit: commit(0), Seen: &zero}, nil, &Round{PlanID: "p", Number: 1, Opened: now}, "open", nil); !errors.Is(err, ErrStale) {
			t.Fatalf("a close under an old privacy setting: %v, want ErrStale", err)
		}
		if cs, err := s.Commits(ctx, "p"); err != nil || len(cs) != 0 {
			t.Fatalf("a stale close stored commits %+v (%v)", cs, err)
		}
	}
	for r := range 2 {
		next := &Round{PlanID: "p", Number: r + 1, Opened: now}
		if err := s.CloseRound(ctx, Round{PlanID: "p", Number: r, Closed: now, Result: []byte("{}"), Commit: commit(r), Seen: &zero, Privacy: []byte(`{"k":3}`)}, nil, next, "open", nil); err != nil {
			t.Fatal(err)
		}
	}
	// Once a round has closed the setting stays.
	if err := s.SetPrivacy(ctx, "p", []byte(`{"k":5}`), Event{PlanID: "p", At: now, Type: "privacy.changed", Detail: []byte("{}")}); !errors.Is(err, ErrRoundNotOpen) {
		t.Fatalf("SetPrivacy after a close: %v, want ErrRoundNotOpen", err)
	}
	if row, err := s.Plan(ctx, "p"); err != nil || string(row.Privacy) != `{"k":3}` {
		t.Fatalf("privacy after a refused SetPrivacy: %q, %v", row.Privacy, err)
	}
	// Refused (the round is closed already): nothing of it is stored.
	if err := s.CloseRound(ctx, Round{PlanID: "p", Number: 0, Closed: now, Result: []byte("{}"), Commit: commit(5)}, nil, nil, "open", nil); !errors.Is(err, ErrRoundNotOpen) {
		t.Fatalf("closing round 0 again: %v", err)
	}
	cs, err := s.Commits(ctx, "p")
	if err != nil || len(cs) != 2 {
		t.Fatalf("commits: %+v, %v", cs, err)
	}
	for r, c := range cs {
		want := commit(r)
		if c.Round != r || c.Size != n || !bytes.Equal(c.Root, want.Root) || !bytes.Equal(c.Chain, want.Chain) {
			t.Fatalf("commit %d: %+v", r, c)
		}
	}
	for _, tc := range []struct {
		round   int
		council string
		index   int
	}{{0, "c0000", 0}, {1, "c0700", 700}, {1, "c1202", 1202}} {
		c, err := s.CommitLeaf(ctx, "p", tc.round, tc.council)
		if err != nil {
			t.Fatal(err)
		}
		want := commit(tc.round)
		if len(c.Leaves) != 1 || c.Leaves[0].Council != tc.council || c.Leaves[0].Index != tc.index || !bytes.Equal(c.Leaves[0].Data, want.Leaves[tc.index].Data) {
			t.Fatalf("round %d leaf of %s: %+v", tc.round, tc.council, c.Leaves)
		}
		if !bytes.Equal(c.Hashes, want.Hashes) || !bytes.Equal(c.Root, want.Root) || c.Size != n {
			t.Fatalf("round %d: hashes or root differ", tc.round)
		}
	}
	for _, tc := range []struct {
		round   int
		council string
	}{{0, "nobody"}, {2, "c0000"}, {7, "c0000"}} {
		if _, err := s.CommitLeaf(ctx, "p", tc.round, tc.council); !errors.Is(err, ErrNotFound) {
			t.Fatalf("round %d leaf of %s: %v, want ErrNotFound", tc.round, tc.council, err)
		}
	}
}
