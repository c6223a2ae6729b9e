package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"parecon/councils"
	"parecon/internal/examples"
	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/internal/store"
	"parecon/internal/store/pglocal"
)

// cmdCluster starts a local demo cluster: several servers on one
// PostgreSQL database (its own, from Debian's binaries, unless --db names
// one), with the demo's plan, its links spread over the servers.
func cmdCluster(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cluster", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon cluster [flags]\n\nStarts a local demo cluster: PostgreSQL in a temporary directory (Debian's\npostgresql package; or --db postgres://… to use yours), then --servers\n`parecon serve` processes on it, on consecutive ports from --addr, and the\ndemo's plan. It prints each server's address and the plan's links, spread\nover the servers: any server serves any plan, one of them runs its engine\n(see pg_locks), and killing that one moves the engine to another within a\nsecond. Ctrl-C stops them all and removes the temporary database.\n\nflags:")
		fs.PrintDefaults()
	}
	n := fs.Int("servers", 3, "how many servers")
	addr := fs.String("addr", "127.0.0.1:8080", "the first server's `HOST:PORT`; the others take the next ports")
	db := fs.String("db", "", "a PostgreSQL `URL` to use instead of a temporary server of its own")
	example := fs.String("example", "economy-12", "the bundled example `NAME` to plan: "+strings.Join(examples.Names(), ", "))
	deadline := fs.Duration("round-deadline", 5*time.Second, "close each round after `DURATION`")
	if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
		if len(pos) > 0 {
			fmt.Fprintln(stderr, "parecon cluster: unexpected arguments", pos)
		}
		return flagStatus(err)
	}
	host, port0, err := net.SplitHostPort(*addr)
	p0, perr := strconv.Atoi(port0)
	if err != nil || perr != nil || p0 <= 0 || *n < 1 || *n > 16 {
		fmt.Fprintln(stderr, "parecon cluster: want --addr HOST:PORT with a port > 0 and 1 to 16 --servers")
		return 2
	}
	e, ok := loadScenario("", *example, stderr)
	if !ok {
		return 2
	}
	if *db == "" {
		fmt.Fprintln(stdout, "starting PostgreSQL in a temporary directory…")
		pg, err := pglocal.New(0)
		if err != nil {
			fmt.Fprintln(stderr, "parecon cluster:", err)
			return 1
		}
		defer pg.Close()
		*db = pg.URL
		fmt.Fprintf(stdout, "PostgreSQL %s (data in %s)\n", pg.URL, pg.Dir)
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "parecon cluster:", err)
		return 1
	}
	var bases []string
	var pids []int
	for i := 0; i < *n; i++ {
		a := net.JoinHostPort(host, strconv.Itoa(p0+i))
		cmd := exec.Command(exe, "serve", "--addr", a, "--db", *db, "--round-deadline", deadline.String(), "--log-level", "warn")
		cmd.Stderr = stderr
		cmd.SysProcAttr = childAttr() // they end with the cluster
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(stderr, "parecon cluster:", err)
			return 1
		}
		defer func() {
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
			}
		}()
		r := bufio.NewReader(out)
		line, err := r.ReadString('\n')
		base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
		if err != nil || !ok {
			fmt.Fprintf(stderr, "parecon cluster: server %d did not start (%q)\n", i+1, line)
			return 1
		}
		go io.Copy(io.Discard, r)
		bases, pids = append(bases, base), append(pids, cmd.Process.Pid)
		fmt.Fprintf(stdout, "server %d: %s (pid %d)\n", i+1, base, cmd.Process.Pid)
	}
	// The plan is made through a service of this process that serves
	// nothing: the servers learn of it from its commit's notification.
	ids := live.SuggestedHumans(e.Scenario)
	st, err := store.Open(ctx, *db)
	if err != nil {
		fmt.Fprintln(stderr, "parecon cluster:", err)
		return 1
	}
	h := hub.New(hub.Options{})
	go h.Run()
	svc := live.New(st, h, slog.New(slog.NewTextHandler(io.Discard, nil)), live.Options{RoundDeadline: *deadline})
	p, err := svc.Create(ctx, live.CreateRequest{Example: *example, Options: councils.LiveOptions{Humans: ids, StandIn: true}})
	svc.Close()
	h.Shutdown(time.Second)
	st.Close()
	if err != nil {
		fmt.Fprintln(stderr, "parecon cluster: creating the plan:", err)
		return 1
	}
	at := func(i int) string { return bases[i%len(bases)] }
	fmt.Fprintf(stdout, "\ndemo plan %q (example %s) on %d servers, a round every %s; any link works on any server:\n\n", e.Name(), *example, len(bases), deadline)
	fmt.Fprintf(stdout, "  observer:     %s\n", link(at(0), "observer.html", p.ID, p.ObserverToken))
	fmt.Fprintf(stdout, "  facilitator:  %s\n", link(at(1), "facilitator.html", p.ID, p.FacilitatorToken))
	for i, id := range ids {
		if tok, ok := p.CouncilTokens[id]; ok {
			fmt.Fprintf(stdout, "  council %-5s %s\n", id+":", link(at(2+i), "council.html", p.ID, tok))
		}
	}
	fmt.Fprintf(stdout, "\nThe server running the plan's engine holds its advisory lock; find it with\n  psql '%s' -c \"SELECT application_name FROM pg_locks JOIN pg_stat_activity USING (pid) WHERE locktype = 'advisory'\"\nKill it (kill -9 PID, one of %v) and another takes over. Ctrl-C stops the cluster.\n", *db, pids)
	<-ctx.Done()
	fmt.Fprintln(stdout, "stopping the cluster")
	return 0
}
