package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/store"
)

// TestLimiter: a client gets its burst at once, then one request per
// refill interval, and waits the time it is told; clients do not share
// buckets; a full table of clients forgets the refilled ones first.
func TestLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newLimiter(6, 3, func() time.Time { return now }) // one per 10 s
	steps := []struct {
		advance time.Duration
		key     string
		ok      bool
		wait    time.Duration
	}{
		{0, "a", true, 0}, {0, "a", true, 0}, {0, "a", true, 0},
		{0, "a", false, 10 * time.Second},
		{0, "b", true, 0},
		{4 * time.Second, "a", false, 6 * time.Second},
		{6 * time.Second, "a", true, 0},
		{0, "a", false, 10 * time.Second},
		{time.Hour, "a", true, 0}, {0, "a", true, 0}, {0, "a", true, 0}, // refilled to the burst, no more
		{0, "a", false, 10 * time.Second},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		ok, wait := l.allow(s.key)
		if ok != s.ok || (wait-s.wait).Abs() > time.Millisecond {
			t.Fatalf("step %d (%s): allow = %v, %v; want %v, %v", i, s.key, ok, wait, s.ok, s.wait)
		}
	}
	for i := 0; len(l.buckets) < maxBuckets; i++ {
		l.allow(fmt.Sprint("x", i))
	}
	now = now.Add(time.Hour) // every bucket refilled
	if ok, _ := l.allow("newcomer"); !ok || len(l.buckets) > 2 {
		t.Fatalf("a full table refused a newcomer (ok %v) or kept %d refilled buckets", ok, len(l.buckets))
	}
}

// TestClientKey: IPv4 by address, IPv6 by its /64, with or without port.
func TestClientKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"203.0.113.7:5555", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2::9]:80", "2001:db8:1:2::/64"},
		{"not an ip", "not an ip"},
	}
	for _, tt := range tests {
		if got := clientKey(tt.in); got != tt.want {
			t.Errorf("clientKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCutName: names are cut at a rune boundary to the limit, with "…".
func TestCutName(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{{"short", 10, "short"}, {"abcdefghij", 10, "abcdefghij"}, {"abcdefghijk", 10, "abcdefg…"}, {"ééééééé", 10, "ééé…"}} {
		got := cutName(tt.in, tt.n)
		if got != tt.want || len(got) > tt.n || !utf8.ValidString(got) {
			t.Errorf("cutName(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestStatusTable: every kind has its own status, and echo's errors map
// back to the kind of their status.
func TestStatusTable(t *testing.T) {
	seen := map[int]councils.ErrorKind{}
	for k, s := range statusOf {
		if o, dup := seen[s]; dup {
			t.Fatalf("%s and %s both map to %d", k, o, s)
		}
		seen[s] = k
		if kindOfStatus(s) != k {
			t.Fatalf("kindOfStatus(%d) = %s, want %s", s, kindOfStatus(s), k)
		}
	}
	if kindOfStatus(http.StatusTeapot) != councils.Invalid || kindOfStatus(http.StatusBadGateway) != councils.Internal {
		t.Fatal("unlisted statuses")
	}
}

// TestClassify: database errors inside internal ones take the kind of
// their SQLite result code (read from real failures), and everything
// else keeps its kind.
func TestClassify(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_700_000_000_000)
	open := func(t *testing.T) *store.Store {
		s, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	addPlan := func(s *store.Store) error {
		return s.CreatePlan(ctx, store.Plan{ID: "p", Scenario: []byte(`{}`), Created: now, Status: "open"}, nil, store.Round{PlanID: "p", Opened: now}, nil)
	}
	tests := []struct {
		name   string
		err    func(t *testing.T) error
		kind   councils.ErrorKind
		status int
	}{
		{"read-only", func(t *testing.T) error {
			s := open(t)
			s.Degrade(ctx, "query_only=1")
			return councils.InternalError(addPlan(s))
		}, councils.Unavailable, 503},
		{"full", func(t *testing.T) error {
			s := open(t)
			n, _ := s.PageCount(ctx)
			s.Degrade(ctx, fmt.Sprintf("max_page_count=%d", n))
			big := store.Event{PlanID: "p", At: now, Type: "x", Detail: []byte(`"` + fmt.Sprintf("%0100000d", 0) + `"`)}
			if err := addPlan(s); err != nil {
				return councils.InternalError(err)
			}
			return councils.InternalError(s.AddEvents(ctx, big))
		}, councils.InsufficientStorage, 507},
		{"constraint", func(t *testing.T) error {
			s := open(t)
			addPlan(s)
			return councils.InternalError(addPlan(s))
		}, councils.Conflict, 409},
		{"closed", func(t *testing.T) error {
			s := open(t)
			s.Close()
			return fmt.Errorf("wrapped: %w", councils.InternalError(addPlan(s)))
		}, councils.Unavailable, 503},
		{"plain internal", func(t *testing.T) error { return councils.InternalError(errors.New("disk full read-only")) }, councils.Internal, 500},
		{"not an Error", func(t *testing.T) error { return errors.New("boom") }, councils.Internal, 500},
		{"invalid", func(t *testing.T) error { return councils.Errorf(councils.Invalid, "x", "bad") }, councils.Invalid, 400},
		{"echo 405", func(t *testing.T) error { return echo.ErrMethodNotAllowed }, MethodNotAllowed, 405},
		{"echo 404", func(t *testing.T) error { return echo.ErrNotFound }, councils.NotFound, 404},
		{"echo 413", func(t *testing.T) error { return echo.ErrStatusRequestEntityTooLarge }, councils.TooLarge, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := classify(tt.err(t))
			if e.Kind != tt.kind || statusOf[e.Kind] != tt.status || e.Message == "" {
				t.Fatalf("classify = %s %q (%d), want %s (%d)", e.Kind, e.Message, statusOf[e.Kind], tt.kind, tt.status)
			}
		})
	}
}

// TestPatternMatches: route patterns match whole segments, ":x" one.
func TestPatternMatches(t *testing.T) {
	for _, tt := range []struct {
		pattern, path string
		want          bool
	}{
		{"/api/plans", "/api/plans", true},
		{"/api/plans/:id", "/api/plans/abc", true},
		{"/api/plans/:id", "/api/plans/", false},
		{"/api/plans/:id/settings", "/api/plans/abc/settings", true},
		{"/api/plans/:id/settings", "/api/plans/abc/rounds", false},
		{"/healthz", "/healthz/x", false},
	} {
		segs := splitPath(tt.path)
		if got := patternMatches(tt.pattern, segs); got != tt.want {
			t.Errorf("patternMatches(%q, %q) = %v", tt.pattern, tt.path, got)
		}
	}
}
