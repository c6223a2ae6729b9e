package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// restartPlan answers POST /api/plans/{id}/restart (facilitator): a new
// plan from the same scenario and options, 201 with its id and tokens
// (wire.Created), as POST /api/plans answers. It counts as creating a
// plan for the rate limit and the quota.
func (a *api) restartPlan(c echo.Context) error {
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	out, err := a.svc.Restart(c.Request().Context(), who, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}
