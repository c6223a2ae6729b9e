package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// getPlan answers GET /api/plans/{id} (observer, council, facilitator).
func (a *api) getPlan(c echo.Context) error {
	id := c.Param("id")
	who, err := a.principal(c, id, live.Everyone...)
	if err != nil {
		return err
	}
	m, cerr := a.svc.Plan(who, id)
	if cerr != nil {
		return cerr
	}
	return c.JSON(http.StatusOK, m)
}
