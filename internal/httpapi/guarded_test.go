package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parecon/internal/httpapi"
	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/internal/store"
	"parecon/static"
)

// guarded is the whole stack served as `parecon serve` serves it: through
// httpapi.NewServer's limits, on a loopback listener.
type guarded struct {
	URL  string
	Addr string
	svc  *live.Service
	hub  *hub.Hub
	st   *store.Store
	srv  *http.Server
}

// newGuarded starts the stack with opt and lim; the web pages are served.
func newGuarded(t *testing.T, opt httpapi.Options, lim httpapi.ServerLimits) *guarded {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hub.Options{})
	go h.Run()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := live.New(st, h, log, live.Options{})
	if err := svc.Load(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opt.Static = static.FS
	srv, wrapped := httpapi.NewServer(httpapi.New(svc, log, opt), ln, lim, log)
	go srv.Serve(wrapped)
	g := &guarded{URL: "http://" + ln.Addr().String(), Addr: ln.Addr().String(), svc: svc, hub: h, st: st, srv: srv}
	t.Cleanup(func() {
		svc.Close()
		h.Shutdown(2 * time.Second)
		srv.Close()
		st.Close()
	})
	return g
}

// request sends method url with headers (key, value pairs) and body, and
// returns the status, the answer's body and its headers.
func request(t *testing.T, method, url, body string, headers ...string) (int, []byte, http.Header) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
