package store

import (
	"context"
	"time"
)

// healthTable is the one-row table the write probe updates. It is made by
// Open, like schema_migrations, outside the numbered migrations.
const healthTable = `CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY CHECK (id = 1), probed_at INTEGER NOT NULL)`

// Probe reports whether the database takes a write: it stores the time in
// the one row of the health table through the writer, with the other
// writes of its group, so a read-only, full or failing database (or a
// closed store) answers with the error a real write would get (see
// ClassOf). It costs one small commit.
func (s *Store) Probe(ctx context.Context) error {
	now := time.Now().UnixMilli()
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO health (id, probed_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`, now)
		return err
	})
}
