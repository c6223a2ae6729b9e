package live

import (
	"sync"
	"time"

	"parecon/councils"
)

// plan is one live plan in memory. Every field is guarded by mu.
type plan struct {
	mu       sync.Mutex
	id       string
	name     string
	created  time.Time
	econ     *councils.Economy
	live     *councils.Live
	opts     councils.LiveOptions
	deadline time.Duration // the facilitator's setting: each round's time
	opened   time.Time     // when the current round opened
	due      time.Time     // the current round's deadline; zero = none
	timer    *time.Timer
	acks     map[string]ack // by council + "\x00" + ref
}

// ack is the answer to an accepted proposal, kept for idempotent
// resubmission with the same ref.
type ack struct {
	round   int
	id      int64
	verdict councils.Verdict
}

func ackKey(council, ref string) string { return council + "\x00" + ref }

// council returns the index of council id.
func (p *plan) council(id string) (int, bool) { return p.econ.Council(id) }
