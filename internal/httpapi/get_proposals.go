package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/live"
)

// getProposals answers GET /api/plans/{id}/proposals[?round=N]: the
// facilitator sees every council's, a council its own, an observer none.
func (a *api) getProposals(c echo.Context) error {
	id := c.Param("id")
	who, err := a.principal(c, id, live.RoleFacilitator, live.RoleCouncil)
	if err != nil {
		return err
	}
	round := -1
	if s := c.QueryParam("round"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return councils.Errorf(councils.Invalid, "round", "round must be a whole number ≥ 0")
		}
		round = n
	}
	ps, cerr := a.svc.Proposals(c.Request().Context(), who, id, round)
	if cerr != nil {
		return cerr
	}
	return c.JSON(http.StatusOK, map[string]any{"proposals": ps})
}
