package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"parecon/internal/store/storetest"
)

// openTest opens a new store of engine e with one plan "p1" in it.
func openTest(t *testing.T, e storetest.Engine) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, e.New(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	now := time.UnixMilli(1_700_000_000_000).UTC()
	if err := s.CreatePlan(ctx, Plan{ID: "p1", Name: "one", Scenario: []byte(`{}`), Created: now, Status: "open"},
		[]Token{{Hash: []byte("h1"), Role: "facilitator"}}, Round{PlanID: "p1", Prices: []float64{1}, Opened: now}, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestClassOf: the errors a real database gives when it is read-only,
// full, asked to break a constraint or closed are classified by their
// result codes, through wrapping; anything else is Other.
func TestClassOf(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_700_000_000_000).UTC()
	addEvent := func(s *Store) error {
		return s.AddEvents(ctx, Event{PlanID: "p1", At: now, Type: "x", Detail: []byte(`"` + strings.Repeat("x", 64<<10) + `"`)})
	}
	tests := []struct {
		name string
		err  func(t *testing.T, s *Store) error
		want Class
		only string // the one engine the case applies to ("" = both)
	}{
		{"read-only", func(t *testing.T, s *Store) error {
			if err := s.Degrade(ctx, "query_only=1"); err != nil {
				t.Fatal(err)
			}
			return addEvent(s)
		}, ReadOnly, ""},
		{"full", func(t *testing.T, s *Store) error {
			n, err := s.PageCount(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Degrade(ctx, fmt.Sprintf("max_page_count=%d", n)); err != nil {
				t.Fatal(err)
			}
			return addEvent(s)
		}, Full, "sqlite"},
		{"duplicate plan", func(t *testing.T, s *Store) error {
			return s.CreatePlan(ctx, Plan{ID: "p1", Scenario: []byte(`{}`), Created: now, Status: "open"}, nil, Round{PlanID: "p1", Opened: now}, nil)
		}, Constraint, ""},
		{"foreign key", func(t *testing.T, s *Store) error {
			return s.AddEvents(ctx, Event{PlanID: "nobody", At: now, Type: "x"})
		}, Constraint, ""},
		{"wrapped", func(t *testing.T, s *Store) error {
			s.Degrade(ctx, "query_only=1")
			return fmt.Errorf("creating: %w", addEvent(s))
		}, ReadOnly, ""},
		{"closed", func(t *testing.T, s *Store) error {
			s.Close()
			return addEvent(s)
		}, Closed, ""},
		{"probe read-only", func(t *testing.T, s *Store) error {
			s.Degrade(ctx, "query_only=1")
			return s.Probe(ctx)
		}, ReadOnly, ""},
		{"probe closed", func(t *testing.T, s *Store) error {
			s.Close()
			return s.Probe(ctx)
		}, Closed, ""},
		{"postgres down", func(t *testing.T, s *Store) error {
			// A server that is not there: the connection is refused.
			defer func(w time.Duration) { ConnectWait = w }(ConnectWait)
			ConnectWait = 0
			_, err := Open(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
			return err
		}, Down, "postgres"},
		{"not a database error", func(t *testing.T, s *Store) error { return errors.New("full read-only busy") }, Other, ""},
		{"context", func(t *testing.T, s *Store) error { return context.Canceled }, Other, ""},
	}
	for _, e := range storetest.Engines(t) {
		for _, tt := range tests {
			if tt.only != "" && tt.only != e.Name {
				continue
			}
			t.Run(e.Name+"/"+tt.name, func(t *testing.T) {
				s := openTest(t, e)
				err := tt.err(t, s)
				if err == nil {
					t.Fatal("no error")
				}
				if got := ClassOf(err); got != tt.want {
					t.Fatalf("ClassOf(%v) = %v, want %v", err, got, tt.want)
				}
			})
		}
	}
	if ClassOf(nil) != Other {
		t.Fatal("ClassOf(nil) is not Other")
	}
}

// TestProbe: the write probe succeeds on a writable database, fails while
// it is read-only and succeeds again once it is writable.
func TestProbe(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) { testProbe(t, e) })
	}
}

func testProbe(t *testing.T, e storetest.Engine) {
	ctx := context.Background()
	s := openTest(t, e)
	steps := []struct {
		pragma string
		ok     bool
	}{{"", true}, {"query_only=1", false}, {"query_only=0", true}}
	for _, st := range steps {
		if st.pragma != "" {
			if err := s.Degrade(ctx, st.pragma); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Probe(ctx); (err == nil) != st.ok {
			t.Fatalf("after %q: Probe() = %v, want ok=%v", st.pragma, err, st.ok)
		}
	}
}
