package store

import (
	"encoding/json"
	"time"
)

// Plan is a row of plans.
type Plan struct {
	ID       string
	Name     string
	Scenario []byte // the scenario as submitted
	Options  []byte // the live options (JSON)
	Created  time.Time
	Status   string
	// RoundDeadline is the facilitator's deadline for each round; 0 = none.
	RoundDeadline time.Duration
	// Privacy is the facilitator's privacy setting (JSON) if changed after
	// creation; nil = the scenario's.
	Privacy []byte
}

// Token is a row of tokens: the hash of a token and what it grants.
type Token struct {
	Hash    []byte
	PlanID  string
	Role    string
	Council string
}

// Round is a row of rounds.
type Round struct {
	PlanID   string
	Number   int
	Prices   []float64
	Opened   time.Time
	Deadline time.Time // zero = none
	Closed   time.Time // zero while open
	Result   json.RawMessage
	// Seen, if set, is how many human proposals of the round its close
	// saw; on PostgreSQL, CloseRound refuses (ErrStale) a close that
	// missed some. Not stored.
	Seen *int
	// Privacy is the plans.privacy the close's public view was made
	// under (nil: the scenario's); with Seen, on PostgreSQL, CloseRound
	// refuses (ErrStale) a close whose setting another server changed.
	// Not stored with the round.
	Privacy []byte
	// Commit is the closed round's commitment, stored with its close (nil:
	// none, as in rounds closed before proofs existed).
	Commit *Commit
}

// Commit is a row of round_commits with its leaves: a closed round's
// Merkle root over its counted proposals, the chain up to it, the leaf
// hashes in leaf order (32 bytes each) and the leaves kept for proofs.
type Commit struct {
	Round  int
	Size   int
	Root   []byte
	Chain  []byte
	Hashes []byte
	Leaves []Leaf
}

// Leaf is a row of round_leaves: one council's leaf in a round's tree.
type Leaf struct {
	Council string
	Index   int
	Data    []byte
}

// Proposal is a row of proposals: an accepted proposal.
type Proposal struct {
	ID      int64
	PlanID  string
	Round   int
	Council string
	Ref     string
	Body    json.RawMessage
	Verdict json.RawMessage
	Source  string // human | standin
	Created time.Time
}

// Event is a row of the audit log.
type Event struct {
	Seq     int64
	PlanID  string
	At      time.Time
	Type    string
	Round   *int
	Council string
	Detail  json.RawMessage
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMs(v int64) time.Time { return time.UnixMilli(v).UTC() }

// nullMs is ms(t), or NULL for the zero time.
func nullMs(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func orEmpty(b []byte) []byte {
	if b == nil {
		return []byte("{}")
	}
	return b
}
