package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"parecon/internal/store/storetest"
)

// TestStoreRoundTrip: migrations run once (a reopen keeps the data), a
// plan with its tokens, rounds, proposals and events reads back as
// written, a ref is unique per council, a round closes once, and a failed
// transaction leaves nothing half-written.
func TestStoreRoundTrip(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := e.New(t)
			if e.Name == "sqlite" { // in a directory Open makes
				db = filepath.Join(filepath.Dir(db), "sub", "p.db")
			}
			testRoundTrip(t, db)
		})
	}
}

func testRoundTrip(t *testing.T, path string) {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1_700_000_000_000).UTC()
	zero := 0
	err = s.CreatePlan(ctx, Plan{ID: "p1", Name: "one", Scenario: []byte(`{}`), Created: now, Status: "open", RoundDeadline: 30 * time.Second},
		[]Token{{Hash: []byte("h1"), Role: "facilitator"}, {Hash: []byte("h2"), Role: "council", Council: "north"}},
		Round{PlanID: "p1", Number: 0, Prices: []float64{1, 2.5}, Opened: now, Deadline: now.Add(30 * time.Second)},
		[]Event{{PlanID: "p1", At: now, Type: "plan.created", Detail: []byte(`{"a":1}`)}, {PlanID: "p1", At: now, Type: "round.opened", Round: &zero}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal("reopen:", err)
	}
	defer s.Close()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	tok, err := s.Token(ctx, []byte("h2"))
	if err != nil || tok.PlanID != "p1" || tok.Role != "council" || tok.Council != "north" {
		t.Fatalf("token %+v %v", tok, err)
	}
	if _, err := s.Token(ctx, []byte("nope")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	id, err := s.AddProposal(ctx, Proposal{PlanID: "p1", Round: 0, Council: "north", Ref: "r1", Body: []byte(`{"requests":{}}`), Source: "human", Created: now},
		Event{PlanID: "p1", At: now, Type: "proposal.accepted", Round: &zero, Council: "north"})
	if err != nil || id == 0 {
		t.Fatalf("add: %d %v", id, err)
	}
	// The same ref again fails, and its audit event is not written either.
	if _, err := s.AddProposal(ctx, Proposal{PlanID: "p1", Round: 0, Council: "north", Ref: "r1", Body: []byte(`{}`), Source: "human", Created: now},
		Event{PlanID: "p1", At: now, Type: "proposal.accepted", Round: &zero, Council: "north"}); err == nil {
		t.Fatal("duplicate ref stored")
	}
	p, err := s.ProposalByRef(ctx, "p1", "north", "r1")
	if err != nil || p.ID != id || string(p.Body) != `{"requests":{}}` {
		t.Fatalf("by ref: %+v %v", p, err)
	}
	one := 1
	if err := s.CloseRound(ctx, Round{PlanID: "p1", Number: 0, Closed: now, Result: []byte(`{"maxGap":0.5}`)}, nil,
		&Round{PlanID: "p1", Number: 1, Prices: []float64{1, 3}, Opened: now}, "open",
		[]Event{{PlanID: "p1", At: now, Type: "round.closed", Round: &zero}, {PlanID: "p1", At: now, Type: "round.opened", Round: &one}}); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseRound(ctx, Round{PlanID: "p1", Number: 0, Closed: now, Result: []byte(`{}`)}, nil, nil, "open", nil); err == nil {
		t.Fatal("closed a round twice")
	}
	rs, err := s.Rounds(ctx, "p1")
	if err != nil || len(rs) != 2 || rs[0].Closed.IsZero() || !rs[1].Closed.IsZero() || rs[1].Prices[1] != 3 || !rs[0].Deadline.Equal(now.Add(30*time.Second)) {
		t.Fatalf("rounds %+v %v", rs, err)
	}
	evs, err := s.Events(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range evs {
		types = append(types, e.Type)
	}
	want := []string{"plan.created", "round.opened", "proposal.accepted", "round.closed", "round.opened"}
	if len(types) != len(want) {
		t.Fatalf("events %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("events %v, want %v", types, want)
		}
	}
	plans, err := s.Plans(ctx)
	if err != nil || len(plans) != 1 || plans[0].RoundDeadline != 30*time.Second || !plans[0].Created.Equal(now) {
		t.Fatalf("plans %+v %v", plans, err)
	}
	if err := s.SetRoundDeadline(ctx, "p1", 0, 1, time.Time{}, Event{PlanID: "p1", At: now, Type: "settings.changed"}); err != nil {
		t.Fatal(err)
	}
	plans, _ = s.Plans(ctx)
	if plans[0].RoundDeadline != 0 {
		t.Fatal("deadline setting not stored")
	}
}
