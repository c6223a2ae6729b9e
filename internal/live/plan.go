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

	// Proposals being committed: their checks passed against the open
	// round; they are applied once their group commits. A close waits for
	// them (closing holds new submissions back meanwhile), so the round it
	// totals is exactly what was committed for it.
	cond     *sync.Cond // on mu
	pending  int
	closing  bool
	inflight map[string]*flight // by ackKey, for a ref resubmitted while it commits
	lastID   map[int]int64      // the last applied proposal id per council
	// waiting counts the human councils that have not submitted in round
	// waitRound, so that a full round is noticed in O(1).
	waiting, waitRound int
}

// flight is a proposal being committed; done closes when it is applied
// (ack set) or failed (err set).
type flight struct {
	done chan struct{}
	ack  ack
	err  *councils.Error
}

// init sets up what replay and create leave empty.
func (p *plan) init() {
	p.cond = sync.NewCond(&p.mu)
	p.inflight = map[string]*flight{}
	p.lastID = map[int]int64{}
	p.waitRound = -1
}

// humansWaiting returns how many human councils have not submitted in the
// open round (p.mu held).
func (p *plan) humansWaiting() int {
	if n := p.live.Round().Number; n != p.waitRound {
		p.waitRound, p.waiting = n, len(p.live.Waiting())
	}
	return p.waiting
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
