package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// listExamples answers GET /api/examples: the bundled scenarios' names,
// descriptions, goods and councils (wire.ExampleList).
func (a *api) listExamples(c echo.Context) error {
	return c.JSON(http.StatusOK, live.Examples())
}
