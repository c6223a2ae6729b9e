package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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

	allowedOrigins   string // comma-separated
	trustedProxies   string // comma-separated CIDRs
	createRate       float64
	createBurst      int
	maxPlans         int
	maxScenarioBytes int
	limits           httpapi.ServerLimits
	// The live service's and the hub's limits.
	councilConns, watcherConns int
	watcherBytes, sendBuffer   int
	pageLimit, maxPageLimit    int
	// envErrs are the PARECON_* variables that did not parse; serve
	// reports them.
	envErrs []string
}

// serverFlags registers the server's flags, with environment fallbacks.
func serverFlags(fs *flag.FlagSet, cfg *serveConfig, dbDefault, deadlineDefault string) {
	fs.StringVar(&cfg.addr, "addr", envOr("PARECON_ADDR", "127.0.0.1:8080"), "listen on `HOST:PORT` (port 0 picks a free one) [PARECON_ADDR]")
	fs.StringVar(&cfg.db, "db", envOr("PARECON_DB", dbDefault), "the database: a SQLite `FILE`, or a postgres://user@host:port/name URL for several servers on one database [PARECON_DB]")
	fs.StringVar(&cfg.adminToken, "admin-token", envOr("PARECON_ADMIN_TOKEN", ""), "if set, creating a plan needs this bearer `TOKEN` [PARECON_ADMIN_TOKEN]")
	fs.StringVar(&cfg.logLevel, "log-level", envOr("PARECON_LOG_LEVEL", "info"), "log `LEVEL`: debug, info, warn, error [PARECON_LOG_LEVEL]")
	d, err := time.ParseDuration(deadlineDefault)
	if err != nil {
		d = -1 // reported by serve as a bad deadline
	}
	fs.DurationVar(&cfg.roundDeadline, "round-deadline", d, "close each round of a new plan after `DURATION` (0 = no deadline) [PARECON_ROUND_DEADLINE]")
	fs.StringVar(&cfg.allowedOrigins, "allowed-origins", envOr("PARECON_ALLOWED_ORIGINS", ""), "comma-separated `ORIGINS` (https://host[:port]) besides the server's own whose pages may change plans [PARECON_ALLOWED_ORIGINS]")
	fs.StringVar(&cfg.trustedProxies, "trusted-proxies", envOr("PARECON_TRUSTED_PROXIES", ""), "comma-separated `CIDRS` of proxies whose X-Forwarded-For names the client, for the rate limit [PARECON_TRUSTED_PROXIES]")
	envFloat(fs, cfg, &cfg.createRate, "create-rate", "PARECON_CREATE_RATE", httpapi.DefaultCreatePerMinute, "plans one client address may create per minute, `N` (0 = no limit)")
	envInt(fs, cfg, &cfg.createBurst, "create-burst", "PARECON_CREATE_BURST", httpapi.DefaultCreateBurst, "plans one client address may create at once, `N`")
	envInt(fs, cfg, &cfg.maxPlans, "max-plans", "PARECON_MAX_PLANS", 10000, "the most plans the server holds, `N` (0 = no quota)")
	envInt(fs, cfg, &cfg.maxScenarioBytes, "max-scenario-bytes", "PARECON_MAX_SCENARIO_BYTES", httpapi.DefaultMaxScenarioBytes, "the largest scenario a plan is created from, `BYTES`")
	envInt(fs, cfg, &cfg.limits.MaxConns, "max-conns", "PARECON_MAX_CONNS", 0, "the most connections at once, websockets included, `N` (default: below the open-file limit)")
	envInt(fs, cfg, &cfg.limits.MaxConnsPerIP, "max-conns-per-ip", "PARECON_MAX_CONNS_PER_IP", httpapi.DefaultMaxConnsPerIP, "the most HTTP connections from one IP at once, `N` (websockets not counted)")
	envInt(fs, cfg, &cfg.limits.MaxHeaderBytes, "max-header-bytes", "PARECON_MAX_HEADER_BYTES", httpapi.DefaultMaxHeaderBytes, "the largest request headers, `BYTES`")
	envDuration(fs, cfg, &cfg.limits.ReadHeaderTimeout, "read-header-timeout", "PARECON_READ_HEADER_TIMEOUT", httpapi.DefaultReadHeaderTimeout, "time to send a request's headers, `DURATION`")
	envDuration(fs, cfg, &cfg.limits.ReadTimeout, "read-timeout", "PARECON_READ_TIMEOUT", httpapi.DefaultReadTimeout, "time to send a whole request, body included, `DURATION` (not websockets)")
	envDuration(fs, cfg, &cfg.limits.WriteTimeout, "write-timeout", "PARECON_WRITE_TIMEOUT", httpapi.DefaultWriteTimeout, "time to write an answer, `DURATION` (not websockets)")
	envDuration(fs, cfg, &cfg.limits.IdleTimeout, "idle-timeout", "PARECON_IDLE_TIMEOUT", httpapi.DefaultIdleTimeout, "how long a keep-alive connection may idle, `DURATION`")
	envInt(fs, cfg, &cfg.councilConns, "max-council-conns", "PARECON_MAX_COUNCIL_CONNS", live.DefaultMaxCouncilConns, "websockets one council token may hold at once, `N`")
	envInt(fs, cfg, &cfg.watcherConns, "max-watcher-conns", "PARECON_MAX_WATCHER_CONNS", live.DefaultMaxWatcherConns, "websockets one facilitator or observer token may hold at once, `N`")
	envInt(fs, cfg, &cfg.watcherBytes, "watcher-queue-bytes", "PARECON_WATCHER_QUEUE_BYTES", hub.DefaultWatcherBytes, "frames queued for one facilitator or observer socket before it is dropped, `BYTES`")
	envInt(fs, cfg, &cfg.sendBuffer, "council-queue-frames", "PARECON_COUNCIL_QUEUE_FRAMES", hub.DefaultSendBuffer, "frames queued for one council socket before it is dropped, `N`")
	envInt(fs, cfg, &cfg.pageLimit, "page-limit", "PARECON_PAGE_LIMIT", live.DefaultPageLimit, "proposals or audit events in a page without ?limit, `N`")
	envInt(fs, cfg, &cfg.maxPageLimit, "max-page-limit", "PARECON_MAX_PAGE_LIMIT", live.DefaultMaxPageLimit, "the most proposals or audit events ?limit may ask for, `N`")
}

