package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// listPlans answers GET /api/plans: every plan's id, name, status, round
// and creation time (wire.PlanList); public, no proposals, no tokens.
func (a *api) listPlans(c echo.Context) error {
	return c.JSON(http.StatusOK, a.svc.List())
}
