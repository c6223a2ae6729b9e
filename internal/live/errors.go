package live

import (
	"context"
	"errors"

	"parecon/councils"
	"parecon/internal/store"
)

// SQLite's primary result codes the store's errors carry.
const (
	sqliteReadOnly = 8
	sqliteFull     = 13
)

// unavailable is the error a client gets when the database refuses a
// write (read-only, full, failing disk): nothing of its frame was kept,
// and it may try again.
func unavailable(err error) error {
	e := councils.InternalError(err)
	e.Message = "the server could not store this: the database refused the write (" + storeReason(err) + "); nothing was kept, try again later"
	return e
}

// storeReason says in a few words why the database refused a write, from
// the error's SQLite result code or sentinel (never its text).
func storeReason(err error) string {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case sqliteFull:
			return "the disk or database is full"
		case sqliteReadOnly:
			return "the database is read-only"
		}
	}
	switch {
	case errors.Is(err, store.ErrClosed), errors.Is(err, context.Canceled):
		return "the server is shutting down"
	default:
		return "storage error"
	}
}
