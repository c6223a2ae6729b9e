package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parecon/internal/httpapi"
	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/internal/store"
)

// testServer is the whole server stack on an httptest server.
type testServer struct {
	URL  string
	svc  *live.Service
	hub  *hub.Hub
	st   *store.Store
	srv  *httptest.Server
	path string
}

// newServer starts the stack on a database under t.TempDir().
func newServer(t *testing.T, opt live.Options, hopt hub.Options) *testServer {
	t.Helper()
	return newServerDB(t, filepath.Join(t.TempDir(), "p.db"), opt, hopt)
}

func newServerDB(t *testing.T, path string, opt live.Options, hopt hub.Options) *testServer {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hopt)
	go h.Run()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := live.New(st, h, log, opt)
	if err := svc.Load(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(svc, log, httpapi.Options{}))
	ts := &testServer{URL: srv.URL, svc: svc, hub: h, st: st, srv: srv, path: path}
	t.Cleanup(ts.close)
	return ts
}

func (ts *testServer) close() {
	if ts.srv == nil {
		return
	}
	ts.svc.Close()
	ts.hub.Shutdown(2 * time.Second)
	ts.srv.Close()
	ts.st.Close()
	ts.srv = nil
}

// do sends a request with an optional bearer token and JSON body and
// decodes the JSON answer into out (if not nil); it returns the status.
func do(t *testing.T, method, url, token string, body any, out any) int {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case string:
		r = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, url, r)
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, url, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}

// created is the answer to POST /api/plans.
type created struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitatorToken"`
	ObserverToken    string            `json:"observerToken"`
	CouncilTokens    map[string]string `json:"councilTokens"`
	FederationTokens map[string]string `json:"federationTokens"`
}

func (ts *testServer) create(t *testing.T, scenario any) created {
	t.Helper()
	var c created
	if st := do(t, "POST", ts.URL+"/api/plans", "", scenario, &c); st != http.StatusCreated {
		t.Fatalf("create: status %d", st)
	}
	return c
}

// wsConn is a test client's websocket.
type wsConn struct {
	t *testing.T
	c *websocket.Conn
}

// dial opens the websocket of plan with token (in the header).
func (ts *testServer) dial(t *testing.T, plan, token string) *wsConn {
	t.Helper()
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?plan="+plan, h)
	if err != nil {
		st := 0
		if resp != nil {
			st = resp.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, st)
	}
	t.Cleanup(func() { c.Close() })
	return &wsConn{t, c}
}

// send writes one frame.
func (w *wsConn) send(v any) {
	w.t.Helper()
	var b []byte
	switch x := v.(type) {
	case string:
		b = []byte(x)
	default:
		b, _ = json.Marshal(v)
	}
	if err := w.c.WriteMessage(websocket.TextMessage, b); err != nil {
		w.t.Fatal(err)
	}
}

// msg is a decoded server frame.
type msg map[string]any

func (m msg) str(k string) string { s, _ := m[k].(string); return s }

func (m msg) num(k string) float64 { f, _ := m[k].(float64); return f }

// read returns the next frame, failing after timeout.
func (w *wsConn) read(timeout time.Duration) (msg, []byte) {
	w.t.Helper()
	w.c.SetReadDeadline(time.Now().Add(timeout))
	_, b, err := w.c.ReadMessage()
	if err != nil {
		w.t.Fatalf("read: %v", err)
	}
	var m msg
	if err := json.Unmarshal(b, &m); err != nil {
		w.t.Fatalf("frame %s: %v", b, err)
	}
	return m, b
}

// until reads frames until one of type typ (returning it) or timeout.
func (w *wsConn) until(typ string, timeout time.Duration) msg {
	w.t.Helper()
	end := time.Now().Add(timeout)
	for {
		m, _ := w.read(time.Until(end))
		if m.str("type") == typ {
			return m
		}
	}
}

// dbPath returns the path of the server's database file.
func (ts *testServer) dbPath(t *testing.T) string {
	t.Helper()
	return ts.path
}
