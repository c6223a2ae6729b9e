// Package hub carries the live protocol's websocket connections, in the
// style of gorilla's chat example: one hub goroutine owns the set of
// clients and every message to them; each connection has one reader and
// one writer goroutine. The hub carries bytes: it knows nothing of what
// a frame means (package wire does). A client whose queue is over its
// bound (frames for a council, bytes for a watcher) is dropped, never
// waited for. Messages reach the hub in the order they are handed to it,
// so a caller that registers a client with its snapshot and broadcasts
// from the same goroutine (a plan's, in package live) never lets a client
// miss or repeat an event.
package hub

import (
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Options tunes a hub; zero values take the defaults.
type Options struct {
	SendBuffer int // frames queued per council client before it is dropped (256)
	// WatcherBytes bounds the queue of a client of no council (a
	// facilitator or an observer), who gets a frame per proposal: in a
	// burst of thousands of proposals a second it must not be dropped,
	// yet thousands of idle observers must cost next to nothing. It is
	// counted in bytes of queued frames (4 MiB); nothing is preallocated.
	WatcherBytes int
	// MaxFrameBytes is the largest client frame passed to the handler; a
	// larger one is refused (RefusedTooLarge). Default 64 KiB.
	MaxFrameBytes int
	WriteWait     time.Duration // deadline of each write (10s)
	PongWait      time.Duration // a client silent this long is gone (60s)
	PingPeriod    time.Duration // how often the server pings (PongWait·9/10)
	Rate          float64       // frames per second a client may send (50)
	Burst         int           // frames a client may send at once (100)
}

// The defaults of Options' queue bounds.
const (
	DefaultSendBuffer   = 256     // frames per council socket
	DefaultWatcherBytes = 4 << 20 // bytes per facilitator or observer socket
)

func (o *Options) defaults() {
	if o.SendBuffer <= 0 {
		o.SendBuffer = DefaultSendBuffer
	}
	if o.WatcherBytes <= 0 {
		o.WatcherBytes = DefaultWatcherBytes
	}
	if o.MaxFrameBytes <= 0 {
		o.MaxFrameBytes = 64 << 10
	}
	if o.WriteWait <= 0 {
		o.WriteWait = 10 * time.Second
	}
	if o.PongWait <= 0 {
		o.PongWait = 60 * time.Second
	}
	if o.PingPeriod <= 0 || o.PingPeriod >= o.PongWait {
		o.PingPeriod = o.PongWait * 9 / 10
	}
	if o.Rate <= 0 {
		o.Rate = 50
	}
	if o.Burst <= 0 {
		o.Burst = 100
	}
}

// Hub owns the connected clients, grouped by plan.
type Hub struct {
	opt     Options
	ops     chan op
	done    chan struct{}
	writers sync.WaitGroup
	mu      sync.Mutex // guards count and shut
	count   int
	shut    bool // Shutdown has begun: Serve starts no writer
}

// op is one request to the hub goroutine.
type op struct {
	kind   opKind
	client *Client
	plan   string
	msg    []byte
	role   string // opBroadcast: only the clients of this role, if set
	build  func(*Client) []byte
	code   int
	reason string
	ack    chan struct{}
}

type opKind uint8

const (
	opRegister opKind = iota
	opUnregister
	opSend
	opBroadcast
	opDrop
	opShutdown
)

// newQueue returns the queue of a new client: a council's bounded in
// frames, a watcher's (no council) in bytes.
func (h *Hub) newQueue(council string) *queue {
	if council == "" {
		return newQueue(0, h.opt.WatcherBytes)
	}
	return newQueue(h.opt.SendBuffer, 0)
}

// CloseWith writes a close frame with code and reason on a connection
// that was never registered, and closes it.
func CloseWith(conn *websocket.Conn, code int, reason string) {
	conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	conn.Close()
}

// New returns a hub; call Run to start it.
func New(opt Options) *Hub {
	opt.defaults()
	return &Hub{opt: opt, ops: make(chan op, 4096), done: make(chan struct{})}
}

// Run is the hub goroutine: it serves every request to the hub, for the
// life of the process (after Shutdown it refuses new clients).
func (h *Hub) Run() {
	plans := map[string]map[*Client]struct{}{}
	roles := map[string]map[string]map[*Client]struct{}{} // plan → role → clients
	closing := false
	remove := func(c *Client, code int, reason string) {
		set := plans[c.Plan]
		if _, ok := set[c]; !ok {
			return
		}
		delete(set, c)
		if len(set) == 0 {
			delete(plans, c.Plan)
		}
		byRole := roles[c.Plan]
		delete(byRole[c.Role], c)
		if len(byRole[c.Role]) == 0 {
			delete(byRole, c.Role)
		}
		if len(byRole) == 0 {
			delete(roles, c.Plan)
		}
		c.closeCode, c.closeReason = code, reason
		c.q.close()
		h.mu.Lock()
		h.count--
		h.mu.Unlock()
	}
	deliver := func(c *Client, msg []byte) {
		if !c.q.push(msg) {
			remove(c, closeTryAgain, "too slow: send buffer full")
			// Its writer is likely stuck on a full socket: end that write
			// now rather than at the write deadline, so a stalled client
			// holds nothing of the server's.
			if c.conn != nil {
				c.conn.UnderlyingConn().SetWriteDeadline(time.Now())
			}
		}
	}
	for o := range h.ops {
		switch o.kind {
		case opRegister:
			c := o.client
			if closing {
				c.closeCode, c.closeReason = closeGoingAway, "server shutting down"
				c.q.close()
				break
			}
			set := plans[c.Plan]
			if set == nil {
				set = map[*Client]struct{}{}
				plans[c.Plan] = set
			}
			set[c] = struct{}{}
			byRole := roles[c.Plan]
			if byRole == nil {
				byRole = map[string]map[*Client]struct{}{}
				roles[c.Plan] = byRole
			}
			if byRole[c.Role] == nil {
				byRole[c.Role] = map[*Client]struct{}{}
			}
			byRole[c.Role][c] = struct{}{}
			h.mu.Lock()
			h.count++
			h.mu.Unlock()
			if o.msg != nil {
				deliver(c, o.msg)
			}
		case opUnregister:
			remove(o.client, closeNormal, "")
		case opDrop:
			remove(o.client, o.code, o.reason)
		case opSend:
			if _, ok := plans[o.client.Plan][o.client]; ok {
				deliver(o.client, o.msg)
			}
		case opBroadcast:
			set := plans[o.plan]
			if o.role != "" {
				set = roles[o.plan][o.role]
			}
			for c := range set {
				msg := o.msg
				if o.build != nil {
					msg = o.build(c)
				}
				if msg != nil {
					deliver(c, msg)
				}
			}
		case opShutdown:
			closing = true
			for _, set := range plans {
				for c := range set {
					remove(c, closeGoingAway, "server shutting down")
				}
			}
			close(o.ack)
		}
	}
}

// Register adds c to its plan's clients; first, if not nil, is the first
// frame it gets (its snapshot).
func (h *Hub) Register(c *Client, first []byte) {
	h.ops <- op{kind: opRegister, client: c, msg: first}
}

// Send queues msg for c alone.
func (h *Hub) Send(c *Client, msg []byte) { h.ops <- op{kind: opSend, client: c, msg: msg} }

// Broadcast queues msg for every client of plan.
func (h *Hub) Broadcast(plan string, msg []byte) {
	h.ops <- op{kind: opBroadcast, plan: plan, msg: msg}
}

// BroadcastEach queues build(c) for every client c of plan; a nil result
// skips c. build runs on the hub goroutine and must be quick.
func (h *Hub) BroadcastEach(plan string, build func(c *Client) []byte) {
	h.ops <- op{kind: opBroadcast, plan: plan, build: build}
}

// BroadcastRole queues msg for the clients of plan that have role: a
// frame for a few watchers costs nothing per other client.
func (h *Hub) BroadcastRole(plan, role string, msg []byte) {
	h.ops <- op{kind: opBroadcast, plan: plan, role: role, msg: msg}
}

// BroadcastRoleLazy queues build() for the clients of plan that have
// role; build runs on the hub goroutine, once, and only if there is such
// a client (a frame nobody would get is never marshalled).
func (h *Hub) BroadcastRoleLazy(plan, role string, build func() []byte) {
	var msg []byte
	h.ops <- op{kind: opBroadcast, plan: plan, role: role, build: func(*Client) []byte {
		if msg == nil {
			msg = build()
		}
		return msg
	}}
}

// Drop closes c's connection with a close code and reason.
func (h *Hub) Drop(c *Client, code int, reason string) {
	h.ops <- op{kind: opDrop, client: c, code: code, reason: reason}
}

// Clients returns the number of connected clients.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count
}

// Shutdown closes every connection with a going-away frame, refuses new
// ones, and waits (at most until timeout) for the writers to finish.
func (h *Hub) Shutdown(timeout time.Duration) {
	ack := make(chan struct{})
	h.ops <- op{kind: opShutdown, ack: ack}
	<-ack
	// No writer starts after this (Serve checks shut under mu), so the
	// Wait below never races an Add.
	h.mu.Lock()
	h.shut = true
	h.mu.Unlock()
	done := make(chan struct{})
	go func() { h.writers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
	}
}
