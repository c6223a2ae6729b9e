package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parecon/councils"
)

// getProof answers GET /api/plans/{id}/rounds/{n}/proof (a council's
// token): the inclusion proof of its own proposal in round n's root
// (wire.Proof). Query parameters are ignored: no one names another
// council.
func (a *api) getProof(c echo.Context) error {
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 0 {
		return councils.Errorf(councils.Invalid, "round", "the round must be a whole number ≥ 0, not %q", c.Param("n"))
	}
	out, err := a.svc.Proof(c.Request().Context(), who, c.Param("id"), n)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
