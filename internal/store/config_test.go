package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parecon/internal/store/storetest"
)

// TestDSN: the busy timeout is the first pragma (so that the others wait
// for a lock instead of failing), then WAL, foreign keys and full
// synchronous commits; the readers are query-only and the writer takes
// its lock when a transaction begins.
func TestDSN(t *testing.T) {
	for _, ro := range []bool{false, true} {
		u, err := url.Parse(dsn("/x/p.db", ro))
		if err != nil {
			t.Fatal(err)
		}
		ps := u.Query()["_pragma"]
		if len(ps) < 4 || ps[0] != "busy_timeout(5000)" || ps[1] != "journal_mode(WAL)" || ps[2] != "foreign_keys(1)" || ps[3] != "synchronous(FULL)" {
			t.Fatalf("readOnly=%v: pragmas %v", ro, ps)
		}
		if got := u.Query().Get("_txlock"); (got == "immediate") == ro {
			t.Fatalf("readOnly=%v: _txlock %q", ro, got)
		}
	}
}

// TestConnections: both the writer and every reader run with the DSN's
// settings; the writer is one connection, the readers a pool that refuses
// writes.
func TestConnections(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) { testConnections(t, e) })
	}
}

func testConnections(t *testing.T, e storetest.Engine) {
	ctx := context.Background()
	s := openTest(t, e)
	pragma := func(db *sql.DB, name string) string {
		var v string
		if err := db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		name string
		db   *sql.DB
	}{{"writer", s.w}, {"reader", s.r}} {
		if e.Name != "sqlite" {
			break // the pragmas are SQLite's
		}
		want := map[string]string{"busy_timeout": "5000", "journal_mode": "wal", "foreign_keys": "1", "synchronous": "2"}
		for k, v := range want {
			if got := pragma(c.db, k); got != v {
				t.Errorf("%s: PRAGMA %s = %s, want %s", c.name, k, got, v)
			}
		}
	}
	if n := s.w.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool of %d connections", n)
	}
	if n := s.r.Stats().MaxOpenConnections; n < 2 {
		t.Errorf("reader pool of %d connections", n)
	}
	if _, err := s.r.ExecContext(ctx, `DELETE FROM plans`); err == nil || ClassOf(err) != ReadOnly {
		t.Errorf("a reader wrote (err %v)", err)
	}
}

// TestFileModes: a new database and its -wal and -shm files are the
// owner's only; an existing database readable by others is narrowed.
func TestFileModes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Probe(ctx); err != nil { // the WAL has a frame
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := fi.Mode().Perm(); m != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), m)
		}
	}
	s.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("reopened: mode %o, want 600", m)
	}
}

// TestCorruptRoundIsAnError: stored prices that do not decode make Rounds
// fail with ErrCorrupt naming the plan and round, not return a round
// without prices.
func TestCorruptRoundIsAnError(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) { testCorruptRound(t, e) })
	}
}

func testCorruptRound(t *testing.T, e storetest.Engine) {
	ctx := context.Background()
	s := openTest(t, e)
	if _, err := s.w.ExecContext(ctx, `UPDATE rounds SET prices = '[1,' WHERE plan_id = 'p1'`); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Rounds(ctx, "p1")
	if !errors.Is(err, ErrCorrupt) || rs != nil {
		t.Fatalf("Rounds = %v, %v; want ErrCorrupt", rs, err)
	}
	if msg := err.Error(); !strings.Contains(msg, `"p1"`) || !strings.Contains(msg, "round 0") {
		t.Fatalf("error %q does not name the plan and round", msg)
	}
	// A round closed twice is ErrRoundNotOpen.
	now := time.UnixMilli(1_700_000_000_000).UTC()
	s.w.ExecContext(ctx, `UPDATE rounds SET prices = '[1]'`)
	if err := s.CloseRound(ctx, Round{PlanID: "p1", Number: 0, Closed: now, Result: []byte(`{}`)}, nil, nil, "open", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseRound(ctx, Round{PlanID: "p1", Number: 0, Closed: now, Result: []byte(`{}`)}, nil, nil, "open", nil); !errors.Is(err, ErrRoundNotOpen) {
		t.Fatalf("second close: %v", err)
	}
}

// TestCorruptJSONColumns: a stored proposal body or verdict, an event's
// detail or a round's result that is not JSON makes its read fail with
// ErrCorrupt naming the row, instead of being handed on to a marshal that
// trusts it; DecodeJSON reports its failures the same way.
func TestCorruptJSONColumns(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_700_000_000_000).UTC()
	zero := 0
	tests := []struct {
		name   string
		damage string
		read   func(s *Store) error
		names  string
	}{
		{"proposal body", `UPDATE proposals SET body = '{"requests":'`, func(s *Store) error { _, err := s.Proposals(ctx, "p1"); return err }, "proposal 1 body"},
		{"proposal verdict", `UPDATE proposals SET verdict = 'nope'`, func(s *Store) error { _, err := s.Proposals(ctx, "p1"); return err }, "proposal 1 verdict"},
		{"proposal by ref", `UPDATE proposals SET body = '['`, func(s *Store) error { _, err := s.ProposalByRef(ctx, "p1", "north", "r1"); return err }, "proposal 1 body"},
		{"event detail", `UPDATE audit SET detail = '{'`, func(s *Store) error { _, err := s.Events(ctx, "p1"); return err }, "audit event"},
		{"round result", `UPDATE rounds SET result = 'x', closed_at = 1`, func(s *Store) error { _, err := s.Rounds(ctx, "p1"); return err }, "round 0 result"},
	}
	for _, e := range storetest.Engines(t) {
		for _, tt := range tests {
			t.Run(e.Name+"/"+tt.name, func(t *testing.T) {
				s := openTest(t, e)
				if _, err := s.AddProposal(ctx, Proposal{PlanID: "p1", Round: 0, Council: "north", Ref: "r1", Body: []byte(`{}`), Source: "human", Created: now},
					Event{PlanID: "p1", At: now, Type: "proposal.accepted", Round: &zero, Council: "north"}); err != nil {
					t.Fatal(err)
				}
				if err := tt.read(s); err != nil {
					t.Fatalf("before the damage: %v", err)
				}
				if _, err := s.w.ExecContext(ctx, tt.damage); err != nil {
					t.Fatal(err)
				}
				err := tt.read(s)
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tt.names) {
					t.Fatalf("read = %v, want ErrCorrupt naming %q", err, tt.names)
				}
			})
		}
	}
	var v map[string]int
	if err := DecodeJSON("verdict", []byte(`{"a":`), &v); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "verdict") {
		t.Fatalf("DecodeJSON: %v", err)
	}
	if err := DecodeJSON("verdict", []byte(`{"a":1}`), &v); err != nil || v["a"] != 1 {
		t.Fatalf("DecodeJSON: %v %v", v, err)
	}
}
