package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"parecon/internal/wire"
)

// deref returns *x, or 0 for nil.
func deref(x *float64) float64 {
	if x == nil {
		return 0
	}
	return *x
}

// client is one council's connection and what it saw.
type client struct {
	council *Council
	token   string
	conn    *websocket.Conn
	delay   time.Duration // how long after a round opens it submits

	round   int
	open    bool
	prices  map[string]float64
	budget  float64
	n       int    // proposals sent
	pending string // the ref of the proposal awaiting its answer
	// pendingRound is the round pending was sent for, sentRound the
	// round of the latest proposal (-1 before the first).
	pendingRound, sentRound int
	answered                map[string]bool // refs answered, each must be once
	sentAt                  time.Time
	acks                    []ackRec
	closedAt                map[int]time.Time
	rejected                int
	finished                bool

	// Several servers: a council whose server goes away reconnects to
	// the next one, resumes from its snapshot and resends what it had in
	// flight.
	urls       []string // websocket URLs, its own server's first
	dialer     *websocket.Dialer
	missed     map[int]bool // rounds that closed while it was away
	reconnects int
}

type ackRec struct {
	round    int
	sent, at time.Time
}

// bufs holds read buffers: round.closed frames of a large plan are tens
// of kilobytes, and ten thousand clients must not each keep one.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// connect dials the server as c's council and reads its snapshot.
func (c *client) connect(ctx context.Context, d *websocket.Dialer, wsURL string) error {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+c.token)
	conn, resp, err := d.DialContext(ctx, wsURL, h)
	if err != nil {
		if resp != nil {
			return fmt.Errorf("%v (%s)", err, resp.Status)
		}
		return err
	}
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	typ, b, release, err := readFrame(conn)
	if err != nil {
		conn.Close()
		return err
	}
	defer release()
	if typ != "snapshot" {
		conn.Close()
		return fmt.Errorf("first frame is %q, want a snapshot", typ)
	}
	var snap wire.Snapshot
	if err := json.Unmarshal(b, &snap); err != nil {
		conn.Close()
		return fmt.Errorf("snapshot: %w", err)
	}
	c.round, c.open, c.prices, c.budget = snap.Round.Number, snap.Round.Status == "open", snap.Round.Prices, deref(snap.Round.Budget)
	c.conn = conn
	return nil
}

// readFrame reads one text frame into a pooled buffer and returns its
// type, found without decoding the whole frame; release returns the
// buffer.
func readFrame(conn *websocket.Conn) (string, []byte, func(), error) {
	_, r, err := conn.NextReader()
	if err != nil {
		return "", nil, func() {}, err
	}
	buf := bufs.Get().(*bytes.Buffer)
	buf.Reset()
	release := func() {
		if buf.Cap() <= 1<<20 {
			bufs.Put(buf)
		}
	}
	if _, err := io.Copy(buf, r); err != nil {
		release()
		return "", nil, func() {}, err
	}
	b := buf.Bytes()
	return frameType(b), b, release, nil
}

