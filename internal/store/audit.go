package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// AddEvents appends events to the audit log in one transaction.
func (s *Store) AddEvents(ctx context.Context, events ...Event) error {
	return s.tx(ctx, func(tx *wtx) error { return insertEvents(ctx, tx, events) })
}

// Events returns a plan's audit log in order.
func (s *Store) Events(ctx context.Context, planID string) ([]Event, error) {
	rows, err := s.query(ctx, `SELECT `+eventColumns+` FROM audit WHERE plan_id = ? ORDER BY seq`, planID)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows, planID)
}

// eventColumns are the columns scanEvents reads, in its order.
const eventColumns = `seq, at, type, round, council_id, detail`

// scanEvents reads rows of eventColumns into events of planID, checking
// the JSON of their details (an undecodable one is ErrCorrupt), and
// closes rows.
func scanEvents(rows *sql.Rows, planID string) ([]Event, error) {
	defer rows.Close()
	var es []Event
	for rows.Next() {
		e := Event{PlanID: planID}
		var at int64
		var round sql.NullInt64
		var detail []byte
		if err := rows.Scan(&e.Seq, &at, &e.Type, &round, &e.Council, &detail); err != nil {
			return nil, err
		}
		e.At, e.Detail = fromMs(at), detail
		if err := checkJSON(fmt.Sprintf("plan %q audit event %d detail", planID, e.Seq), detail, true); err != nil {
			return nil, err
		}
		if round.Valid {
			n := int(round.Int64)
			e.Round = &n
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

func insertEvents(ctx context.Context, tx *wtx, events []Event) error {
	for _, e := range events {
		tx.touch(e.PlanID)
		var round any
		if e.Round != nil {
			round = *e.Round
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit (plan_id, at, type, round, council_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
			e.PlanID, ms(e.At), e.Type, round, e.Council, orEmpty(e.Detail)); err != nil {
			return err
		}
	}
	return nil
}

// EventsOfType returns a plan's audit events of the given types, in order
// (a replay reads the events that change a plan besides its proposals and
// rounds: the new goods and their withdrawals).
func (s *Store) EventsOfType(ctx context.Context, planID string, types ...string) ([]Event, error) {
	if len(types) == 0 {
		return nil, nil
	}
	q := `SELECT ` + eventColumns + ` FROM audit WHERE plan_id = ? AND type IN (?` + strings.Repeat(", ?", len(types)-1) + `) ORDER BY seq`
	args := []any{planID}
	for _, t := range types {
		args = append(args, t)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows, planID)
}
