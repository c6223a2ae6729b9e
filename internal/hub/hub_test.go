package hub

import (
	"fmt"
	"testing"
	"time"
)

// TestSlowClientDropped: a client that does not drain its queue is dropped
// once its buffer is full, with close code 1013, and the others get every
// message; a plan's broadcast reaches only that plan's clients.
func TestSlowClientDropped(t *testing.T) {
	h := New(Options{SendBuffer: 4})
	go h.Run()
	slow := &Client{Plan: "a", hub: h, q: newQueue(4, 0)}
	fast := &Client{Plan: "a", hub: h, q: newQueue(4, 0)}
	other := &Client{Plan: "b", hub: h, q: newQueue(4, 0)}
	got := make(chan []byte, 100)
	go func() {
		for {
			m, ok := recv(fast, 10*time.Second)
			if !ok {
				break
			}
			got <- m
		}
		close(got)
	}()
	h.Register(slow, []byte("snap"))
	h.Register(fast, []byte("snap"))
	h.Register(other, nil)
	for i := 0; i < 20; i++ {
		h.Broadcast("a", []byte(fmt.Sprint(i)))
		time.Sleep(time.Millisecond) // let the fast reader keep up
	}
	deadline := time.After(5 * time.Second)
	for n := 0; n < 21; n++ {
		select {
		case m := <-got:
			want := "snap"
			if n > 0 {
				want = fmt.Sprint(n - 1)
			}
			if string(m) != want {
				t.Fatalf("fast client's message %d is %q, want %q", n, m, want)
			}
		case <-deadline:
			t.Fatalf("fast client got only %d messages", n)
		}
	}
	n := 0
	for {
		if _, ok := recv(slow, time.Second); !ok {
			break
		}
		n++
	}
	if n != 4 || slow.closeCode != closeTryAgain {
		t.Fatalf("slow client: %d queued, close code %d; want 4 and %d", n, slow.closeCode, closeTryAgain)
	}
	if other.q.len() != 0 {
		t.Fatal("plan b's client got plan a's broadcast")
	}
	if c := h.Clients(); c != 2 {
		t.Fatalf("%d clients, want 2", c)
	}
	h.Shutdown(time.Second)
	if _, ok := recv(other, time.Second); ok || other.closeCode != closeGoingAway {
		t.Fatalf("after shutdown: close code %d, want going away", other.closeCode)
	}
	late := &Client{Plan: "a", hub: h, q: newQueue(4, 0)}
	h.Register(late, []byte("snap"))
	if _, ok := recv(late, time.Second); ok {
		t.Fatal("a client registered after shutdown got a message")
	}
}

// TestBroadcastEach builds each client's own frame and skips nil ones.
func TestBroadcastEach(t *testing.T) {
	h := New(Options{})
	go h.Run()
	a := &Client{Plan: "p", Role: "facilitator", hub: h, q: newQueue(4, 0)}
	b := &Client{Plan: "p", Role: "observer", hub: h, q: newQueue(4, 0)}
	h.Register(a, nil)
	h.Register(b, nil)
	h.BroadcastEach("p", func(c *Client) []byte {
		if c.Role == "facilitator" {
			return []byte("secret")
		}
		return nil
	})
	h.Broadcast("p", []byte("all"))
	if m := must(t, a); string(m) != "secret" {
		t.Fatalf("facilitator got %q", m)
	}
	if m := must(t, b); string(m) != "all" {
		t.Fatalf("observer got %q first, want only the broadcast to all", m)
	}
}

// TestBroadcastRole reaches only the clients of one role of one plan, and
// forgets a client that left.
func TestBroadcastRole(t *testing.T) {
	h := New(Options{})
	go h.Run()
	f := &Client{Plan: "p", Role: "facilitator", hub: h, q: newQueue(4, 0)}
	o := &Client{Plan: "p", Role: "observer", hub: h, q: newQueue(4, 0)}
	c := &Client{Plan: "p", Role: "council", Council: "x", hub: h, q: newQueue(4, 0)}
	q := &Client{Plan: "q", Role: "observer", hub: h, q: newQueue(4, 0)}
	for _, cl := range []*Client{f, o, c, q} {
		h.Register(cl, nil)
	}
	h.BroadcastRole("p", "observer", []byte("seen"))
	h.Drop(o, closeNormal, "")
	h.BroadcastRole("p", "observer", []byte("after"))
	h.Broadcast("p", []byte("all"))
	if m := must(t, o); string(m) != "seen" {
		t.Fatalf("observer got %q", m)
	}
	if _, ok := recv(o, time.Second); ok {
		t.Fatal("a dropped observer got a role broadcast")
	}
	for _, cl := range []*Client{f, c} {
		if m := must(t, cl); string(m) != "all" {
			t.Fatalf("%s got %q first, want only the broadcast to all", cl.Role, m)
		}
	}
	if q.q.len() != 0 {
		t.Fatal("another plan's observer got the role broadcast")
	}
}

