package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrRoundNotOpen is returned by CloseRound when the round is closed
// already (or does not exist), by AddProposal on PostgreSQL for a round
// not open, and by SetPrivacy once a round of the plan has closed.
var ErrRoundNotOpen = errors.New("store: the round is not open")

// ErrStale is returned by CloseRound on PostgreSQL when the round holds
// human proposals the closer had not seen (another server stored them),
// or the plan's privacy setting is no longer the one the close used:
// nothing is stored; the closer reloads the round and closes again.
var ErrStale = errors.New("store: the round has proposals the close did not see")

// CreatePlan stores a new plan with its tokens, its round 0 and its first
// audit events, in one transaction.
func (s *Store) CreatePlan(ctx context.Context, p Plan, tokens []Token, r0 Round, events []Event) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO plans (id, name, scenario, options, created_at, status, round_deadline) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.Name, p.Scenario, orEmpty(p.Options), ms(p.Created), p.Status, int64(p.RoundDeadline/time.Second))
		if err != nil {
			return err
		}
		for _, t := range tokens {
			if _, err := tx.ExecContext(ctx, `INSERT INTO tokens (hash, plan_id, role, council_id) VALUES (?, ?, ?, ?)`, t.Hash, p.ID, t.Role, t.Council); err != nil {
				return err
			}
		}
		if err := insertRound(ctx, tx, r0); err != nil {
			return err
		}
		return insertEvents(ctx, tx, events)
	})
}

// Plans returns every plan, oldest first.
func (s *Store) Plans(ctx context.Context) ([]Plan, error) {
	rows, err := s.query(ctx, `SELECT id, name, scenario, options, created_at, status, round_deadline, privacy FROM plans ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []Plan
	for rows.Next() {
		var p Plan
		var created, dl int64
		if err := rows.Scan(&p.ID, &p.Name, &p.Scenario, &p.Options, &created, &p.Status, &dl, &p.Privacy); err != nil {
			return nil, err
		}
		p.Created, p.RoundDeadline = fromMs(created), time.Duration(dl)*time.Second
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// Token returns what the token with this hash grants, or ErrNotFound.
func (s *Store) Token(ctx context.Context, hash []byte) (Token, error) {
	t := Token{Hash: hash}
	err := s.queryRow(ctx, `SELECT plan_id, role, council_id FROM tokens WHERE hash = ?`, hash).Scan(&t.PlanID, &t.Role, &t.Council)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// SetRoundDeadline stores a plan's round deadline setting and the current
// round's deadline (zero = none), with an audit event.
func (s *Store) SetRoundDeadline(ctx context.Context, planID string, d time.Duration, round int, deadline time.Time, ev Event) error {
	return s.tx(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET round_deadline = ? WHERE id = ?`, int64(d/time.Second), planID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rounds SET deadline = ? WHERE plan_id = ? AND number = ?`, nullMs(deadline), planID, round); err != nil {
			return err
		}
		return insertEvents(ctx, tx, []Event{ev})
	})
}

// CloseRound stores, in one transaction, the stand-in proposals made at
// the close, the closed round's result, the next round (nil if the plan
// ended), the plan's status and the audit events.
func (s *Store) CloseRound(ctx context.Context, closed Round, standins []Proposal, next *Round, status string, events []Event) error {
	return s.txPlan(ctx, closed.PlanID, func(tx *wtx) error {
		for _, p := range standins {
			if _, err := insertProposal(ctx, tx, p); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE rounds SET closed_at = ?, result = ? WHERE plan_id = ? AND number = ? AND closed_at IS NULL`,
			ms(closed.Closed), []byte(closed.Result), closed.PlanID, closed.Number)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n != 1 {
			return ErrRoundNotOpen
		}
		if closed.Seen != nil && tx.s.pg != nil {
			// The privacy setting the public view was made under is still
			// the plan's: its row is locked until this commits.
			var privacy []byte
			if err := tx.QueryRowContext(ctx, `SELECT privacy FROM plans WHERE id = ? FOR NO KEY UPDATE`, closed.PlanID).Scan(&privacy); err != nil {
				return err
			}
			if !bytes.Equal(privacy, closed.Privacy) {
				return ErrStale
			}
			// The round's row is locked now: no proposal joins it after
			// this count.
			var stored int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM proposals WHERE plan_id = ? AND round = ? AND source = 'human'`, closed.PlanID, closed.Number).Scan(&stored); err != nil {
				return err
			}
			if stored != *closed.Seen {
				return ErrStale
			}
		}
		if c := closed.Commit; c != nil {
			if err := insertCommit(ctx, tx, closed.PlanID, closed.Number, c); err != nil {
				return err
			}
		}
		if next != nil {
			if err := insertRound(ctx, tx, *next); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET status = ? WHERE id = ?`, status, closed.PlanID); err != nil {
			return err
		}
		return insertEvents(ctx, tx, events)
	})
}

// Rounds returns a plan's rounds in order.
func (s *Store) Rounds(ctx context.Context, planID string) ([]Round, error) {
	rows, err := s.query(ctx, `SELECT number, prices, opened_at, deadline, closed_at, result FROM rounds WHERE plan_id = ? ORDER BY number`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []Round
	for rows.Next() {
		r := Round{PlanID: planID}
		var prices []byte
		var opened int64
		var deadline, closed sql.NullInt64
		var result []byte
		if err := rows.Scan(&r.Number, &prices, &opened, &deadline, &closed, &result); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(prices, &r.Prices); err != nil {
			return nil, fmt.Errorf("%w: plan %q round %d: prices: %w", ErrCorrupt, planID, r.Number, err)
		}
		r.Opened = fromMs(opened)
		if deadline.Valid {
			r.Deadline = fromMs(deadline.Int64)
		}
		if closed.Valid {
			r.Closed = fromMs(closed.Int64)
		}
		if err := checkJSON(fmt.Sprintf("plan %q round %d result", planID, r.Number), result, true); err != nil {
			return nil, err
		}
		r.Result = result
		rs = append(rs, r)
	}
	return rs, rows.Err()
}

func insertRound(ctx context.Context, tx *wtx, r Round) error {
	tx.touch(r.PlanID)
	prices, err := json.Marshal(r.Prices)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO rounds (plan_id, number, prices, opened_at, deadline) VALUES (?, ?, ?, ?, ?)`,
		r.PlanID, r.Number, prices, ms(r.Opened), nullMs(r.Deadline))
	return err
}
