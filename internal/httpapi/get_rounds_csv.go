package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// getRoundsCSV answers GET /api/plans/{id}/rounds.csv: one row per round
// and good.
func (a *api) getRoundsCSV(c echo.Context) error {
	id := c.Param("id")
	who, err := a.principal(c, id, live.Everyone...)
	if err != nil {
		return err
	}
	b, cerr := a.svc.RoundsCSV(who, id)
	if cerr != nil {
		return cerr
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="rounds-`+id+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
}