// TestBroadcastRoleLazy builds the frame once for all the role's clients,
// and not at all when the plan has none.
func TestBroadcastRoleLazy(t *testing.T) {
	h := New(Options{})
	go h.Run()
	f1 := &Client{Plan: "p", Role: "facilitator", hub: h, q: newQueue(4, 0)}
	f2 := &Client{Plan: "p", Role: "facilitator", hub: h, q: newQueue(4, 0)}
	c := &Client{Plan: "p", Role: "council", hub: h, q: newQueue(4, 0)}
	for _, cl := range []*Client{f1, f2, c} {
		h.Register(cl, nil)
	}
	built := 0
	h.BroadcastRoleLazy("p", "facilitator", func() []byte { built++; return []byte("x") })
	h.BroadcastRoleLazy("p", "observer", func() []byte { built += 100; return []byte("y") })
	h.Broadcast("p", []byte("all"))
	for _, cl := range []*Client{f1, f2} {
		if m := must(t, cl); string(m) != "x" {
			t.Fatalf("facilitator got %q", m)
		}
	}
	if m := must(t, c); string(m) != "all" {
		t.Fatalf("council got %q first", m)
	}
	if built != 1 {
		t.Fatalf("built %d times (100 per observer frame nobody gets)", built)
	}
}

// TestWatcherQueue: a client of no council (facilitator, observer) has a
// queue bounded in bytes, a council's in frames; a watcher over its bytes
// is dropped with 1013 like a slow council.
func TestWatcherQueue(t *testing.T) {
	h := New(Options{SendBuffer: 3, WatcherBytes: 100})
	go h.Run()
	council := h.NewClient(nil, "p", "council", "north")
	watcher := h.NewClient(nil, "p", "observer", "")
	if council.q.maxMsgs != 3 || council.q.maxBytes != 0 {
		t.Fatalf("council queue bounds %d frames, %d bytes; want 3 frames", council.q.maxMsgs, council.q.maxBytes)
	}
	if watcher.q.maxMsgs != 0 || watcher.q.maxBytes != 100 {
		t.Fatalf("watcher queue bounds %d frames, %d bytes; want 100 bytes", watcher.q.maxMsgs, watcher.q.maxBytes)
	}
	if d := New(Options{}).NewClient(nil, "p", "observer", ""); d.q.maxBytes != 4<<20 {
		t.Fatalf("default watcher queue %d bytes, want 4 MiB", d.q.maxBytes)
	}
	h.Register(watcher, nil)
	h.Register(council, nil)
	for i := 0; i < 10; i++ { // 10 × 30 bytes: over 100 at the 4th
		h.Broadcast("p", make([]byte, 30))
	}
	// Drain only once the hub has dropped the watcher: a frame taken
	// while the broadcasts still arrive makes room for a fourth.
	for deadline := time.Now().Add(5 * time.Second); ; {
		watcher.q.mu.Lock()
		closed := watcher.q.closed
		watcher.q.mu.Unlock()
		if closed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("watcher not dropped within 5 s")
		}
		time.Sleep(time.Millisecond)
	}
	n := 0
	for {
		if _, ok := recv(watcher, 5*time.Second); !ok {
			break
		}
		n++
	}
	if n != 3 || watcher.closeCode != closeTryAgain {
		t.Fatalf("watcher got %d frames and close code %d; want 3 and %d", n, watcher.closeCode, closeTryAgain)
	}
}

// recv takes c's next queued frame; false once its queue is closed and
// empty. It fails the test after wait.
func recv(c *Client, wait time.Duration) ([]byte, bool) {
	deadline := time.After(wait)
	for {
		c.q.mu.Lock()
		if len(c.q.msgs) > 0 {
			m := c.q.msgs[0]
			c.q.msgs = c.q.msgs[1:]
			c.q.bytes -= len(m)
			c.q.mu.Unlock()
			return m, true
		}
		closed := c.q.closed
		c.q.mu.Unlock()
		if closed {
			return nil, false
		}
		select {
		case <-c.q.wake:
		case <-deadline:
			panic("no frame in time")
		}
	}
}

// must returns c's next frame, failing t if there is none.
func must(t *testing.T, c *Client) []byte {
	t.Helper()
	m, ok := recv(c, 5*time.Second)
	if !ok {
		t.Fatalf("%s's queue closed", c.Role)
	}
	return m
}
