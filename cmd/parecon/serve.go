package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"parecon/internal/httpapi"
	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/internal/store"
	"parecon/static"
)

// serveConfig is what `parecon serve` and `parecon demo` share.
type serveConfig struct {
	addr          string
	db            string
	roundDeadline time.Duration
	logLevel      string
	adminToken    string
}

// serverFlags registers the server's flags, with environment fallbacks.
func serverFlags(fs *flag.FlagSet, cfg *serveConfig, dbDefault, deadlineDefault string) {
	fs.StringVar(&cfg.addr, "addr", envOr("PARECON_ADDR", "127.0.0.1:8080"), "listen on `HOST:PORT` (port 0 picks a free one) [PARECON_ADDR]")
	fs.StringVar(&cfg.db, "db", envOr("PARECON_DB", dbDefault), "the SQLite database `FILE` [PARECON_DB]")
	fs.StringVar(&cfg.adminToken, "admin-token", envOr("PARECON_ADMIN_TOKEN", ""), "if set, creating a plan needs this bearer `TOKEN` [PARECON_ADMIN_TOKEN]")
	fs.StringVar(&cfg.logLevel, "log-level", envOr("PARECON_LOG_LEVEL", "info"), "log `LEVEL`: debug, info, warn, error [PARECON_LOG_LEVEL]")
	d, err := time.ParseDuration(deadlineDefault)
	if err != nil {
		d = -1 // reported by serve as a bad deadline
	}
	fs.DurationVar(&cfg.roundDeadline, "round-deadline", d, "close each round of a new plan after `DURATION` (0 = no deadline) [PARECON_ROUND_DEADLINE]")
}

// defaultDB returns the database under the user's data directory:
// $XDG_DATA_HOME/parecon/parecon.db, else ~/.local/share/parecon/parecon.db.
func defaultDB() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "parecon.db"
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "parecon", "parecon.db")
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon serve [flags]\n\nServes live plans to councils, facilitators and observers: the HTTP API,\nthe websocket protocol (docs/protocol.md) and the web pages. The first line\non stdout is \"listening on http://HOST:PORT\". SIGINT or SIGTERM stops it.\n\nflags:")
		fs.PrintDefaults()
	}
	var cfg serveConfig
	serverFlags(fs, &cfg, defaultDB(), envOr("PARECON_ROUND_DEADLINE", "0s"))
	if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
		if len(pos) > 0 {
			fmt.Fprintln(stderr, "parecon serve: unexpected arguments", pos)
		}
		return 2
	}
	return serve(ctx, cfg, stdout, stderr, nil)
}

// serve runs the server until ctx ends. ready, if set, runs once the
// plans are loaded and the listener is open, with the server's base URL.
func serve(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer, ready func(ctx context.Context, svc *live.Service, base string) error) int {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		fmt.Fprintln(stderr, "parecon: bad --log-level:", err)
		return 2
	}
	if cfg.roundDeadline < 0 {
		fmt.Fprintln(stderr, "parecon: --round-deadline (or PARECON_ROUND_DEADLINE) must be a duration ≥ 0, such as 30s or 2m")
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := raiseFileLimit(); err != nil { // each websocket is a file
		log.Warn("raising the open-file limit", "err", err)
	}
	startPprof(log)
	st, err := store.Open(ctx, cfg.db)
	if err != nil {
		fmt.Fprintln(stderr, "parecon:", err)
		return 1
	}
	defer st.Close()
	h := hub.New(hub.Options{})
	go h.Run()
	svc := live.New(st, h, log, live.Options{RoundDeadline: cfg.roundDeadline})
	if err := svc.Load(ctx); err != nil {
		fmt.Fprintln(stderr, "parecon: loading the plans:", err)
		return 1
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "parecon:", err)
		svc.Close()
		return 1
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "listening on %s\n", base)
	e := httpapi.New(svc, log, httpapi.Options{Static: static.FS, AdminToken: cfg.adminToken})
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", base, "db", cfg.db, "roundDeadline", cfg.roundDeadline)
	if ready != nil {
		if err := ready(ctx, svc, base); err != nil {
			fmt.Fprintln(stderr, "parecon:", err)
			ctx2, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			srv.Shutdown(ctx2)
			cancel()
			svc.Close()
			return 1
		}
	}
	code := 0
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "parecon:", err)
			code = 1
		}
	}
	log.Info("shutting down")
	svc.Close()
	h.Shutdown(5 * time.Second)
	ctx2, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx2); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	return code
}

// link returns a page link with the plan and token in the fragment.
func link(base, page, plan, token string) string {
	return strings.TrimSuffix(base, "/") + "/" + page + "#plan=" + plan + "&token=" + token
}
