package httpapi

import (
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/wire"
)

// patchSettings answers PATCH /api/plans/{id}/settings (facilitator):
// wire.SettingsRequest {"roundDeadlineSeconds": N} (0 for none) and/or
// {"privacy": {"k": K, "facilitator": "all"|"aggregates"}} (before round 0
// closes); answered with wire.SettingsChanged.
func (a *api) patchSettings(c echo.Context) error {
	id := c.Param("id")
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	body, err := readBody(c, a.opt.MaxBodyBytes)
	if err != nil {
		return err
	}
	var in wire.SettingsRequest
	if err := decodeBody(body, &in); err != nil {
		return err
	}
	if in.RoundDeadlineSeconds == nil && in.Privacy == nil {
		return councils.Errorf(councils.Invalid, "roundDeadlineSeconds", "roundDeadlineSeconds (or privacy) is required")
	}
	var out wire.SettingsChanged
	if in.Privacy != nil {
		if out, err = a.svc.SetPrivacy(c.Request().Context(), who, id, *in.Privacy); err != nil {
			return err
		}
		if in.RoundDeadlineSeconds == nil {
			return c.JSON(http.StatusOK, out)
		}
	}
	x := *in.RoundDeadlineSeconds
	if x < 0 || x != math.Trunc(x) || x > math.MaxInt32 {
		return councils.Errorf(councils.Invalid, "roundDeadlineSeconds", "want a whole number of seconds ≥ 0")
	}
	privacy := out.Privacy
	out, err = a.svc.SetRoundDeadline(c.Request().Context(), who, id, int(x), nil, "")
	if err != nil {
		return err
	}
	out.Privacy = privacy
	return c.JSON(http.StatusOK, out)
}
