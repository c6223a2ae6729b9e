package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// getAudit answers GET /api/plans/{id}/audit (facilitator): every event.
func (a *api) getAudit(c echo.Context) error {
	id := c.Param("id")
	who, err := a.principal(c, id, live.RoleFacilitator)
	if err != nil {
		return err
	}
	evs, cerr := a.svc.Audit(c.Request().Context(), who, id)
	if cerr != nil {
		return cerr
	}
	return c.JSON(http.StatusOK, map[string]any{"events": evs})
}
