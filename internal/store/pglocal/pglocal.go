// Package pglocal runs a PostgreSQL server of its own in a temporary
// directory, from Debian's binaries (/usr/lib/postgresql/*/bin, or
// $PARECON_PG_BIN), as the postgres user when run as root: for the local
// demo cluster (parecon cluster) and for tests that stop and start their
// database. It listens on 127.0.0.1 only and trusts local connections.
package pglocal

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned when no PostgreSQL binaries are installed.
var ErrNoBinaries = errors.New("pglocal: no PostgreSQL binaries (pg_ctl): apt-get install postgresql")

// Server is a local PostgreSQL server.
type Server struct {
	// URL is its postgres database (postgres://postgres@127.0.0.1:PORT/postgres).
	URL  string
	Dir  string // its data and socket directory (removed by Close)
	Port int
	bin  string
	su   bool // run the binaries as the postgres user
}

// Bin returns the directory of the PostgreSQL binaries, or ErrNoBinaries.
func Bin() (string, error) {
	bin := os.Getenv("PARECON_PG_BIN")
	if bin == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		sort.Slice(dirs, func(a, b int) bool { return version(dirs[a]) < version(dirs[b]) })
		if len(dirs) > 0 {
			bin = dirs[len(dirs)-1]
		}
	}
	if _, err := os.Stat(filepath.Join(bin, "pg_ctl")); bin == "" || err != nil {
		return "", ErrNoBinaries
	}
	return bin, nil
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// New initializes a server in a new temporary directory and starts it on
// port (0: a free one).
func New(port int) (*Server, error) {
	bin, err := Bin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "parecon-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pglocal: running as root, and no postgres user to run PostgreSQL as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s.su = true
	}
	if port == 0 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		port = l.Addr().(*net.TCPAddr).Port
		l.Close()
	}
	s.Port = port
	s.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if err := s.run("initdb", "-D", dir+"/data", "-A", "trust", "-U", "postgres"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// Start starts the server (after Stop).
func (s *Server) Start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", s.Port, s.Dir)
	return s.run("pg_ctl", "-D", s.Dir+"/data", "-l", s.Dir+"/log", "-w", "-o", opts, "start")
}

// Stop stops the server with a fast shutdown (connections are cut).
func (s *Server) Stop() error {
	return s.run("pg_ctl", "-D", s.Dir+"/data", "-m", "fast", "-w", "stop")
}

// Close stops the server at once and removes its directory.
func (s *Server) Close() error {
	err := s.run("pg_ctl", "-D", s.Dir+"/data", "-m", "immediate", "-w", "stop")
	os.RemoveAll(s.Dir)
	return err
}

// run runs one of the binaries (as the postgres user when root).
func (s *Server) run(prog string, args ...string) error {
	path := filepath.Join(s.bin, prog)
	cmd := exec.Command(path, args...)
	if s.su {
		q := []string{quote(path)}
		for _, a := range args {
			q = append(q, quote(a))
		}
		cmd = exec.Command("su", "postgres", "-c", strings.Join(q, " "))
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("pglocal: %s: %v: %s", prog, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// quote quotes a for sh.
func quote(a string) string { return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'" }
