package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
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
	// Down: the database server cannot be reached or is restarting
	// (PostgreSQL: a lost or refused connection, SQLSTATE classes 08 and
	// 57P). Retrying once it is back succeeds.
	Down
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
	case Down:
		return "down"
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

// sqlstateClass maps PostgreSQL's SQLSTATE codes to classes; a code not
// here is looked up by its class (its first two characters) in
// sqlstateClassOf.
var sqlstateClass = map[string]Class{
	"40001": Busy,     // serialization_failure
	"40P01": Busy,     // deadlock_detected
	"55P03": Busy,     // lock_not_available
	"57014": Busy,     // query_canceled (statement_timeout)
	"25006": ReadOnly, // read_only_sql_transaction
	"42501": ReadOnly, // insufficient_privilege
	"53100": Full,     // disk_full
	"54000": Full,     // program_limit_exceeded
	"53200": IO,       // out_of_memory
	"53300": Down,     // too_many_connections
	"57P01": Down,     // admin_shutdown
	"57P02": Down,     // crash_shutdown
	"57P03": Down,     // cannot_connect_now
	"57P04": Down,     // database_dropped
}

// sqlstateClassOf maps SQLSTATE classes (two characters) to classes.
var sqlstateClassOf = map[string]Class{
	"23": Constraint, // integrity_constraint_violation
	"08": Down,       // connection_exception
	"58": IO,         // system_error (I/O)
	"XX": IO,         // internal_error, data_corrupted, index_corrupted
	"53": Full,       // insufficient_resources
}

// pgClass classifies a PostgreSQL error by its SQLSTATE code.
func pgClass(code string) (Class, bool) {
	if c, ok := sqlstateClass[code]; ok {
		return c, true
	}
	if len(code) == 5 {
		c, ok := sqlstateClassOf[code[:2]]
		return c, ok
	}
	return Other, false
}

// ClassOf classifies err by the SQLite result code or the PostgreSQL
// SQLSTATE it carries (through any wrapping), as Down for a connection to
// PostgreSQL that failed, or as Closed for ErrClosed; Other otherwise.
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
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if c, ok := pgClass(pe.Code); ok {
			return c
		}
		return Other
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) || isClosedConn(err) {
		return Down
	}
	return Other
}

// isClosedConn reports pgx's errors for a connection that was lost
// mid-statement (the server went away): they carry no SQLSTATE.
func isClosedConn(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return false
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch e.(type) {
		case interface{ SafeToRetry() bool }:
			return true
		}
	}
	return errors.Is(err, net.ErrClosed)
}
