package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// getRounds answers GET /api/plans/{id}/rounds: one row per closed round
// (wire.Rounds).
func (a *api) getRounds(c echo.Context) error {
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	rows, err := a.svc.Rounds(ctx, who, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rows)
}
