package httpapi

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/live"
)

// token returns the request's token: "Authorization: Bearer T", else the
// query parameter token (for browsers' websockets).
func token(c echo.Context) string {
	if h := c.Request().Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
		return ""
	}
	return c.QueryParam("token")
}

// principal returns who the request's token is (as the authenticate
// middleware found) once live has authorized them for plan id in one of
// roles.
func (a *api) principal(c echo.Context, id string, roles ...string) (live.Principal, error) {
	who, err := a.authenticated(c)
	if err != nil {
		return who, err
	}
	if err := who.Authorize(id, roles...); err != nil {
		return who, err
	}
	return who, nil
}

// readBody reads the request body up to limit bytes: too_large beyond it.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	r := http.MaxBytesReader(c.Response(), c.Request().Body, limit)
	b, err := io.ReadAll(r)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, councils.Errorf(councils.TooLarge, "", "the body is larger than %d bytes", limit)
	}
	if err != nil {
		return nil, councils.Errorf(councils.Invalid, "", "reading the body: %v", err)
	}
	return b, nil
}
