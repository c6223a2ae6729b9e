package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// getPlan answers GET /api/plans/{id} (observer, council, facilitator):
// wire.PlanView.
func (a *api) getPlan(c echo.Context) error {
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	v, err := a.svc.Plan(ctx, who, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
