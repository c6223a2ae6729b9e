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
	slow := &Client{Plan: "a", hub: h, send: make(chan []byte, 4)}
	fast := &Client{Plan: "a", hub: h, send: make(chan []byte, 4)}
	other := &Client{Plan: "b", hub: h, send: make(chan []byte, 4)}
	got := make(chan []byte, 100)
	go func() {
		for m := range fast.send {
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
	for range slow.send {
		n++
	}
	if n != 4 || slow.closeCode != closeTryAgain {
		t.Fatalf("slow client: %d queued, close code %d; want 4 and %d", n, slow.closeCode, closeTryAgain)
	}
	if len(other.send) != 0 {
		t.Fatal("plan b's client got plan a's broadcast")
	}
	if c := h.Clients(); c != 2 {
		t.Fatalf("%d clients, want 2", c)
	}
	h.Shutdown(time.Second)
	if _, ok := <-other.send; ok || other.closeCode != closeGoingAway {
		t.Fatalf("after shutdown: close code %d, want going away", other.closeCode)
	}
	late := &Client{Plan: "a", hub: h, send: make(chan []byte, 4)}
	h.Register(late, []byte("snap"))
	if _, ok := <-late.send; ok {
		t.Fatal("a client registered after shutdown got a message")
	}
}

// TestBroadcastEach builds each client's own frame and skips nil ones.
func TestBroadcastEach(t *testing.T) {
	h := New(Options{})
	go h.Run()
	a := &Client{Plan: "p", Role: "facilitator", hub: h, send: make(chan []byte, 4)}
	b := &Client{Plan: "p", Role: "observer", hub: h, send: make(chan []byte, 4)}
	h.Register(a, nil)
	h.Register(b, nil)
	h.BroadcastEach("p", func(c *Client) []byte {
		if c.Role == "facilitator" {
			return []byte("secret")
		}
		return nil
	})
	h.Broadcast("p", []byte("all"))
	if m := <-a.send; string(m) != "secret" {
		t.Fatalf("facilitator got %q", m)
	}
	if m := <-b.send; string(m) != "all" {
		t.Fatalf("observer got %q first, want only the broadcast to all", m)
	}
}

// TestBroadcastRole reaches only the clients of one role of one plan, and
// forgets a client that left.
func TestBroadcastRole(t *testing.T) {
	h := New(Options{})
	go h.Run()
	f := &Client{Plan: "p", Role: "facilitator", hub: h, send: make(chan []byte, 4)}
	o := &Client{Plan: "p", Role: "observer", hub: h, send: make(chan []byte, 4)}
	c := &Client{Plan: "p", Role: "council", Council: "x", hub: h, send: make(chan []byte, 4)}
	q := &Client{Plan: "q", Role: "observer", hub: h, send: make(chan []byte, 4)}
	for _, cl := range []*Client{f, o, c, q} {
		h.Register(cl, nil)
	}
	h.BroadcastRole("p", "observer", []byte("seen"))
	h.Drop(o, closeNormal, "")
	h.BroadcastRole("p", "observer", []byte("after"))
	h.Broadcast("p", []byte("all"))
	if m := <-o.send; string(m) != "seen" {
		t.Fatalf("observer got %q", m)
	}
	if _, ok := <-o.send; ok {
		t.Fatal("a dropped observer got a role broadcast")
	}
	for _, cl := range []*Client{f, c} {
		if m := <-cl.send; string(m) != "all" {
			t.Fatalf("%s got %q first, want only the broadcast to all", cl.Role, m)
		}
	}
	if len(q.send) != 0 {
		t.Fatal("another plan's observer got the role broadcast")
	}
}

// TestBroadcastRoleLazy builds the frame once for all the role's clients,
// and not at all when the plan has none.
func TestBroadcastRoleLazy(t *testing.T) {
	h := New(Options{})
	go h.Run()
	f1 := &Client{Plan: "p", Role: "facilitator", hub: h, send: make(chan []byte, 4)}
	f2 := &Client{Plan: "p", Role: "facilitator", hub: h, send: make(chan []byte, 4)}
	c := &Client{Plan: "p", Role: "council", hub: h, send: make(chan []byte, 4)}
	for _, cl := range []*Client{f1, f2, c} {
		h.Register(cl, nil)
	}
	built := 0
	h.BroadcastRoleLazy("p", "facilitator", func() []byte { built++; return []byte("x") })
	h.BroadcastRoleLazy("p", "observer", func() []byte { built += 100; return []byte("y") })
	h.Broadcast("p", []byte("all"))
	for _, cl := range []*Client{f1, f2} {
		if m := <-cl.send; string(m) != "x" {
			t.Fatalf("facilitator got %q", m)
		}
	}
	if m := <-c.send; string(m) != "all" {
		t.Fatalf("council got %q first", m)
	}
	if built != 1 {
		t.Fatalf("built %d times (100 per observer frame nobody gets)", built)
	}
}

// TestWatcherBuffer: a client of no council (facilitator, observer) gets
// the larger queue, a council's the small one.
func TestWatcherBuffer(t *testing.T) {
	h := New(Options{SendBuffer: 3, WatcherBuffer: 50})
	if c := h.NewClient(nil, "p", "council", "north"); cap(c.send) != 3 {
		t.Fatalf("council queue %d, want 3", cap(c.send))
	}
	if c := h.NewClient(nil, "p", "facilitator", ""); cap(c.send) != 50 {
		t.Fatalf("facilitator queue %d, want 50", cap(c.send))
	}
	if d := New(Options{}); cap(d.NewClient(nil, "p", "observer", "").send) != 32768 {
		t.Fatal("default watcher queue is not 32768")
	}
}
