package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parecon/councils"
)

// getFederations answers GET /api/plans/{id}/federations[?round=N]: the
// federation tree with each federation's roll-up for the last closed
// round, or round N (wire.Federations).
func (a *api) getFederations(c echo.Context) error {
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	round, err := roundParam(c)
	if err != nil {
		return err
	}
	out, err := a.svc.Federations(ctx, who, c.Param("id"), round)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// roundParam reads ?round: a whole number ≥ 0, or −1 when absent.
func roundParam(c echo.Context) (int, error) {
	s := c.QueryParam("round")
	if s == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 0 {
		return 0, councils.Errorf(councils.Invalid, "round", "round must be a whole number ≥ 0")
	}
	return int(n), nil
}
