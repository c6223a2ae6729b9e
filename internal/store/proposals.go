package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// AddProposal stores an accepted proposal and its audit event in one
// transaction and returns the proposal's id. It returns only after the
// commit.
func (s *Store) AddProposal(ctx context.Context, p Proposal, ev Event) (int64, error) {
	var id int64
	err := s.txPlan(ctx, p.PlanID, func(tx *wtx) error {
		var err error
		if id, err = insertProposal(ctx, tx, p); err != nil {
			return err
		}
		return insertEvents(ctx, tx, []Event{ev})
	})
	return id, err
}

// Proposals returns a plan's accepted proposals in the order they were
// stored.
func (s *Store) Proposals(ctx context.Context, planID string) ([]Proposal, error) {
	rows, err := s.query(ctx, `SELECT `+proposalColumns+` FROM proposals WHERE plan_id = ? ORDER BY id`, planID)
	if err != nil {
		return nil, err
	}
	return scanProposals(rows, planID)
}

// proposalColumns are the columns scanProposals reads, in its order.
const proposalColumns = `id, round, council_id, ref, body, verdict, source, created_at`

// scanProposals reads rows of proposalColumns into proposals of planID,
// checking the JSON they hold (an undecodable row is ErrCorrupt), and
// closes rows.
func scanProposals(rows *sql.Rows, planID string) ([]Proposal, error) {
	defer rows.Close()
	var ps []Proposal
	for rows.Next() {
		p := Proposal{PlanID: planID}
		var created int64
		var body, verdict []byte
		if err := rows.Scan(&p.ID, &p.Round, &p.Council, &p.Ref, &body, &verdict, &p.Source, &created); err != nil {
			return nil, err
		}
		p.Body, p.Verdict, p.Created = body, verdict, fromMs(created)
		if err := p.check(); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// ProposalByRef returns the accepted proposal a council sent with ref, or
// ErrNotFound.
func (s *Store) ProposalByRef(ctx context.Context, planID, council, ref string) (Proposal, error) {
	p := Proposal{PlanID: planID, Council: council, Ref: ref}
	var created int64
	var body, verdict []byte
	err := s.queryRow(ctx, `SELECT id, round, body, verdict, source, created_at FROM proposals WHERE plan_id = ? AND council_id = ? AND nullif(ref, '') = ?`,
		planID, council, ref).Scan(&p.ID, &p.Round, &body, &verdict, &p.Source, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, err
	}
	p.Body, p.Verdict, p.Created = body, verdict, fromMs(created)
	return p, p.check()
}

// check reports a stored proposal whose JSON columns do not parse.
func (p Proposal) check() error {
	what := fmt.Sprintf("plan %q proposal %d", p.PlanID, p.ID)
	if err := checkJSON(what+" body", p.Body, false); err != nil {
		return err
	}
	return checkJSON(what+" verdict", p.Verdict, true)
}

func insertProposal(ctx context.Context, tx *wtx, p Proposal) (int64, error) {
	tx.touch(p.PlanID)
	if tx.s.pg != nil {
		// Several servers store proposals: the round must still be open,
		// and stays so until this commits (its row is share-locked, so a
		// close waits for the proposal and then sees it). One statement.
		var id int64
		err := tx.QueryRowContext(ctx, `WITH r AS (SELECT 1 FROM rounds WHERE plan_id = ? AND number = ? AND closed_at IS NULL FOR SHARE)
			INSERT INTO proposals (plan_id, round, council_id, ref, body, verdict, source, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM r RETURNING id`,
			p.PlanID, p.Round, p.PlanID, p.Round, p.Council, p.Ref, []byte(p.Body), orEmpty(p.Verdict), p.Source, ms(p.Created)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, ErrRoundNotOpen
		}
		return id, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO proposals (plan_id, round, council_id, ref, body, verdict, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.PlanID, p.Round, p.Council, p.Ref, []byte(p.Body), orEmpty(p.Verdict), p.Source, ms(p.Created))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
