package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// startPprof serves Go's profiles on PARECON_PPROF (a loopback HOST:PORT)
// when it is set: `go tool pprof http://HOST:PORT/debug/pprof/profile`.
// Anything but a loopback address is refused.
func startPprof(log *slog.Logger) {
	addr := os.Getenv("PARECON_PPROF")
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		log.Warn("PARECON_PPROF must be a loopback HOST:PORT; profiles not served", "addr", addr)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Warn("profiles not served", "err", err)
		return
	}
	log.Info("profiles", "addr", "http://"+ln.Addr().String()+"/debug/pprof/")
	go http.Serve(ln, mux)
}
