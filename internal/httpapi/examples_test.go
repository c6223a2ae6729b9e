package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"parecon/internal/hub"
	"parecon/internal/live"
)

// TestExamplesAndHumans checks GET /api/examples describes every bundled
// example with its councils (the town's named, two suggested for people),
// that a plan created from an example with humans gives exactly those
// councils tokens, that an unknown council is refused naming "humans",
// and that its facilitator (and no one else) may restart it: a new plan
// with the same human councils, noted in the old plan's audit log.
func TestExamplesAndHumans(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{})
	var list struct {
		Examples []string
		Details  []struct {
			Name, Title, Description string
			Goods                    []struct{ ID, Name, Unit string }
			Councils                 []struct {
				ID, Type, Makes  string
				Human, Suggested bool
			}
		}
	}
	if st := do(t, "GET", ts.URL+"/api/examples", "", nil, &list); st != 200 {
		t.Fatalf("status %d", st)
	}
	if len(list.Details) != len(list.Examples) || !slices.Contains(list.Examples, "millbrook") {
		t.Fatalf("examples %v, %d details", list.Examples, len(list.Details))
	}
	var suggested []string
	for i, d := range list.Details {
		if d.Name != list.Examples[i] || d.Description == "" || len(d.Councils) == 0 || len(d.Goods) == 0 {
			t.Errorf("%s: %+v", list.Examples[i], d)
		}
		if d.Name != "millbrook" {
			continue
		}
		for _, g := range d.Goods {
			if g.Name == "" || g.Unit == "" {
				t.Errorf("millbrook good %s has no name or unit", g.ID)
			}
		}
		for _, c := range d.Councils {
			if c.Suggested {
				suggested = append(suggested, c.ID)
			}
		}
	}
	if len(suggested) != 2 {
		t.Fatalf("millbrook suggests %v for people", suggested)
	}
	humans := []string{"old-town", "riverside-bakery", "tram-workers"}
	c := ts.create(t, map[string]any{"example": "millbrook", "humans": humans})
	if len(c.CouncilTokens) != len(humans) {
		t.Fatalf("council tokens for %v, want %v", c.CouncilTokens, humans)
	}
	for _, h := range humans {
		if c.CouncilTokens[h] == "" {
			t.Errorf("no token for %s", h)
		}
	}
	var e struct{ Error struct{ Code, Field string } }
	if st := do(t, "POST", ts.URL+"/api/plans", "", map[string]any{"example": "millbrook", "humans": []string{"atlantis"}}, &e); st != 400 || e.Error.Field != "humans" {
		t.Errorf("unknown human: %d %+v", st, e)
	}
	if st := do(t, "POST", ts.URL+"/api/plans", "", map[string]any{"example": "millbrook", "humans": "old-town"}, &e); st != 400 || e.Error.Field != "humans" {
		t.Errorf("humans not a list: %d %+v", st, e)
	}
	if st := do(t, "POST", ts.URL+"/api/plans/"+c.ID+"/restart", c.ObserverToken, nil, nil); st != http.StatusForbidden {
		t.Errorf("observer restart: %d", st)
	}
	if st := do(t, "POST", ts.URL+"/api/plans/"+c.ID+"/restart", c.CouncilTokens["old-town"], nil, nil); st != http.StatusForbidden {
		t.Errorf("council restart: %d", st)
	}
	var again created
	if st := do(t, "POST", ts.URL+"/api/plans/"+c.ID+"/restart", c.FacilitatorToken, nil, &again); st != http.StatusCreated {
		t.Fatalf("restart: %d", st)
	}
	if again.ID == c.ID || len(again.CouncilTokens) != len(humans) || again.CouncilTokens["tram-workers"] == "" {
		t.Errorf("restarted plan %+v", again)
	}
	var pv struct {
		Name   string
		Status string
		Round  int
	}
	do(t, "GET", ts.URL+"/api/plans/"+again.ID, again.ObserverToken, nil, &pv)
	if pv.Name != "millbrook" || pv.Status != "open" || pv.Round != 0 {
		t.Errorf("restarted plan %+v", pv)
	}
	var audit struct {
		Events []struct {
			Type   string
			Detail struct{ Plan string }
		}
	}
	do(t, "GET", ts.URL+"/api/plans/"+c.ID+"/audit", c.FacilitatorToken, nil, &audit)
	found := false
	for _, ev := range audit.Events {
		found = found || ev.Type == "plan.restarted" && ev.Detail.Plan == again.ID
	}
	if !found {
		t.Errorf("no plan.restarted in the old plan's audit log: %+v", audit.Events)
	}
}
