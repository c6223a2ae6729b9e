package httpapi

import (
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServerLimits bounds the HTTP server's connections (docs/security.md).
// A zero field takes its default; a negative timeout or cap: none.
type ServerLimits struct {
	// ReadHeaderTimeout bounds reading a request's headers (default 5 s).
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included
	// (default 60 s: a 16 MiB scenario at 280 KB/s). A websocket's
	// connection is released from it when it upgrades and keeps its own
	// deadlines (the hub's ping and pong).
	ReadTimeout time.Duration
	// WriteTimeout bounds writing an answer (default 60 s); likewise not
	// a websocket's.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection idle this long (default
	// 60 s).
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds a request's headers (default 32 KiB).
	MaxHeaderBytes int
	// MaxConns is the most connections at once, websockets included
	// (default 4096; size it below the process's open-file limit).
	MaxConns int
	// MaxConnsPerIP is the most HTTP connections (upgraded websockets
	// not counted) from one remote IP at once (default 128).
	MaxConnsPerIP int
}

// The defaults of ServerLimits.
const (
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultMaxHeaderBytes    = 32 << 10
	DefaultMaxConns          = 4096
	DefaultMaxConnsPerIP     = 128
)

// withDefaults returns l with its zero fields set to the defaults and its
// negative ones to 0 (none).
func (l ServerLimits) withDefaults() ServerLimits {
	dur := func(d *time.Duration, def time.Duration) {
		switch {
		case *d == 0:
			*d = def
		case *d < 0:
			*d = 0
		}
	}
	num := func(n *int, def int) {
		switch {
		case *n == 0:
			*n = def
		case *n < 0:
			*n = 0
		}
	}
	dur(&l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	dur(&l.ReadTimeout, DefaultReadTimeout)
	dur(&l.WriteTimeout, DefaultWriteTimeout)
	dur(&l.IdleTimeout, DefaultIdleTimeout)
	num(&l.MaxHeaderBytes, DefaultMaxHeaderBytes)
	num(&l.MaxConns, DefaultMaxConns)
	num(&l.MaxConnsPerIP, DefaultMaxConnsPerIP)
	return l
}

// NewServer returns an http.Server for h with l's timeouts, and ln
// wrapped to hold l's connection caps: serve with srv.Serve(wrapped).
//
// The server's read and write timeouts are deadlines on the connection,
// set as each request is read; gorilla/websocket clears both when it
// takes the connection over (Upgrade), so they bound the upgrade request
// and never an open websocket.
func NewServer(h http.Handler, ln net.Listener, l ServerLimits, log *slog.Logger) (*http.Server, net.Listener) {
	if log == nil {
		log = slog.Default()
	}
	l = l.withDefaults()
	cl := &connLimiter{max: l.MaxConns, perAddr: l.MaxConnsPerIP, all: map[*limitedConn]struct{}{}, byAddr: map[string]map[*limitedConn]struct{}{}}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		ConnState:         cl.connState,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return srv, &limitListener{Listener: ln, l: cl}
}
