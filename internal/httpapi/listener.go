package httpapi

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// connLimiter caps a listener's connections: at most max at once, and at
// most perAddr HTTP connections (websockets, once upgraded, count only
// towards max) from one remote IP. A connection over a cap takes the place
// of the longest-waiting idle one (keep-alive between requests, or
// accepted and not yet sent a request): so a flood of idle connections
// cannot keep others out, it only evicts itself. When nothing is idle the
// new connection is answered 503 and closed.
type connLimiter struct {
	max, perAddr int

	mu     sync.Mutex
	all    map[*limitedConn]struct{}
	byAddr map[string]map[*limitedConn]struct{} // HTTP connections only
}

// limitedConn is a connection the limiter counts.
type limitedConn struct {
	net.Conn
	l    *connLimiter
	addr string

	// Under l.mu:
	state    http.ConnState
	since    time.Time // of the last change to idle or new
	released bool      // out of all
	upgraded bool      // out of byAddr (hijacked, or released)

	closeOnce sync.Once
}

// limitListener is the listener whose connections a connLimiter counts.
type limitListener struct {
	net.Listener
	l *connLimiter
}

// refusal is what a connection over the caps is told before it is closed.
var refusal = func() []byte {
	body := `{"error":{"code":"unavailable","message":"the server has too many connections; try again"}}`
	return []byte("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\nRetry-After: 5\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}()

// Accept returns the next connection within the caps; those over them
// are answered and closed without reaching the server.
func (ll *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := ll.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if lc := ll.l.admit(c); lc != nil {
			return lc, nil
		}
		c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		c.Write(refusal)
		c.Close()
	}
}

// remoteIP is c's remote IP (its whole address if it has no port).
func remoteIP(c net.Conn) string {
	a := c.RemoteAddr().String()
	if h, _, err := net.SplitHostPort(a); err == nil {
		return h
	}
	return a
}

// admit counts c in, evicting an idle connection if c is over a cap; nil
// if it cannot.
func (l *connLimiter) admit(c net.Conn) *limitedConn {
	lc := &limitedConn{Conn: c, l: l, addr: remoteIP(c), state: http.StateNew, since: time.Now()}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.perAddr > 0 && len(l.byAddr[lc.addr]) >= l.perAddr && !l.evict(l.byAddr[lc.addr]) {
		return nil
	}
	if l.max > 0 && len(l.all) >= l.max && !l.evict(l.all) {
		return nil
	}
	l.all[lc] = struct{}{}
	m := l.byAddr[lc.addr]
	if m == nil {
		m = map[*limitedConn]struct{}{}
		l.byAddr[lc.addr] = m
	}
	m[lc] = struct{}{}
	return lc
}

// evict closes the longest-waiting idle or new connection of set and
// counts it out; false if none is.
func (l *connLimiter) evict(set map[*limitedConn]struct{}) bool {
	var old *limitedConn
	for c := range set {
		if (c.state == http.StateIdle || c.state == http.StateNew) && (old == nil || c.since.Before(old.since)) {
			old = c
		}
	}
	if old == nil {
		return false
	}
	l.releaseLocked(old)
	old.Conn.Close() // the server's goroutine ends on its own
	return true
}

// releaseLocked counts c out of both caps.
func (l *connLimiter) releaseLocked(c *limitedConn) {
	if !c.released {
		c.released = true
		delete(l.all, c)
	}
	l.upgradeLocked(c)
}

// upgradeLocked counts c out of its address's HTTP connections.
func (l *connLimiter) upgradeLocked(c *limitedConn) {
	if c.upgraded {
		return
	}
	c.upgraded = true
	if m := l.byAddr[c.addr]; m != nil {
		delete(m, c)
		if len(m) == 0 {
			delete(l.byAddr, c.addr)
		}
	}
}

// connState is the http.Server's ConnState hook: it follows each counted
// connection's state.
func (l *connLimiter) connState(nc net.Conn, st http.ConnState) {
	c, ok := nc.(*limitedConn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c.state = st
	switch st {
	case http.StateIdle:
		c.since = time.Now()
	case http.StateHijacked:
		l.upgradeLocked(c)
	case http.StateClosed:
		l.releaseLocked(c)
	}
}

// Close closes the connection and counts it out (a hijacked connection is
// closed by its websocket, not the server).
func (c *limitedConn) Close() error {
	c.closeOnce.Do(func() {
		c.l.mu.Lock()
		c.l.releaseLocked(c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
