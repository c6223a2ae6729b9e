package store

import (
	"context"
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Class says why the database refused an operation, in terms a server can
// answer people with. It is read from SQLite's result code, never from an
// error's text.
type Class int

// The classes of database errors.
const (
	// Other is an error the store does not classify (a bug, a context
	// that ended, a value that would not encode).
	Other Class = iota
	// Busy: another connection holds the database longer than the busy
	// timeout (SQLITE_BUSY, SQLITE_LOCKED). Retrying may succeed.
	Busy
	// ReadOnly: the database or its file system refuses writes
	// (SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH, query_only).
	ReadOnly
	// Full: the disk or the database's page cap is full (SQLITE_FULL).
	Full
	// IO: the disk failed, the file cannot be opened, or it is damaged
	// (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_NOTADB,
	// SQLITE_NOMEM, SQLITE_PROTOCOL).
	IO
	// Constraint: the write breaks a constraint of the schema
	// (SQLITE_CONSTRAINT and its extended codes): the state conflicts.
	Constraint
	// Closed: the store is closed (the server is stopping).
	Closed
)

// String names the class.
func (c Class) String() string {
	switch c {
	case Busy:
		return "busy"
	case ReadOnly:
		return "read-only"
	case Full:
		return "full"
	case IO:
		return "i/o"
	case Constraint:
		return "constraint"
	case Closed:
		return "closed"
	}
	return "other"
}

// primaryClass maps SQLite's primary result codes (the low byte of an
// extended code) to classes.
var primaryClass = map[int]Class{
	sqlite3.SQLITE_BUSY:       Busy,
	sqlite3.SQLITE_LOCKED:     Busy,
	sqlite3.SQLITE_READONLY:   ReadOnly,
	sqlite3.SQLITE_PERM:       ReadOnly,
	sqlite3.SQLITE_AUTH:       ReadOnly,
	sqlite3.SQLITE_FULL:       Full,
	sqlite3.SQLITE_IOERR:      IO,
	sqlite3.SQLITE_CANTOPEN:   IO,
	sqlite3.SQLITE_CORRUPT:    IO,
	sqlite3.SQLITE_NOTADB:     IO,
	sqlite3.SQLITE_NOMEM:      IO,
	sqlite3.SQLITE_PROTOCOL:   IO,
	sqlite3.SQLITE_CONSTRAINT: Constraint,
}

// ClassOf classifies err by the SQLite result code it carries (through
// any wrapping), or as Closed for ErrClosed; Other otherwise.
func ClassOf(err error) Class {
	if err == nil {
		return Other
	}
	if errors.Is(err, ErrClosed) {
		return Closed
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return Other
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		if c, ok := primaryClass[se.Code()&0xff]; ok {
			return c
		}
	}
	return Other
}
