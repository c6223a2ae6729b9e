package storetest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Server is a PostgreSQL server of a test's own, which it may stop and
// start (a restart drill) without disturbing the other tests' server.
type Server struct {
	// URL is a database on it (postgres://…).
	URL      string
	ctl      func(args ...string) error
	dir      string
	port     int
	pgctlOpt string
}

// Stop stops the server (fast shutdown: connections are cut).
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.ctl("-D", s.dir+"/data", "-m", "fast", "-w", "stop"); err != nil {
		t.Fatalf("stopping PostgreSQL: %v", err)
	}
}

// Start starts it again.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	if err := s.ctl("-D", s.dir+"/data", "-l", s.dir+"/log", "-w", "-o", s.pgctlOpt, "start"); err != nil {
		t.Fatalf("starting PostgreSQL: %v", err)
	}
}

// Private initializes and starts a PostgreSQL server of t's own, from
// Debian's binaries (/usr/lib/postgresql/*/bin, or PARECON_TEST_PG_BIN),
// run as the postgres user when the test runs as root. It is stopped
// when t ends. Without the binaries the test is skipped, except in CI.
func Private(t testing.TB) *Server {
	t.Helper()
	bin := os.Getenv("PARECON_TEST_PG_BIN")
	if bin == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		sort.Strings(dirs)
		if len(dirs) > 0 {
			bin = dirs[len(dirs)-1]
		}
	}
	if _, err := os.Stat(filepath.Join(bin, "pg_ctl")); bin == "" || err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no PostgreSQL binaries (pg_ctl) found: CI installs postgresql")
		}
		t.Skip("no PostgreSQL binaries (pg_ctl)")
	}
	dir, err := os.MkdirTemp("", "parecon-pg-")
	if err != nil {
		t.Fatal(err)
	}
	var asUser []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root without a postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		asUser = []string{"su", "postgres", "-c"}
	}
	run := func(prog string, args ...string) error {
		cmd := exec.Command(filepath.Join(bin, prog), args...)
		if asUser != nil {
			q := []string{shellQuote(filepath.Join(bin, prog))}
			for _, a := range args {
				q = append(q, shellQuote(a))
			}
			cmd = exec.Command(asUser[0], append(asUser[1:], strings.Join(q, " "))...)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s %v: %v: %s", prog, args, err, out)
		}
		return nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Server{dir: dir, port: port, ctl: func(args ...string) error { return run("pg_ctl", args...) },
		pgctlOpt: fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=100", port, dir),
		URL:      fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}
	if err := run("initdb", "-D", dir+"/data", "-A", "trust", "-U", "postgres"); err != nil {
		os.RemoveAll(dir)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.ctl("-D", dir+"/data", "-m", "immediate", "stop")
		os.RemoveAll(dir)
	})
	s.Start(t)
	return s
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
