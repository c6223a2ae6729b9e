package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// SetPrivacy stores a plan's privacy setting (JSON), with an audit event,
// while none of its rounds has closed: once one has (on any server), it
// is ErrRoundNotOpen and nothing changes. The plan's row is locked first,
// so a close committing meanwhile is waited for and then seen (a close
// on PostgreSQL locks the row too, and checks the setting it used).
func (s *Store) SetPrivacy(ctx context.Context, planID string, privacy []byte, ev Event) error {
	return s.tx(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET privacy = ? WHERE id = ?`, privacy, planID); err != nil {
			return err
		}
		var closed int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM rounds WHERE plan_id = ? AND closed_at IS NOT NULL`, planID).Scan(&closed); err != nil {
			return err
		}
		if closed > 0 {
			return ErrRoundNotOpen
		}
		return insertEvents(ctx, tx, []Event{ev})
	})
}

// leafPerRow makes both engines store a commitment's leaves one INSERT
// each: the baseline BenchmarkCloseLeaves measures the batched statements
// against. Only benchmarks set it.
var leafPerRow = false

// insertCommit stores round number's commitment and its leaves.
func insertCommit(ctx context.Context, tx *wtx, planID string, number int, c *Commit) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO round_commits (plan_id, number, size, root, chain, hashes) VALUES (?, ?, ?, ?, ?, ?)`,
		planID, number, c.Size, c.Root, c.Chain, c.Hashes); err != nil {
		return err
	}
	if tx.s.pg != nil && len(c.Leaves) > 0 && !leafPerRow {
		// One statement for all of them: a round trip per leaf was most
		// of a large round's close.
		councils, idxs, datas := make([]string, len(c.Leaves)), make([]int64, len(c.Leaves)), make([][]byte, len(c.Leaves))
		for i, l := range c.Leaves {
			councils[i], idxs[i], datas[i] = l.Council, int64(l.Index), l.Data
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO round_leaves (plan_id, number, council_id, idx, data) SELECT ?, ?, c, i, d FROM unnest(?::text[], ?::bigint[], ?::bytea[]) AS t(c, i, d)`,
			planID, number, councils, idxs, datas)
		return err
	}
	leaves := c.Leaves
	if !leafPerRow {
		// SQLite: leafChunk rows a statement (one prepared statement),
		// the rest one a statement.
		for ; len(leaves) >= leafChunk; leaves = leaves[leafChunk:] {
			args := make([]any, 0, 5*leafChunk)
			for _, l := range leaves[:leafChunk] {
				args = append(args, planID, number, l.Council, l.Index, l.Data)
			}
			if _, err := tx.ExecContext(ctx, leafChunkInsert, args...); err != nil {
				return err
			}
		}
	}
	for _, l := range leaves {
		if _, err := tx.ExecContext(ctx, `INSERT INTO round_leaves (plan_id, number, council_id, idx, data) VALUES (?, ?, ?, ?, ?)`,
			planID, number, l.Council, l.Index, l.Data); err != nil {
			return err
		}
	}
	return nil
}

// leafChunk is how many leaves one INSERT stores on SQLite, and
// leafChunkInsert that statement.
const leafChunk = 100

var leafChunkInsert = `INSERT INTO round_leaves (plan_id, number, council_id, idx, data) VALUES (?, ?, ?, ?, ?)` +
	strings.Repeat(`, (?, ?, ?, ?, ?)`, leafChunk-1)

// Commits returns a plan's round commitments in round order, without
// their hashes and leaves.
func (s *Store) Commits(ctx context.Context, planID string) ([]Commit, error) {
	rows, err := s.query(ctx, `SELECT number, size, root, chain FROM round_commits WHERE plan_id = ? ORDER BY number`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Commit
	for rows.Next() {
		var c Commit
		if err := rows.Scan(&c.Round, &c.Size, &c.Root, &c.Chain); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CommitLeaf returns round number's commitment with its leaf hashes and
// the one leaf of council, or ErrNotFound if the round has no commitment
// or the council no leaf in it.
func (s *Store) CommitLeaf(ctx context.Context, planID string, number int, council string) (Commit, error) {
	c := Commit{Round: number}
	var l Leaf
	err := s.queryRow(ctx, `SELECT c.size, c.root, c.chain, c.hashes, l.council_id, l.idx, l.data FROM round_commits c
		JOIN round_leaves l ON l.plan_id = c.plan_id AND l.number = c.number AND l.council_id = ?
		WHERE c.plan_id = ? AND c.number = ?`, council, planID, number).Scan(&c.Size, &c.Root, &c.Chain, &c.Hashes, &l.Council, &l.Index, &l.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	c.Leaves = []Leaf{l}
	return c, err
}