// envInt registers an int flag whose default is env's value, if set.
func envInt(fs *flag.FlagSet, cfg *serveConfig, p *int, name, env string, def int, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			cfg.envErrs = append(cfg.envErrs, fmt.Sprintf("%s=%q: want a whole number", env, v))
		} else {
			def = n
		}
	}
	fs.IntVar(p, name, def, usage+" ["+env+"]")
}

// envFloat registers a float flag whose default is env's value, if set.
func envFloat(fs *flag.FlagSet, cfg *serveConfig, p *float64, name, env string, def float64, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			cfg.envErrs = append(cfg.envErrs, fmt.Sprintf("%s=%q: want a number", env, v))
		} else {
			def = x
		}
	}
	fs.Float64Var(p, name, def, usage+" ["+env+"]")
}

// envDuration registers a duration flag whose default is env's value, if
// set.
func envDuration(fs *flag.FlagSet, cfg *serveConfig, p *time.Duration, name, env string, def time.Duration, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			cfg.envErrs = append(cfg.envErrs, fmt.Sprintf("%s=%q: want a duration such as 30s", env, v))
		} else {
			def = d
		}
	}
	fs.DurationVar(p, name, def, usage+" ["+env+"]")
}

// fileReserve is how many open files the connection cap leaves for the
// database, the log and the rest of the process.
const fileReserve = 128

// checkLimits validates the server's limit flags and sizes the connection
// cap below the open-file limit (nofile; 0 if unknown), returning the
// API's options and the server's limits, or a message naming the flag.
func checkLimits(cfg serveConfig, nofile uint64, log *slog.Logger) (httpapi.Options, httpapi.ServerLimits, error) {
	opt := httpapi.Options{AdminToken: cfg.adminToken, MaxPlans: cfg.maxPlans, CreateBurst: cfg.createBurst, CreatePerMinute: cfg.createRate}
	origins, err := httpapi.ParseOrigins(cfg.allowedOrigins)
	if err != nil {
		return opt, cfg.limits, fmt.Errorf("--allowed-origins (or PARECON_ALLOWED_ORIGINS): %v", err)
	}
	opt.AllowedOrigins = origins
	for _, c := range strings.Split(cfg.trustedProxies, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			return opt, cfg.limits, fmt.Errorf("--trusted-proxies (or PARECON_TRUSTED_PROXIES): %q is not a CIDR such as 10.0.0.0/8", c)
		}
		opt.TrustedProxies = append(opt.TrustedProxies, n)
	}
	switch {
	case cfg.createRate < 0 || math.IsNaN(cfg.createRate) || math.IsInf(cfg.createRate, 0):
		return opt, cfg.limits, errors.New("--create-rate (or PARECON_CREATE_RATE) must be a number ≥ 0 (0 = no limit)")
	case cfg.createRate == 0:
		opt.CreatePerMinute = -1
	}
	ints := []struct {
		name string
		v    int
		min  int
	}{
		{"create-burst", cfg.createBurst, 1}, {"max-plans", cfg.maxPlans, 0}, {"max-scenario-bytes", cfg.maxScenarioBytes, 1},
		{"max-conns", cfg.limits.MaxConns, 0}, {"max-conns-per-ip", cfg.limits.MaxConnsPerIP, 1}, {"max-header-bytes", cfg.limits.MaxHeaderBytes, 1024},
		{"max-council-conns", cfg.councilConns, 1}, {"max-watcher-conns", cfg.watcherConns, 1}, {"watcher-queue-bytes", cfg.watcherBytes, 4096},
		{"council-queue-frames", cfg.sendBuffer, 8}, {"page-limit", cfg.pageLimit, 1}, {"max-page-limit", cfg.maxPageLimit, cfg.pageLimit},
	}
	for _, f := range ints {
		if f.v < f.min {
			return opt, cfg.limits, fmt.Errorf("--%s (or PARECON_%s) must be a whole number ≥ %d", f.name, strings.ToUpper(strings.ReplaceAll(f.name, "-", "_")), f.min)
		}
	}
	opt.MaxScenarioBytes = int64(cfg.maxScenarioBytes)
	durs := []struct {
		name string
		v    time.Duration
	}{{"read-header-timeout", cfg.limits.ReadHeaderTimeout}, {"read-timeout", cfg.limits.ReadTimeout}, {"write-timeout", cfg.limits.WriteTimeout}, {"idle-timeout", cfg.limits.IdleTimeout}}
	for _, f := range durs {
		if f.v <= 0 {
			return opt, cfg.limits, fmt.Errorf("--%s (or PARECON_%s) must be a duration > 0, such as 30s", f.name, strings.ToUpper(strings.ReplaceAll(f.name, "-", "_")))
		}
	}
	lim := cfg.limits
	if nofile > 0 {
		room := int(min(nofile/2, math.MaxInt32))
		if nofile > 2*fileReserve {
			room = int(min(nofile-fileReserve, math.MaxInt32))
		}
		switch {
		case lim.MaxConns == 0:
			lim.MaxConns = room
		case lim.MaxConns > room:
			log.Warn("--max-conns is above what the open-file limit allows; lowered", "asked", lim.MaxConns, "maxConns", room, "openFiles", nofile)
			lim.MaxConns = room
		}
	}
	return opt, lim, nil
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
		return flagStatus(err)
	}
	return serve(ctx, cfg, stdout, stderr, nil)
}

