package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// getAudit answers GET /api/plans/{id}/audit[?after=SEQ&limit=N]
// (facilitator): a page of events (wire.Audit).
func (a *api) getAudit(c echo.Context) error {
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	q, err := pageParams(c)
	if err != nil {
		return err
	}
	out, err := a.svc.Audit(ctx, who, c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
