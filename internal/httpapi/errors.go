package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"parecon/councils"
)

// statusOf maps each error kind to its HTTP status.
var statusOf = map[councils.ErrorKind]int{
	councils.Invalid:      http.StatusBadRequest,
	councils.Unauthorized: http.StatusUnauthorized,
	councils.Forbidden:    http.StatusForbidden,
	councils.NotFound:     http.StatusNotFound,
	councils.Conflict:     http.StatusConflict,
	councils.TooLarge:     http.StatusRequestEntityTooLarge,
	councils.Internal:     http.StatusInternalServerError,
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

// errorBody is the shape of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    councils.ErrorKind `json:"code"`
	Message string             `json:"message"`
	Field   string             `json:"field,omitempty"`
}

// errorHandler writes err in the protocol's error shape; an internal
// error's cause is logged, never shown.
func (a *api) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
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
	status, ok := statusOf[e.Kind]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		a.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", e.Err)
		// The message is ours (InternalError's "internal error", or one
		// written for people, like a refused database write's); the
		// cause in e.Err is never shown.
		msg := e.Message
		if msg == "" || e.Err != nil && strings.Contains(msg, e.Err.Error()) {
			msg = "internal error"
		}
		e = &councils.Error{Kind: councils.Internal, Message: msg}
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	c.JSON(status, errorBody{errorDetail{e.Kind, e.Message, e.Field}})
}

// fail returns a *councils.Error as an error, or nil for a nil one (a nil
// *councils.Error in an error interface is not nil).
func fail(e *councils.Error) error {
	if e == nil {
		return nil
	}
	return e
}
