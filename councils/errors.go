package councils

import (
	"errors"
	"fmt"
)

// ErrorKind classifies an Error for its callers: the HTTP layer maps each
// kind to a status, the websocket layer sends it as the error's code.
type ErrorKind string

// The kinds of errors.
const (
	Invalid      ErrorKind = "invalid"      // the input is wrong; Field names where
	Unauthorized ErrorKind = "unauthorized" // no credentials, or unknown ones
	Forbidden    ErrorKind = "forbidden"    // known credentials, not allowed here
	NotFound     ErrorKind = "not_found"    // no such thing
	Conflict     ErrorKind = "conflict"     // not possible in the current state
	TooLarge     ErrorKind = "too_large"    // the input is over a size limit
	Internal     ErrorKind = "internal"     // our fault; details only in the log
	// Unavailable: the database is busy, read-only or failing, or the
	// server is stopping; nothing was kept and a retry may succeed.
	Unavailable ErrorKind = "unavailable"
	// InsufficientStorage: the disk, the database or the server's quota
	// of plans is full; nothing was kept.
	InsufficientStorage ErrorKind = "insufficient_storage"
)

// Error is the one error type of the live plans. Message is safe to show to
// the client; Field, when set, is the JSON path of the offending input
// (for a proposal, a path inside it such as outputs.bread). An internal
// error keeps its cause in Err, for the log only.
type Error struct {
	Kind    ErrorKind
	Message string
	Field   string
	Err     error
}

// Error returns the message, prefixed by the field when there is one.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Unwrap returns the cause of an internal error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error of kind about field.
func Errorf(kind ErrorKind, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Message: fmt.Sprintf(format, args...)}
}

// InternalError wraps err as an internal Error whose message hides it.
func InternalError(err error) *Error {
	return &Error{Kind: Internal, Message: "internal error", Err: err}
}

// AsError returns err as an *Error: itself if it is one (or wraps one), an
// invalid Error if it is Problems (the first problem's path as the field),
// else an internal Error. It returns nil for nil.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ps Problems
	if errors.As(err, &ps) && len(ps) > 0 {
		return &Error{Kind: Invalid, Field: ps[0].Path, Message: ps.Error()}
	}
	return InternalError(err)
}

// KindOf returns the kind of err (Internal for an error that is no *Error).
func KindOf(err error) ErrorKind {
	if e := AsError(err); e != nil {
		return e.Kind
	}
	return ""
}
