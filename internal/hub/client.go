package hub

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/gorilla/websocket"
)

// Close codes the hub sends.
const (
	closeNormal          = websocket.CloseNormalClosure
	closeGoingAway       = websocket.CloseGoingAway
	closePolicyViolation = websocket.ClosePolicyViolation
	closeTryAgain        = websocket.CloseTryAgainLater
)

// maxMessageBytes is the largest message read at all; a message between
// Options.MaxFrameBytes and this is refused (RefusedTooLarge), a larger
// one closes the connection (1009).
const maxMessageBytes = 1 << 20

// Handler acts on the frames of clients; the hub passes bytes and knows
// nothing of what they mean. It runs on the client's reader goroutine and
// answers through the hub.
type Handler interface {
	// HandleFrame acts on one text message of at most MaxFrameBytes.
	HandleFrame(ctx context.Context, c *Client, data []byte)
	// HandleRefused answers a message the hub did not pass on.
	HandleRefused(c *Client, why Refusal)
}

// Refusal is why the hub did not pass a message on.
type Refusal uint8

// The refusals.
const (
	RefusedTooLarge Refusal = iota + 1 // over Options.MaxFrameBytes
	RefusedBinary                      // not a text message
)

// Client is one websocket connection: who it is (plan, role, council) and
// its queue of frames to send.
type Client struct {
	Plan    string
	Role    string
	Council string

	hub         *Hub
	conn        *websocket.Conn
	q           *queue
	closeCode   int // set by the hub before it closes q
	closeReason string
	tokens      float64
	last        time.Time
	readerDone  chan struct{}
}

// closeGrace is how long the writer, having sent a flooder its close
// frame, waits for the reader to see the peer's answer before it closes
// the socket; closing at once, with the peer's frames still arriving,
// would reset the connection and lose the close frame.
const closeGrace = time.Second

// NewClient wraps an upgraded connection for plan, role and council.
func (h *Hub) NewClient(conn *websocket.Conn, plan, role, council string) *Client {
	return &Client{Plan: plan, Role: role, Council: council, hub: h, conn: conn,
		q: h.newQueue(council), tokens: float64(h.opt.Burst), last: time.Now(),
		readerDone: make(chan struct{})}
}

// Serve runs c's writer goroutine and its reader on the calling goroutine
// until the connection ends. c must have been registered first.
func (c *Client) Serve(ctx context.Context, handler Handler, log *slog.Logger) {
	h := c.hub
	h.mu.Lock()
	if h.shut {
		h.mu.Unlock()
		c.conn.Close()
		return
	}
	h.writers.Add(1)
	h.mu.Unlock()
	go c.writer()
	c.reader(ctx, handler, log)
}

// allow takes one frame from c's token bucket.
func (c *Client) allow() bool {
	now := time.Now()
	c.tokens += now.Sub(c.last).Seconds() * c.hub.opt.Rate
	c.last = now
	if max := float64(c.hub.opt.Burst); c.tokens > max {
		c.tokens = max
	}
	if c.tokens < 1 {
		return false
	}
	c.tokens--
	return true
}

func (c *Client) reader(ctx context.Context, handler Handler, log *slog.Logger) {
	defer func() {
		close(c.readerDone)
		c.hub.ops <- op{kind: opUnregister, client: c}
	}()
	opt := c.hub.opt
	c.conn.SetReadLimit(maxMessageBytes)
	c.conn.SetReadDeadline(time.Now().Add(opt.PongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(opt.PongWait))
	})
	buf := make([]byte, 0, 1024)
	flooding := false
	for {
		mt, r, err := c.conn.NextReader()
		if err != nil {
			if !websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				log.Debug("websocket read", "plan", c.Plan, "role", c.Role, "err", err)
			}
			return
		}
		if flooding {
			// Dropped: discard what is still coming until the peer
			// answers the close frame or the grace period ends.
			if _, err := io.Copy(io.Discard, r); err != nil {
				return
			}
			continue
		}
		c.conn.SetReadDeadline(time.Now().Add(opt.PongWait))
		if !c.allow() {
			flooding = true
			c.hub.Drop(c, closePolicyViolation, "too many frames")
			c.conn.SetReadDeadline(time.Now().Add(closeGrace))
			continue
		}
		b := bytes.NewBuffer(buf[:0])
		n, err := io.Copy(b, io.LimitReader(r, int64(opt.MaxFrameBytes)+1))
		if err != nil {
			return
		}
		if n > int64(opt.MaxFrameBytes) {
			if _, err := io.Copy(io.Discard, r); err != nil {
				return
			}
			handler.HandleRefused(c, RefusedTooLarge)
			continue
		}
		if mt != websocket.TextMessage {
			handler.HandleRefused(c, RefusedBinary)
			continue
		}
		handler.HandleFrame(ctx, c, b.Bytes())
	}
}

func (c *Client) writer() {
	opt := c.hub.opt
	ticker := time.NewTicker(opt.PingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
		c.hub.writers.Done()
	}()
	var batch [][]byte
	for {
		select {
		case <-c.q.wake:
			var closed bool
			batch, closed = c.q.take(batch)
			for i, msg := range batch {
				c.conn.SetWriteDeadline(time.Now().Add(opt.WriteWait))
				if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
					return
				}
				batch[i] = nil
			}
			if closed {
				c.conn.SetWriteDeadline(time.Now().Add(opt.WriteWait))
				c.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, c.closeReason))
				if c.closeCode == closePolicyViolation {
					// A flooder is still sending: let the reader drain
					// until the peer answers, so the close frame is read.
					select {
					case <-c.readerDone:
					case <-time.After(closeGrace):
					}
				}
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(opt.WriteWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}