// openFileLimit raises the soft limit of open files to the hard one (each
// connection is a file) and returns it; 0 if it cannot be read.
func openFileLimit(log *slog.Logger) uint64 {
	if err := raiseFileLimit(); err != nil {
		log.Warn("raising the open-file limit", "err", err)
	}
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		log.Warn("reading the open-file limit", "err", err)
		return 0
	}
	return l.Cur
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
	if len(cfg.envErrs) > 0 {
		fmt.Fprintln(stderr, "parecon: bad environment:", strings.Join(cfg.envErrs, "; "))
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	nofile := openFileLimit(log)
	opt, lim, err := checkLimits(cfg, nofile, log)
	if err != nil {
		fmt.Fprintln(stderr, "parecon:", err)
		return 2
	}
	opt.Static = static.FS
	startPprof(log)
	st, err := store.Open(ctx, cfg.db)
	if err != nil {
		fmt.Fprintln(stderr, "parecon:", err)
		return 1
	}
	defer func() {
		groups, writes := st.Stats()
		log.Info("database closed", "groups", groups, "writes", writes)
		st.Close()
	}()
	if err := st.Probe(ctx); err != nil {
		log.Warn("the database refuses writes: plans cannot be created or changed, and /healthz answers 503", "db", store.Redact(cfg.db), "class", store.ClassOf(err).String(), "err", err)
	}
	h := hub.New(hub.Options{WatcherBytes: cfg.watcherBytes, SendBuffer: cfg.sendBuffer})
	go h.Run()
	svc := live.New(st, h, log, live.Options{RoundDeadline: cfg.roundDeadline, MaxCouncilConns: cfg.councilConns, MaxWatcherConns: cfg.watcherConns, PageLimit: cfg.pageLimit, MaxPageLimit: cfg.maxPageLimit})
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
	srv, limited := httpapi.NewServer(httpapi.New(svc, log, opt), ln, lim, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(limited) }()
	log.Info("serving", "addr", base, "db", store.Redact(cfg.db), "roundDeadline", cfg.roundDeadline, "maxConns", lim.MaxConns, "openFiles", nofile,
		"adminToken", cfg.adminToken != "", "maxPlans", cfg.maxPlans, "createRate", cfg.createRate)
	if opt.AdminToken == "" && !loopback(ln.Addr()) {
		log.Warn("anyone who reaches this address may create plans: set --admin-token (docs/security.md)", "addr", base)
	}
	if ready != nil {
		if err := ready(ctx, svc, base); err != nil {
			fmt.Fprintln(stderr, "parecon:", err)
			shutdown(log, srv, h, svc)
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
	shutdown(log, srv, h, svc)
	return code // the deferred Close closes the database last
}

// shutdown stops the server in order: it stops accepting and closes idle
// connections (waiting up to 5 s for requests being answered, then
// cutting them), closes the websockets with going-away, then stops the
// plans' deadline timers; the caller closes the database after.
func shutdown(log *slog.Logger, srv *http.Server, h *hub.Hub, svc *live.Service) {
	log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("requests still being answered were cut", "err", err)
		srv.Close()
	}
	h.Shutdown(5 * time.Second)
	svc.Close()
}

// loopback reports whether a is a loopback address.
func loopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// link returns a page link with the plan and token in the fragment.
func link(base, page, plan, token string) string {
	return strings.TrimSuffix(base, "/") + "/" + page + "#plan=" + plan + "&token=" + token
}
