package live

import (
	"context"
	"errors"

	"parecon/councils"
	"parecon/internal/store"
)

// unavailable is the error a client gets when the database refuses a
// write (read-only, full, failing disk, shutting down): nothing of its
// frame was kept, and it may try again. Its kind and message come from
// the store's classification (store.Refusal), the same as over HTTP.
func unavailable(err error) error {
	if errors.Is(err, store.ErrRoundNotOpen) {
		return &councils.Error{Kind: councils.Conflict, Field: "round", Message: "the round closed meanwhile (on another server); nothing was kept", Err: err}
	}
	if r := store.Refusal(err); r != nil {
		return r
	}
	if errors.Is(err, context.Canceled) {
		return &councils.Error{Kind: councils.Unavailable, Message: "the server is shutting down; nothing was kept, try again", Err: err}
	}
	e := councils.InternalError(err)
	e.Message = "the server could not store this; nothing was kept, try again later"
	return e
}
