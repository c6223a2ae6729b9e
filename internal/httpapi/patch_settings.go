package httpapi

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/live"
)

// patchSettings answers PATCH /api/plans/{id}/settings (facilitator):
// {"roundDeadlineSeconds": N}, 0 for none.
func (a *api) patchSettings(c echo.Context) error {
	id := c.Param("id")
	who, err := a.principal(c, id, live.RoleFacilitator)
	if err != nil {
		return err
	}
	body, err := readBody(c, a.opt.MaxBodyBytes)
	if err != nil {
		return err
	}
	var in struct {
		RoundDeadlineSeconds *float64 `json:"roundDeadlineSeconds"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return councils.Errorf(councils.Invalid, "", "malformed JSON: %v", err)
	}
	if in.RoundDeadlineSeconds == nil {
		return councils.Errorf(councils.Invalid, "roundDeadlineSeconds", "roundDeadlineSeconds is required")
	}
	x := *in.RoundDeadlineSeconds
	if x < 0 || x != math.Trunc(x) || x > math.MaxInt32 {
		return councils.Errorf(councils.Invalid, "roundDeadlineSeconds", "want a whole number of seconds ≥ 0")
	}
	out, cerr := a.svc.SetRoundDeadline(c.Request().Context(), who, id, int(x), nil, "")
	if cerr != nil {
		return cerr
	}
	return c.JSON(http.StatusOK, out)
}
