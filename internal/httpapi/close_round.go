package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"parecon/internal/wire"
)

// closeRound answers POST /api/plans/{id}/rounds/close (facilitator): the
// body {"round": N} (wire.CloseRequest; empty: the open round) names the
// round to close; it closes now and the next opens; the answer is the
// plan as GET /api/plans/{id} shows it. A round that is not open, or is
// already closing, is 409 and changes nothing.
func (a *api) closeRound(c echo.Context) error {
	id := c.Param("id")
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	body, err := readBody(c, a.opt.MaxBodyBytes)
	if err != nil {
		return err
	}
	var in wire.CloseRequest
	if len(bytes.TrimSpace(body)) > 0 {
		var raw struct {
			Round json.RawMessage `json:"round"`
		}
		if err := decodeBody(body, &raw); err != nil {
			return err
		}
		if raw.Round != nil && string(raw.Round) != "null" {
			n, err := wire.WholeNumber(raw.Round, "round")
			if err != nil {
				return err
			}
			in.Round = &n
		}
	}
	if err := a.svc.CloseRound(ctx, who, id, in.Round, nil, ""); err != nil {
		return err
	}
	v, err := a.svc.Plan(ctx, who, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
