package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/live"
)

// getProposals answers GET /api/plans/{id}/proposals[?round=N&after=ID&
// afterRejected=SEQ&limit=N]: a page of proposals (wire.Proposals); the
// facilitator sees every council's, a council its own, an observer none.
func (a *api) getProposals(c echo.Context) error {
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	q, err := pageParams(c)
	if err != nil {
		return err
	}
	out, err := a.svc.Proposals(ctx, who, c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// pageParams reads ?round, ?after, ?afterRejected and ?limit: whole
// numbers ≥ 0 (round absent: every round).
func pageParams(c echo.Context) (live.Page, error) {
	q := live.Page{Round: -1}
	for _, f := range []struct {
		name string
		set  func(int64)
	}{
		{"round", func(n int64) { q.Round = int(n) }},
		{"after", func(n int64) { q.After = n }},
		{"afterRejected", func(n int64) { q.AfterRejected = n }},
		{"limit", func(n int64) { q.Limit = int(n) }},
	} {
		s := c.QueryParam(f.name)
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || f.name != "after" && f.name != "afterRejected" && n > 1<<31-1 {
			return q, councils.Errorf(councils.Invalid, f.name, "%s must be a whole number ≥ 0", f.name)
		}
		if f.name == "limit" && n == 0 {
			return q, councils.Errorf(councils.Invalid, "limit", "limit must be at least 1")
		}
		f.set(n)
	}
	return q, nil
}
