package httpapi

import (
	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// principalKey is where authenticate keeps its result in the echo
// context.
const principalKey = "parecon.principal"

// authn is what authenticate found: who holds the request's token, or why
// nobody does.
type authn struct {
	who live.Principal
	err error
}

// authenticate is middleware for the routes of one plan (and the
// websocket): it authenticates the request's token (bearer header, else
// ?token=) once and keeps the principal, or the error, in the context.
// It refuses nothing itself: each handler states the roles it admits
// through principal, which authorizes with live's one function.
func (a *api) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		who, err := a.svc.Authenticate(c.Request().Context(), token(c))
		c.Set(principalKey, authn{who, err})
		return next(c)
	}
}

// authenticated returns what authenticate kept for c, authenticating now
// on a route without the middleware.
func (a *api) authenticated(c echo.Context) (live.Principal, error) {
	if au, ok := c.Get(principalKey).(authn); ok {
		return au.who, au.err
	}
	return a.svc.Authenticate(c.Request().Context(), token(c))
}
