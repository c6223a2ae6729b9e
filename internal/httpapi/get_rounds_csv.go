package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// getRoundsCSV answers GET /api/plans/{id}/rounds.csv: one row per round
// and good.
func (a *api) getRoundsCSV(c echo.Context) error {
	id := c.Param("id")
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	b, err := a.svc.RoundsCSV(ctx, who, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="rounds-`+id+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
}
