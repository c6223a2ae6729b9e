package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/store"
	"parecon/internal/wire"
)

// The kinds the HTTP layer adds to councils' (docs/security.md lists them
// with their statuses): the server, not the input, is the reason.
const (
	// MethodNotAllowed: the path exists, not with this method (405).
	MethodNotAllowed councils.ErrorKind = "method_not_allowed"
	// UnsupportedMediaType: a body that is not application/json (415).
	UnsupportedMediaType councils.ErrorKind = "unsupported_media_type"
	// RateLimited: this client asked too often; Retry-After says when
	// to try again (429).
	RateLimited councils.ErrorKind = "rate_limited"
)

// statusOf is the one table from error kinds to HTTP statuses; each
// status appears once, so that echo's own errors map back to a kind.
var statusOf = map[councils.ErrorKind]int{
	councils.Invalid:             http.StatusBadRequest,
	councils.Unauthorized:        http.StatusUnauthorized,
	councils.Forbidden:           http.StatusForbidden,
	councils.NotFound:            http.StatusNotFound,
	MethodNotAllowed:             http.StatusMethodNotAllowed,
	councils.Conflict:            http.StatusConflict,
	councils.TooLarge:            http.StatusRequestEntityTooLarge,
	UnsupportedMediaType:         http.StatusUnsupportedMediaType,
	RateLimited:                  http.StatusTooManyRequests,
	councils.Internal:            http.StatusInternalServerError,
	councils.Unavailable:         http.StatusServiceUnavailable,
	councils.InsufficientStorage: http.StatusInsufficientStorage,
}

// kindOfStatus maps echo's own errors (unknown route, wrong method) back to
// a kind.
func kindOfStatus(code int) councils.ErrorKind {
	for k, s := range statusOf {
		if s == code {
			return k
		}
	}
	if code >= 500 {
		return councils.Internal
	}
	return councils.Invalid
}

// classify returns err as the *councils.Error a client is answered with:
// a database error inside an internal one takes the kind of its SQLite
// result code (store.ClassOf), never one guessed from its text.
func classify(err error) *councils.Error {
	var e *councils.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &e):
	case errors.As(err, &he):
		msg, _ := he.Message.(string)
		if msg == "" {
			msg = http.StatusText(he.Code)
		}
		e = &councils.Error{Kind: kindOfStatus(he.Code), Message: msg, Err: he.Internal}
	default:
		e = councils.InternalError(err)
	}
	if e.Kind == councils.Internal && e.Err != nil {
		if r := store.Refusal(e.Err); r != nil {
			e = r
		}
	}
	return e
}

// errorHandler writes err in the protocol's error shape; a server error's
// cause is logged, never shown.
func (a *api) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e := classify(err)
	status, ok := statusOf[e.Kind]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		a.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "kind", e.Kind, "err", e.Err)
		// The message is ours (InternalError's "internal error", or one
		// written for people, like a refused database write's); the
		// cause in e.Err is never shown.
		msg := e.Message
		if msg == "" || e.Err != nil && strings.Contains(msg, e.Err.Error()) {
			msg = "internal error"
		}
		e = &councils.Error{Kind: e.Kind, Message: msg}
	}
	if status == http.StatusServiceUnavailable && c.Response().Header().Get("Retry-After") == "" {
		c.Response().Header().Set("Retry-After", strconv.Itoa(5))
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	c.JSON(status, wire.ErrorResponse{Error: wire.ErrorBody{Code: string(e.Kind), Message: e.Message, Field: e.Field}})
}
