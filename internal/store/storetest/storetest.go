// Package storetest gives tests a database of each engine: a fresh SQLite
// file, and a fresh PostgreSQL database on the server named by the
// environment variable PARECON_TEST_POSTGRES (a postgres:// URL of a role
// that may create databases). In CI (CI=true) a missing or unreachable
// PostgreSQL fails the test: the engine is never skipped there.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
)

// Env is the environment variable holding the PostgreSQL server's URL.
const Env = "PARECON_TEST_POSTGRES"

// Engine is one engine tests run against.
type Engine struct {
	// Name is "sqlite" or "postgres".
	Name string
	// New returns the name of a new, empty database (a file path or a
	// postgres:// URL) that is removed when t ends.
	New func(t testing.TB) string
}

// Engines returns the engines to test: SQLite always, PostgreSQL when
// PARECON_TEST_POSTGRES is set. In CI it must be set (else t fails).
func Engines(t testing.TB) []Engine {
	es := []Engine{{Name: "sqlite", New: func(t testing.TB) string { return filepath.Join(t.TempDir(), "p.db") }}}
	if os.Getenv(Env) == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI runs every store test on PostgreSQL too (.ci/run sets it)", Env)
		}
		return es
	}
	return append(es, Engine{Name: "postgres", New: Postgres})
}

// Postgres creates a new database on the server PARECON_TEST_POSTGRES
// names and returns its URL; the database is dropped when t ends. Without
// the variable the test is skipped, except in CI, where it fails.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI runs the PostgreSQL tests (.ci/run sets it)", Env)
		}
		t.Skipf("%s is not set: no PostgreSQL to test against", Env)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "parecon_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database on %s: %v", Env, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		a.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}
