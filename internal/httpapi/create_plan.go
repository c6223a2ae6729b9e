package httpapi

import (
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/live"
)

// createPlan answers POST /api/plans: the body is a scenario or
// {"example": "NAME"}; 201 with the plan's id and tokens. With an admin
// token configured, only its bearer may (401 otherwise).
func (a *api) createPlan(c echo.Context) error {
	if a.opt.AdminToken != "" {
		if t := token(c); t == "" || subtle.ConstantTimeCompare([]byte(t), []byte(a.opt.AdminToken)) != 1 {
			return councils.Errorf(councils.Unauthorized, "", "creating a plan on this server needs its admin token")
		}
	}
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
