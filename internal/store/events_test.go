package store

import (
	"context"
	"testing"
	"time"

	"parecon/internal/store/storetest"
)

// TestEventsOfType: a plan's events of the types asked for, in seq order,
// and no other plan's or type's — on both engines (a query that binds
// SQLite's placeholders only failed on PostgreSQL once).
func TestEventsOfType(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, e.New(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			now := time.UnixMilli(1_700_000_000_000).UTC()
			for _, id := range []string{"a", "b"} {
				if err := s.CreatePlan(ctx, Plan{ID: id, Name: id, Scenario: []byte("{}"), Options: []byte("{}"), Created: now, Status: "open"}, nil, Round{PlanID: id, Opened: now}, nil); err != nil {
					t.Fatal(err)
				}
			}
			var evs []Event
			for i, typ := range []string{"good.accepted", "round.closed", "good.withdrawn", "good.accepted"} {
				for _, id := range []string{"a", "b"} {
					evs = append(evs, Event{PlanID: id, At: now.Add(time.Duration(i) * time.Millisecond), Type: typ, Detail: []byte(`{"i":1}`)})
				}
			}
			if err := s.AddEvents(ctx, evs...); err != nil {
				t.Fatal(err)
			}
			got, err := s.EventsOfType(ctx, "a", "good.accepted", "good.withdrawn")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || got[0].Type != "good.accepted" || got[1].Type != "good.withdrawn" || got[2].Type != "good.accepted" {
				t.Fatalf("plan a's good events: %+v", got)
			}
			for i, ev := range got {
				if ev.PlanID != "a" || i > 0 && ev.Seq <= got[i-1].Seq {
					t.Fatalf("plan a's good events out of order or of another plan: %+v", got)
				}
			}
		})
	}
}