// frameType returns the value of the frame's "type" key, which
// wire.Encode writes first, found without decoding the frame.
func frameType(b []byte) string {
	rest, ok := bytes.CutPrefix(b, []byte(`{"type":"`))
	if !ok {
		var m struct {
			Type string `json:"type"`
		}
		json.Unmarshal(b, &m)
		return m.Type
	}
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// submit sends c's proposal for its open round.
func (c *client) submit() error {
	c.n++
	c.pending = fmt.Sprintf("r%d-%d", c.round, c.n)
	c.pendingRound, c.sentRound = c.round, c.round
	return c.send(c.round)
}

// catchUp submits in the open round if c has sent nothing for it yet
// and nothing is awaiting its answer: after a reconnect, a proposal
// resent for a round that closed meanwhile is answered (acknowledged if
// it was stored, refused if not) and the council then proposes in the
// round now open.
func (c *client) catchUp(rounds int) error {
	if c.pending == "" && c.open && c.sentRound != c.round && len(c.closedAt)+len(c.missed) < rounds {
		return c.submit()
	}
	return nil
}

// reconnect dials the other servers in turn (for up to 30 s) after c's
// connection failed, reads the snapshot, notes the rounds that closed
// meanwhile and resends the proposal in flight with its ref and round
// (answered with its acknowledgement if it was stored, refused if its
// round closed without it) or submits in the open round. It reports
// whether c is connected again.
func (c *client) reconnect(ctx context.Context, rounds int) bool {
	if len(c.urls) < 2 {
		return false
	}
	c.conn.Close()
	last := c.round
	for i, end := 1, time.Now().Add(30*time.Second); time.Now().Before(end) && ctx.Err() == nil; i++ {
		u := c.urls[i%len(c.urls)]
		if err := c.connect(ctx, c.dialer, u); err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		c.urls = append(c.urls[i%len(c.urls):], c.urls[:i%len(c.urls)]...)
		c.reconnects++
		for r := last; r < c.round; r++ {
			if _, ok := c.closedAt[r]; !ok {
				c.missed[r] = true
			}
		}
		if c.pending != "" {
			c.send(c.pendingRound) // its answer comes; then it catches up
		} else {
			c.catchUp(rounds)
		}
		return true
	}
	return false
}

// answer notes the answer to ref and reports whether it is the first:
// a ref answered twice is an error. The answer to the pending ref clears
// it.
func (c *client) answer(ref string, fail func(string, ...any)) bool {
	if c.answered[ref] {
		fail("%q answered twice", ref)
		return false
	}
	c.answered[ref] = true
	if ref == c.pending {
		c.pending = ""
	}
	return true
}

// send sends c's proposal with ref c.pending for round.
func (c *client) send(round int) error {
	prop, err := json.Marshal(c.council.Proposal(c.prices, c.budget, c.n))
	if err != nil {
		return err
	}
	msg, err := wire.EncodeClient(wire.Submit{Ref: c.pending, Round: round, Proposal: prop})
	if err != nil {
		return err
	}
	c.sentAt = time.Now()
	c.conn.SetWriteDeadline(c.sentAt.Add(30 * time.Second))
	return c.conn.WriteMessage(websocket.TextMessage, msg)
}

// play submits in every round until rounds rounds have closed, the plan
// ends, the connection fails or ctx ends.
func (c *client) play(ctx context.Context, rounds int, errs *errorLog, acked *atomic.Int64, tick func()) {
	fail := func(format string, args ...any) {
		errs.add("council %s: "+format, append([]any{c.council.ID}, args...)...)
	}
	if c.open {
		if err := c.submit(); err != nil {
			fail("submit: %v", err)
			return
		}
	}
	for len(c.closedAt)+len(c.missed) < rounds {
		c.conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
		typ, b, release, err := readFrame(c.conn)
		now := time.Now()
		if err != nil {
			if ctx.Err() == nil && c.reconnect(ctx, rounds) {
				continue
			}
			if ctx.Err() == nil {
				fail("read: %v", err)
			}
			return
		}
		switch typ {
		case "proposal.accepted":
			var m wire.ProposalAccepted
			json.Unmarshal(b, &m)
			if !c.answer(m.Ref, fail) {
				break
			}
			// An earlier ref's answer may come after the next round's
			// proposal was sent: it still counts, for its own round.
			c.acks = append(c.acks, ackRec{round: m.Round, sent: c.sentAt, at: now})
			acked.Add(1)
			tick()
			if err := c.catchUp(rounds); err != nil {
				fail("submit: %v", err)
			}
		case "proposal.rejected":
			var m wire.ProposalRejected
			json.Unmarshal(b, &m)
			if !c.answer(m.Ref, fail) {
				break
			}
			c.rejected++
			if m.Field != "round" { // a stale round is the race with a close, not an error
				fail("proposal rejected: %s (%s)", m.Reason, m.Field)
			} else if err := c.catchUp(rounds); err != nil {
				fail("submit: %v", err)
			}
		case "round.closed":
			var m wire.RoundClosed
			// decode only the round number, the first key after type and
			// ref: the frame can be large
			if i := bytes.Index(b, []byte(`,"round":`)); i >= 0 {
				json.NewDecoder(bytes.NewReader(b[i+len(`,"round":`):])).Decode(&m.Round)
			}
			c.closedAt[m.Round] = now
			c.open = false
			tick()
		case "round.opened":
			var m wire.RoundOpened
			if err := json.Unmarshal(b, &m); err != nil {
				fail("round.opened: %v", err)
				release()
				return
			}
			c.round, c.prices, c.budget, c.open = m.Round, m.Prices, deref(m.Budget), true
			if len(c.closedAt)+len(c.missed) < rounds {
				if c.delay > 0 {
					time.Sleep(c.delay)
				}
				if err := c.submit(); err != nil {
					fail("submit: %v", err)
					release()
					return
				}
			}
		case "error":
			fail("error frame: %s", bytes.TrimSpace(b))
		case "plan.converged", "plan.stopped":
			fail("the plan ended: %s", b)
			release()
			return
		}
		release()
	}
	c.finished = true
}
