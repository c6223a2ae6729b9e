package store

import "parecon/councils"

// refusals maps the classes of database errors to the kind a client is
// answered with and what it is told (the cause goes to the log).
var refusals = map[Class]struct {
	kind councils.ErrorKind
	msg  string
}{
	Busy:       {councils.Unavailable, "the database is busy; nothing was kept, try again"},
	ReadOnly:   {councils.Unavailable, "the database is read-only; nothing was kept, try again later"},
	IO:         {councils.Unavailable, "the database's disk failed; nothing was kept, try again later"},
	Closed:     {councils.Unavailable, "the server is shutting down; nothing was kept, try again"},
	Down:       {councils.Unavailable, "the database cannot be reached; nothing was kept, try again shortly"},
	Full:       {councils.InsufficientStorage, "the server's disk or database is full; nothing was kept, try again later"},
	Constraint: {councils.Conflict, "this conflicts with what is stored already"},
}

// Refusal returns the error a client gets for err, a database error, by
// its class (SQLite's result code or PostgreSQL's SQLSTATE, never its
// text): unavailable,
// insufficient_storage or conflict, with a message for people and err as
// the cause. It returns nil when err is of no class the store knows.
func Refusal(err error) *councils.Error {
	r, ok := refusals[ClassOf(err)]
	if !ok {
		return nil
	}
	return &councils.Error{Kind: r.kind, Message: r.msg, Err: err}
}
