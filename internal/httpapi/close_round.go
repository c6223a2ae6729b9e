package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// closeRound answers POST /api/plans/{id}/rounds/close (facilitator): the
// open round closes now and the next opens; the answer is the plan as
// GET /api/plans/{id} shows it.
func (a *api) closeRound(c echo.Context) error {
	id := c.Param("id")
	who, err := a.principal(c, id, live.RoleFacilitator)
	if err != nil {
		return err
	}
	if cerr := a.svc.CloseRound(c.Request().Context(), who, id, nil, ""); cerr != nil {
		return cerr
	}
	m, cerr := a.svc.Plan(who, id)
	if cerr != nil {
		return cerr
	}
	return c.JSON(http.StatusOK, m)
}
