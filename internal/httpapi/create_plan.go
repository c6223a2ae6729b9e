package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// createPlan answers POST /api/plans: the body is a scenario or
// {"example": "NAME"}; 201 with the plan's id and tokens.
func (a *api) createPlan(c echo.Context) error {
	body, err := readBody(c, a.opt.MaxScenarioBytes)
	if err != nil {
		return err
	}
	req, cerr := live.ParseCreateBody(body)
	if cerr != nil {
		return cerr
	}
	out, cerr := a.svc.Create(c.Request().Context(), req)
	if cerr != nil {
		return cerr
	}
	return c.JSON(http.StatusCreated, out)
}
