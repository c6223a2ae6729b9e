package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// getRoots answers GET /api/plans/{id}/roots (observer+): the chain of
// the closed rounds' Merkle roots, a JSON array of wire.Root.
func (a *api) getRoots(c echo.Context) error {
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	roots, err := a.svc.Roots(c.Request().Context(), who, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, roots)
}
