package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx", for pg_locks

	"parecon/internal/loadtest"
	"parecon/internal/store"
)

func cmdLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon loadtest (--server URL... | --spawn [--servers N --db postgres://…] [--kill-leader]) --councils N --rounds R [--json]\n\nCreates a plan of N human councils from a generated economy, holds one\nwebsocket per council on loopback (spread over the servers given, which\nshare one PostgreSQL database), has every council submit a valid\nproposal in each of R rounds (the server closes a round when every council\nhas submitted; a stalled round is closed by the facilitator), and reports\nthe connections held, acknowledged proposals per second, acknowledgement\nlatency, how long round.closed takes to reach every client, and the\nserver's peak memory. Loopback servers only.\n\nflags:")
		fs.PrintDefaults()
	}
	var servers []string
	fs.Func("server", "a server's base `URL` (http://127.0.0.1:PORT); repeat it for several servers of one PostgreSQL database, over which the councils are spread", func(v string) error {
		servers = append(servers, v)
		return nil
	})
	spawn := fs.Bool("spawn", false, "start `parecon serve` on a fresh database in a temporary directory and test it")
	spawnN := fs.Int("servers", 1, "with --spawn and --db: how many servers to start on the PostgreSQL database")
	db := fs.String("db", "", "with --spawn: a PostgreSQL `URL` (postgres://…, an empty database) for --servers servers")
	killLeader := fs.Bool("kill-leader", false, "with --spawn --servers N>1: SIGKILL the server leading the plan mid-round (once a third of the councils' proposals of round 2 are in)")
	n := fs.Int("councils", 1000, "human councils, one websocket each")
	rounds := fs.Int("rounds", 3, "rounds every council submits in")
	goods := fs.Int("goods", 12, "produced goods of the generated economy")
	seed := fs.Uint64("seed", 1, "seed of the generated economy")
	timeout := fs.Duration("timeout", 5*time.Minute, "stop after `DURATION` whatever happened")
	pid := fs.Int("server-pid", 0, "the server's process id, for its memory (default: found by the port)")
	dialers := fs.Int("dialers", 64, "connections opened at once")
	fac := fs.Bool("facilitator", false, "also hold the facilitator's websocket, which gets a frame per proposal; dropping it is an error")
	spread := fs.Duration("spread", 0, "spread each round's proposals evenly over `DURATION` after it opens (0: all at once)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	quiet := fs.Bool("quiet", false, "no progress lines on stderr")
	cpuprofile := fs.String("cpuprofile", "", "write the load test's own CPU profile to `FILE`")
	if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
		if len(pos) > 0 {
			fmt.Fprintln(stderr, "parecon loadtest: unexpected arguments", pos)
		}
		return flagStatus(err)
	}
	if (len(servers) == 0) == !*spawn {
		fmt.Fprintln(stderr, "parecon loadtest: give either --server URL (one or more) or --spawn")
		return 2
	}
	if *spawnN > 1 && (*db == "" || !*spawn) || *killLeader && *spawnN < 2 {
		fmt.Fprintln(stderr, "parecon loadtest: --servers N>1 needs --spawn and --db postgres://…; --kill-leader needs --servers N>1")
		return 2
	}
	for _, s := range servers {
		if _, err := loadtest.CheckLoopback(s); err != nil {
			fmt.Fprintln(stderr, "parecon", err)
			return 2
		}
	}
	if err := raiseFileLimit(); err != nil {
		fmt.Fprintln(stderr, "parecon loadtest: raising the open-file limit:", err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout+30*time.Second)
	defer cancel()
	cfg := loadtest.Config{Servers: servers, Councils: *n, Rounds: *rounds, Goods: *goods, Seed: *seed,
		Timeout: *timeout, ServerPID: *pid, Dialers: *dialers, Spread: *spread, Facilitator: *fac}
	if !*quiet {
		cfg.Progress = stderr
	}
	if *spawn {
		for range max(*spawnN, 1) {
			sp, err := spawnServer(ctx, stderr, *db)
			if err != nil {
				fmt.Fprintln(stderr, "parecon loadtest:", err)
				return 1
			}
			defer sp.stop()
			cfg.Servers, cfg.ServerPIDs = append(cfg.Servers, sp.base), append(cfg.ServerPIDs, sp.cmd.Process.Pid)
		}
		if *killLeader {
			cfg.KillAt = *n + *n/3
			cfg.Kill = func() (int, time.Duration, error) { return killLeaderOf(*db, cfg.ServerPIDs) }
			// Reconnecting a third of the councils takes seconds here: the
			// facilitator waits for the round to fill instead of closing it.
			cfg.Stall = time.Minute
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "parecon loadtest:", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "parecon loadtest:", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	res, err := loadtest.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "parecon", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(res); err != nil {
			return 1
		}
	} else {
		fmt.Fprintf(stdout, "connections held       %d of %d councils (connected in %.1f s)\n", res.Connections, res.Councils, res.ConnectSec)
		fmt.Fprintf(stdout, "proposals              %d acknowledged in %d rounds, %.0f per second\n", res.Acked, res.Rounds, res.ProposalsPerSec)
		fmt.Fprintf(stdout, "acknowledgement        p50 %.1f ms, p99 %.1f ms\n", res.AckP50Ms, res.AckP99Ms)
		fmt.Fprintf(stdout, "round.closed fan-out   p50 %.1f ms, p99 %.1f ms, max %.1f ms (round closing: p50 %.1f ms)\n", res.CloseFanoutP50Ms, res.CloseFanoutP99Ms, res.CloseFanoutMaxMs, res.RoundCloseP50Ms)
		fmt.Fprintf(stdout, "server memory          peak %.0f MiB (pid %d)\n", res.ServerRssMB, res.ServerPID)
		if len(res.ServersRssMB) > 0 {
			fmt.Fprintf(stdout, "servers' memory        peak %v MiB; %d reconnects\n", res.ServersRssMB, res.Reconnects)
		}
		if res.KilledPID != 0 {
			fmt.Fprintf(stdout, "leader killed          pid %d; another led %.0f ms later; next round.closed %.0f ms after the kill\n", res.KilledPID, res.TakeoverMs, res.KillToCloseMs)
		}
		fmt.Fprintf(stdout, "errors                 %d", res.Errors)
		if len(res.ErrorSamples) > 0 {
			fmt.Fprintf(stdout, ": %s", strings.Join(res.ErrorSamples, "; "))
		}
		fmt.Fprintln(stdout)
	}
	if res.Errors > 0 {
		return 1
	}
	return 0
}

// raiseFileLimit raises the soft limit of open files to the hard limit:
// each websocket is a file.
func raiseFileLimit() error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	if l.Cur >= l.Max {
		return nil
	}
	l.Cur = l.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
}

// spawned is a server the load test started.
type spawned struct {
	cmd  *exec.Cmd
	base string
	dir  string
}

// spawnServer starts this binary's serve on a free loopback port and a
// new database, and reads its address from its first line.
func spawnServer(ctx context.Context, stderr io.Writer, db string) (*spawned, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "parecon-loadtest")
	if err != nil {
		return nil, err
	}
	if db == "" {
		db = filepath.Join(dir, "load.db")
	}
	cmd := exec.Command(exe, "serve", "--addr", "127.0.0.1:0", "--db", db, "--log-level", "warn")
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	sp := &spawned{cmd: cmd, dir: dir}
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(out)
		line, _ := r.ReadString('\n')
		lines <- line
		io.Copy(io.Discard, r)
	}()
	select {
	case line := <-lines:
		base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
		if !ok {
			sp.stop()
			return nil, fmt.Errorf("the server said %q", line)
		}
		sp.base = base
		return sp, nil
	case <-time.After(30 * time.Second):
		sp.stop()
		return nil, errors.New("the server did not start in 30 s")
	case <-ctx.Done():
		sp.stop()
		return nil, ctx.Err()
	}
}

