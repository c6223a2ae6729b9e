package browsertest

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// commonsPlan creates commons-small with its east consumer council human
// (its weights and commons share taken out, so that it has no model).
func commonsPlan(t *testing.T, s *server) created {
	t.Helper()
	src, err := os.ReadFile("../examples/scenarios/commons-small.json")
	if err != nil {
		t.Fatal(err)
	}
	const model = `"weights": {"bread": 0.7, "land": 0.3}, "commons_share": 0.1`
	if !strings.Contains(string(src), model) {
		t.Fatal("commons-small.json no longer gives east the model this test takes out")
	}
	sc := strings.Replace(string(src), model, `"labor": "labor"`, 1)
	var plan created
	s.call(t, "POST", "/api/plans", "", json.RawMessage(sc), http.StatusCreated, &plan)
	if plan.CouncilTokens["east"] == "" {
		t.Fatalf("east is not human: %+v", plan)
	}
	return plan
}

// TestCommonsPages plays commons-small with a human consumer council on
// its page: the page says why a commons good has no price to its users,
// offers no request for it, and sends the council's vote and uses; the
// observer's commons panel gains a row per round with the levy, the fund
// and the commons good's K, output and users.
func TestCommonsPages(t *testing.T) {
	s := serve(t)
	plan := commonsPlan(t, s)
	br := browser(t, desktopW, desktopH)
	open(t, br, s.page("council.html", plan.ID, plan.CouncilTokens["east"]), "east's council page", councilReady)
	why := text(t, br, "commons-why")
	if !strings.Contains(why, "no price to their users") {
		t.Errorf("the council page does not say why a commons good has no price: %q", why)
	}
	if n := eval[int](t, br, `document.querySelectorAll('#q-requests-design').length`); n != 0 {
		t.Error("the page offers a request for the commons good")
	}
	if k := eval[string](t, br, `document.querySelector('#commons-table tbody').textContent`); !strings.Contains(k, "10") {
		t.Errorf("the commons table does not show K = 10: %q", k)
	}
	typeInto(t, br, "q-requests-bread", "1")
	typeInto(t, br, "q-commons-share", "10")
	typeInto(t, br, "q-uses-design", "30")
	do(t, br, "submitting", chromedp.Click(chromedp.ID("submit")))
	// east is the only human: its proposal may close round 0 at once
	wait[string](t, br, "acceptance", acceptedRound0)
	ps := s.proposals(t, plan.ID, plan.CouncilTokens["east"])
	if len(ps) != 1 {
		t.Fatalf("east's proposals: %v", ps)
	}
	pr := ps[0]["proposal"].(map[string]any)
	if share := pr["commons"].(map[string]any)["share"]; share != 0.1 {
		t.Errorf("the server stored the share %v, want 0.1", share)
	}
	if u := pr["uses"].(map[string]any)["design"]; u != 30.0 {
		t.Errorf("the server stored uses %v, want 30", u)
	}
	checkPage(t, br, s.URL)
	screenshot(t, br, "council-commons")

	// east was the only human council: its proposal closed round 0.
	ob := br.another(t, desktopW, desktopH)
	open(t, ob, s.page("observer.html", plan.ID, plan.ObserverToken), "observer page",
		`document.getElementById('commons-chart').dataset.rounds === '1' && document.getElementById('conn').dataset.state === 'open'`)
	s.call(t, "POST", "/api/plans/"+plan.ID+"/rounds/close", plan.FacilitatorToken, nil, http.StatusOK, nil)
	wait[bool](t, ob, "the commons chart with two rounds", `document.getElementById('commons-chart').dataset.rounds === '2'`)
	rows := eval[[]string](t, ob, `[...document.querySelectorAll('#commons-table tbody tr')].map(r => r.textContent)`)
	// Round 0: east abstained (levy 4%); round 1: its 10% vote moves the
	// median to south's 6%; its 30 users, carried with its proposal, are
	// the only uses declared, so the observer sees them withheld.
	// Each row reads round, levy, fund, then K, output and users.
	if len(rows) != 2 || !strings.HasPrefix(rows[1], "04%") || !strings.HasPrefix(rows[0], "16%") || !strings.HasSuffix(rows[0], "withheld") || strings.Contains(rows[0], "30") {
		t.Errorf("commons rows %q: want round 1 at a 6%% levy with its users withheld above round 0 at 4%%", rows)
	}
	checkPage(t, ob, s.URL)
	screenshot(t, ob, "observer-commons")
}
