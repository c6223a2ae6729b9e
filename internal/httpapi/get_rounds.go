package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// getRounds answers GET /api/plans/{id}/rounds: one row per closed round.
func (a *api) getRounds(c echo.Context) error {
	id := c.Param("id")
	who, err := a.principal(c, id, live.Everyone...)
	if err != nil {
		return err
	}
	rows, cerr := a.svc.Rounds(who, id)
	if cerr != nil {
		return cerr
	}
	return c.JSON(http.StatusOK, map[string]any{"rounds": rows})
}
