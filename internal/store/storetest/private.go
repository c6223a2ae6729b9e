package storetest

import (
	"errors"
	"os"
	"testing"

	"parecon/internal/store/pglocal"
)

// Server is a PostgreSQL server of a test's own, which it may stop and
// start (a restart drill) without disturbing the other tests' server.
type Server struct {
	// URL is a database on it (postgres://…).
	URL string
	s   *pglocal.Server
}

// Stop stops the server (fast shutdown: connections are cut).
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.s.Stop(); err != nil {
		t.Fatalf("stopping PostgreSQL: %v", err)
	}
}

// Start starts it again.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	if err := s.s.Start(); err != nil {
		t.Fatalf("starting PostgreSQL: %v", err)
	}
}

// Private starts a PostgreSQL server of t's own (pglocal), stopped and
// removed when t ends. Without PostgreSQL's binaries the test is skipped,
// except in CI, where it fails.
func Private(t testing.TB) *Server {
	t.Helper()
	s, err := pglocal.New(0)
	if errors.Is(err, pglocal.ErrNoBinaries) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &Server{URL: s.URL, s: s}
}
