package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// getFederationsCSV answers GET /api/plans/{id}/federations.csv[?round=N]:
// the roll-ups as CSV, one row per federation and good.
func (a *api) getFederationsCSV(c echo.Context) error {
	id := c.Param("id")
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	round, err := roundParam(c)
	if err != nil {
		return err
	}
	b, err := a.svc.FederationsCSV(ctx, who, id, round)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="federations-`+id+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
}
