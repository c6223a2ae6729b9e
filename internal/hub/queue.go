package hub

import "sync"

// queue is one client's frames waiting for its writer, bounded by a number
// of frames, a number of bytes, or both (0 = no bound). It grows as
// frames come and keeps nothing preallocated, so an idle connection costs
// a few words; the frames themselves are shared with every other client
// of a broadcast.
type queue struct {
	mu       sync.Mutex
	msgs     [][]byte
	bytes    int
	maxMsgs  int
	maxBytes int
	closed   bool
	wake     chan struct{} // 1-buffered: something to take
}

func newQueue(maxMsgs, maxBytes int) *queue {
	return &queue{maxMsgs: maxMsgs, maxBytes: maxBytes, wake: make(chan struct{}, 1)}
}

// push queues m; false (m not queued) when the queue is over a bound or
// closed.
func (q *queue) push(m []byte) bool {
	q.mu.Lock()
	if q.closed || q.maxMsgs > 0 && len(q.msgs) >= q.maxMsgs || q.maxBytes > 0 && q.bytes+len(m) > q.maxBytes && len(q.msgs) > 0 {
		q.mu.Unlock()
		return false
	}
	q.msgs = append(q.msgs, m)
	q.bytes += len(m)
	q.mu.Unlock()
	q.signal()
	return true
}

// close marks the queue closed: the writer sends what is queued, then
// the close frame.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take returns every queued frame (appended to buf[:0]) and whether the
// queue is closed.
func (q *queue) take(buf [][]byte) ([][]byte, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := append(buf[:0], q.msgs...)
	clear(q.msgs)
	q.msgs = q.msgs[:0]
	if cap(q.msgs) > 1024 {
		q.msgs = nil // a burst's backing array is not kept
	}
	q.bytes = 0
	return out, q.closed
}

// len returns the number of queued frames.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.msgs)
}
