package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"parecon/internal/store/storetest"
)

// TestGroupCommit: 400 proposals written at once by 400 goroutines commit
// in far fewer transactions than writes; a write that fails inside a group
// (a duplicate ref) fails alone, and its audit event is not written; every
// other write is there, with its event, after a reopen.
func TestGroupCommit(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) { testGroupCommit(t, e) })
	}
}

func testGroupCommit(t *testing.T, e storetest.Engine) {
	ctx := context.Background()
	path := e.New(t)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1_700_000_000_000).UTC()
	if err := s.CreatePlan(ctx, Plan{ID: "p", Name: "p", Scenario: []byte(`{}`), Created: now, Status: "open"}, nil,
		Round{PlanID: "p", Number: 0, Prices: []float64{1}, Opened: now}, nil); err != nil {
		t.Fatal(err)
	}
	g0, w0 := s.Stats()
	const n = 400
	var wg sync.WaitGroup
	ids := make([]int64, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref := fmt.Sprintf("r%d", i)
			if i%50 == 49 {
				ref = "dup" // one of these wins, the others fail alone
			}
			zero := 0
			ids[i], errs[i] = s.AddProposal(ctx, Proposal{PlanID: "p", Round: 0, Council: "c", Ref: ref, Body: []byte(`{}`), Source: "human", Created: now},
				Event{PlanID: "p", At: now, Type: "proposal.accepted", Round: &zero, Council: "c", Detail: []byte(fmt.Sprintf(`{"i":%d}`, i))})
		}()
	}
	wg.Wait()
	okN, dupOK := 0, 0
	seen := map[int64]bool{}
	for i := range ids {
		if errs[i] != nil {
			if i%50 != 49 {
				t.Fatalf("write %d failed: %v", i, errs[i])
			}
			continue
		}
		if seen[ids[i]] {
			t.Fatalf("id %d given twice", ids[i])
		}
		seen[ids[i]] = true
		okN++
		if i%50 == 49 {
			dupOK++
		}
	}
	if dupOK != 1 || okN != n-n/50+1 {
		t.Fatalf("%d writes succeeded (%d of the duplicate ref), want %d and 1", okN, dupOK, n-n/50+1)
	}
	g1, w1 := s.Stats()
	if int(w1-w0) != okN {
		t.Fatalf("stats count %d writes, want %d", w1-w0, okN)
	}
	if g1-g0 >= int64(okN)/2 {
		t.Fatalf("%d writes took %d commits: not grouped", okN, g1-g0)
	}
	t.Logf("%d writes in %d commits", okN, g1-g0)
	s.Close()
	if err := s.AddEvents(ctx, Event{PlanID: "p", At: now, Type: "x"}); err != ErrClosed {
		t.Fatalf("write after close: %v", err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ps, err := s.Proposals(ctx, "p")
	if err != nil || len(ps) != okN {
		t.Fatalf("%d proposals stored, want %d (%v)", len(ps), okN, err)
	}
	evs, err := s.Events(ctx, "p")
	if err != nil || len(evs) != okN {
		t.Fatalf("%d events stored, want %d: a failed write left its event (%v)", len(evs), okN, err)
	}
}
