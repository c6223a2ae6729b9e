package httpapi

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/wire"
)

// The page sizes of GET /api/plans, and how much of a plan's name it
// shows.
const (
	defaultPlansPage = 100
	maxPlansPage     = 500
	maxListedName    = 200 // bytes
)

// listPlansPage answers GET /api/plans?limit=N&after=ID: at most limit
// plans (default 100, at most 500), newest first, starting after the plan
// after (the previous page's next). Names longer than 200 bytes are cut
// (with "…"): the list is public and a name is the submitter's to choose,
// so one answer stays small whatever was submitted.
func (a *api) listPlansPage(c echo.Context) error {
	limit := defaultPlansPage
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPlansPage {
			return councils.Errorf(councils.Invalid, "limit", "limit must be a whole number from 1 to %d", maxPlansPage)
		}
		limit = n
	}
	all := a.svc.List().Plans
	start := 0
	if after := c.QueryParam("after"); after != "" {
		start = -1
		for i, p := range all {
			if p.ID == after {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return councils.Errorf(councils.Invalid, "after", "after must be the id of a listed plan (the previous page's next)")
		}
	}
	end := min(start+limit, len(all))
	out := wire.PlanList{Plans: make([]wire.PlanSummary, 0, end-start)}
	for _, p := range all[start:end] {
		p.Name = cutName(p.Name, maxListedName)
		out.Plans = append(out.Plans, p)
	}
	if end < len(all) {
		out.Next = all[end-1].ID
	}
	return c.JSON(http.StatusOK, out)
}

// cutName returns name cut to at most n bytes at a rune boundary, with
// "…" when it was cut.
func cutName(name string, n int) string {
	if len(name) <= n {
		return name
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + "…"
}
