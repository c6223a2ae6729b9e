package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Plan returns the plan id, or ErrNotFound.
func (s *Store) Plan(ctx context.Context, id string) (Plan, error) {
	var p Plan
	var created, dl int64
	err := s.queryRow(ctx, `SELECT id, name, scenario, options, created_at, status, round_deadline, privacy FROM plans WHERE id = ?`, id).
		Scan(&p.ID, &p.Name, &p.Scenario, &p.Options, &created, &p.Status, &dl, &p.Privacy)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	p.Created, p.RoundDeadline = fromMs(created), time.Duration(dl)*time.Second
	return p, err
}

// PageQuery selects one page of a plan's rows: those after the id (or
// seq) After, at most Limit of them, of one council if Council is set and
// of one round if Round ≥ 0.
type PageQuery struct {
	Plan    string
	Council string
	Round   int
	After   int64
	Limit   int
}

// narrow adds q's council and round to a page's query and its arguments,
// then the order by key and the limit.
func (q PageQuery) narrow(query string, args []any, key string) (string, []any) {
	if q.Council != "" {
		query += ` AND council_id = ?`
		args = append(args, q.Council)
	}
	if q.Round >= 0 {
		query += ` AND round = ?`
		args = append(args, q.Round)
	}
	return query + ` ORDER BY ` + key + ` LIMIT ?`, append(args, q.Limit)
}

// ProposalsPage returns a page of a plan's accepted proposals in id order,
// through the index on (plan_id, council_id, ref) for a council's (its
// ids sorted) and on (plan_id, round, id) otherwise: a plan stores its proposals round after
// round, so id order is (round, id) order, and a page of every round
// starts after the round and id of the cursor; such a cursor that is no
// proposal of the plan (After > 0) is refused with ErrNotFound.
func (s *Store) ProposalsPage(ctx context.Context, q PageQuery) ([]Proposal, error) {
	query := `SELECT ` + proposalColumns + ` FROM proposals WHERE plan_id = ? AND id > ?`
	args := []any{q.Plan, q.After}
	key := "id"
	if q.Council == "" {
		key = "round, id"
	}
	if q.Council == "" && q.Round < 0 {
		after := -1
		if q.After > 0 {
			err := s.queryRow(ctx, `SELECT round FROM proposals WHERE id = ? AND plan_id = ?`, q.After, q.Plan).Scan(&after)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, ErrNotFound
			}
			if err != nil {
				return nil, err
			}
		}
		query = `SELECT ` + proposalColumns + ` FROM proposals WHERE plan_id = ? AND (round, id) > (?, ?)`
		args = []any{q.Plan, after, q.After}
	}
	query, args = q.narrow(query, args, key)
	if q.Council != "" {
		// The ids are chosen in proposals_council alone (its entries hold
		// them) and sorted; then only the page's rows are read.
		query = `SELECT ` + proposalColumns + ` FROM proposals WHERE id IN (` +
			strings.Replace(query, proposalColumns, "id", 1) + `) ORDER BY id`
	}
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanProposals(rows, q.Plan)
}

// RejectedType is the audit event of a rejected proposal, the one type
// EventsPage selects by.
const RejectedType = "proposal.rejected"

// EventsPage returns a page of a plan's audit events in seq order (of
// type typ if set: "" or RejectedType), through the index on (plan_id,
// seq) or the partial index of rejected attempts.
func (s *Store) EventsPage(ctx context.Context, q PageQuery, typ string) ([]Event, error) {
	query := `SELECT ` + eventColumns + ` FROM audit WHERE plan_id = ? AND seq > ?`
	args := []any{q.Plan, q.After}
	switch typ {
	case "":
	case RejectedType:
		// A literal, so that the partial index audit_rejected applies.
		query += ` AND type = 'proposal.rejected'`
	default:
		return nil, fmt.Errorf("store: EventsPage of type %q: only %q is indexed", typ, RejectedType)
	}
	query, args = q.narrow(query, args, "seq")
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows, q.Plan)
}