// stop ends the server (SIGTERM, then SIGKILL after 10 s) and removes its
// database.
func (s *spawned) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(s.dir)
}

// killLeaderOf kills (SIGKILL) the one of pids that holds a plan's leader
// lock on the PostgreSQL database db, as pg_locks shows it, and returns
// its pid.
func killLeaderOf(db string, pids []int) (int, time.Duration, error) {
	// One connection, opened before the kill, for the polling after it.
	d, err := sql.Open("pgx", db)
	if err != nil {
		return 0, 0, err
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	pid, err := leaderOf(d)
	if err != nil {
		return 0, 0, err
	}
	if !slices.Contains(pids, pid) {
		return 0, 0, fmt.Errorf("the leader (pid %d) is none of the servers %v", pid, pids)
	}
	t0 := time.Now()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return pid, 0, err
	}
	for time.Since(t0) < 30*time.Second {
		if next, err := leaderOf(d); err == nil && next != pid {
			return pid, time.Since(t0), nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return pid, 0, fmt.Errorf("no server took the lead within 30 s of killing pid %d", pid)
}

// leaderOf returns the pid of the server that holds a plan's leader lock
// on d (its lock connection names it in pg_stat_activity).
func leaderOf(d *sql.DB) (int, error) {
	var app string
	err := d.QueryRow(`SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 LIMIT 1`, store.LeaderLock).Scan(&app)
	if err != nil {
		return 0, fmt.Errorf("finding the leader in pg_locks: %w", err)
	}
	return strconv.Atoi(strings.TrimPrefix(app, "parecon pid "))
}
