package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/councils"
)

// health answers GET /healthz: 200 {"ok":true} when the database answers.
func (a *api) health(c echo.Context) error {
	if err := a.svc.Store().Ping(c.Request().Context()); err != nil {
		return &councils.Error{Kind: councils.Internal, Message: "the database does not answer", Err: err}
	}
	return c.JSON(http.StatusOK, map[string]bool{"ok": true})
}
