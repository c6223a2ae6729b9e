package httpapi_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parecon/internal/httpapi"
)

// healthzWithin GETs /healthz on a fresh connection and fails unless it
// answers 200 within d.
func healthzWithin(t *testing.T, g *guarded, d time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: d, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	resp, err := client.Get(g.URL + "/healthz")
	if err != nil {
		t.Fatalf("healthz after %v: %v", time.Since(start), err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
}

// TestIdleFloodLeavesHealthz reproduces the idle keep-alive flood: with
// room for 40 connections (20 from one address), 300 idle connections are
// opened, half of them after one request (keep-alive), half sending
// nothing, and /healthz still answers within a second.
func TestIdleFloodLeavesHealthz(t *testing.T) {
	g := newGuarded(t, httpapi.Options{}, httpapi.ServerLimits{MaxConns: 40, MaxConnsPerIP: 20, IdleTimeout: time.Minute, ReadHeaderTimeout: time.Minute})
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < 300; i++ {
		c, err := net.Dial("tcp", g.Addr)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		conns = append(conns, c)
		if i%2 == 0 {
			fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			// Read the answer so that the connection is idle, not
			// mid-request; an evicted one answers EOF, which is the
			// point.
			c.SetReadDeadline(time.Now().Add(2 * time.Second))
			http.ReadResponse(bufio.NewReader(c), nil)
		}
	}
	for i := 0; i < 5; i++ {
		healthzWithin(t, g, time.Second)
	}
}

// TestWebsocketsHoldTheCap: an open websocket counts towards MaxConns
// but not towards its address's HTTP connections, and when every slot is
// a websocket (nothing idle to evict) a new connection is answered 503.
func TestWebsocketsHoldTheCap(t *testing.T) {
	g := newGuarded(t, httpapi.Options{}, httpapi.ServerLimits{MaxConns: 4, MaxConnsPerIP: 2})
	var p created
	if st := do(t, "POST", g.URL+"/api/plans", "", `{"example":"bread-and-land"}`, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	ws := "ws" + strings.TrimPrefix(g.URL, "http") + "/ws?plan=" + p.ID + "&token=" + p.ObserverToken
	var open []*websocket.Conn
	for i := 0; i < 3; i++ { // more than MaxConnsPerIP
		c, _, err := websocket.DefaultDialer.Dial(ws, nil)
		if err != nil {
			t.Fatalf("websocket %d: %v", i, err)
		}
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, _, err := c.ReadMessage(); err != nil { // the snapshot
			t.Fatalf("websocket %d: %v", i, err)
		}
		open = append(open, c)
	}
	// The fourth slot: /healthz evicts the plan's creation's keep-alive
	// connection once the server has marked it idle, which it does just
	// after answering it (a machine under load may take a moment).
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	status := 0
	for i := 0; i < 40 && status != http.StatusOK; i++ {
		if i > 0 {
			time.Sleep(25 * time.Millisecond)
		}
		if resp, err := client.Get(g.URL + "/healthz"); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
	}
	if status != http.StatusOK {
		t.Fatalf("healthz in the fourth slot: %d", status)
	}
	// The fourth websocket takes the last slot once the server has
	// closed /healthz's connection (just after answering it).
	var c *websocket.Conn
	var err error
	for i := 0; i < 40; i++ {
		if c, _, err = websocket.DefaultDialer.Dial(ws, nil); err == nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Its snapshot: the hub serves it (a hub shut down while a client
	// is still being registered is a race of the hub's own).
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := c.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	raw, err := net.Dial("tcp", g.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetReadDeadline(time.Now().Add(2 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(raw), nil)
	if err != nil {
		t.Fatalf("over the cap: %v, want a 503", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"unavailable"`) {
		t.Fatalf("over the cap: %d %s", resp.StatusCode, body)
	}
	// The websockets were not disturbed.
	for i, c := range open {
		if err := c.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second)); err != nil {
			t.Fatalf("websocket %d after the refusal: %v", i, err)
		}
	}
}

// TestTricklersAreCutOff reproduces the slow client: headers sent a byte
// at a time are cut off after ReadHeaderTimeout, and a body sent a byte
// every 200 ms after ReadTimeout, well before it is complete.
func TestTricklersAreCutOff(t *testing.T) {
	g := newGuarded(t, httpapi.Options{}, httpapi.ServerLimits{ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: 600 * time.Millisecond})
	tests := []struct {
		name    string
		head    string // sent at once
		trickle string // then a byte every 200 ms
	}{
		{"headers", "", "POST /api/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n" + strings.Repeat(" ", 40)},
		{"body", "POST /api/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n", strings.Repeat(" ", 40)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", g.Addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			start := time.Now()
			if _, err := io.WriteString(c, tt.head); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < len(tt.trickle); i++ {
				if _, err := c.Write([]byte{tt.trickle[i]}); err != nil {
					break // cut off
				}
				time.Sleep(200 * time.Millisecond)
				if time.Since(start) > 4*time.Second {
					t.Fatalf("still writing after %v", time.Since(start))
				}
			}
			// Whatever the server said, it has closed the connection.
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			_, err = io.ReadAll(c)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("the connection is still open after %v", time.Since(start))
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("cut off after %v, want about 1 s", d)
			}
		})
	}
}

// TestWebsocketOutlivesTimeouts: the server's read and write timeouts
// bound the upgrade request only; an open websocket idle for several
// times them still gets the next round's frames.
func TestWebsocketOutlivesTimeouts(t *testing.T) {
	g := newGuarded(t, httpapi.Options{}, httpapi.ServerLimits{ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond, IdleTimeout: 200 * time.Millisecond})
	var p created
	if st := do(t, "POST", g.URL+"/api/plans", "", `{"example":"bread-and-land"}`, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(g.URL, "http")+"/ws?plan="+p.ID+"&token="+p.ObserverToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := &wsConn{t, c}
	w.until("snapshot", 5*time.Second)
	time.Sleep(time.Second)
	if st := do(t, "POST", g.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, nil); st != http.StatusOK {
		t.Fatalf("close: %d", st)
	}
	if m := w.until("round.closed", 5*time.Second); m.num("round") != 0 {
		t.Fatalf("round.closed %v", m)
	}
}
