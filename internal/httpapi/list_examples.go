package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/examples"
)

// listExamples answers GET /api/examples: the bundled scenarios' names.
func (a *api) listExamples(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string][]string{"examples": examples.Names()})
}
