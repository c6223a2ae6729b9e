package browsertest

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// fedPlan creates federation-city with its east ward human (no weights)
// and returns the plan with its federation token.
func fedPlan(t *testing.T, s *server) (created, string) {
	t.Helper()
	b, err := os.ReadFile("../examples/scenarios/federation-city.json")
	if err != nil {
		t.Fatal(err)
	}
	var sc map[string]any
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatal(err)
	}
	for _, f := range sc["federations"].([]any) {
		if f := f.(map[string]any); f["id"] == "ward-east" {
			delete(f, "weights")
		}
	}
	var c struct {
		created
		FederationTokens map[string]string `json:"federationTokens"`
	}
	s.call(t, "POST", "/api/plans", "", sc, http.StatusCreated, &c)
	tok := c.FederationTokens["ward-east"]
	if tok == "" {
		t.Fatalf("no federation token: %+v", c)
	}
	return c.created, tok
}

// withheldCells counts the cells of the roll-up shown as withheld.
const withheldCells = `document.querySelectorAll('#federations td.withheld').length`

// TestFederationPage: a human federation submits its collective requests
// from its page, sees its budget and where it comes from, and its
// members' roll-up; the observer walks down the tree and finds a one-farm
// total withheld; the facilitator sees it.
func TestFederationPage(t *testing.T) {
	s := serve(t)
	plan, tok := fedPlan(t, s)
	br := browser(t, desktopW, desktopH)

	open(t, br, s.page("federation.html", plan.ID, tok), "the east ward's page", councilReady)
	if who := text(t, br, "who"); !strings.Contains(who, "East Ward") {
		t.Errorf("header: %q", who)
	}
	if b := text(t, br, "budget"); b == "" || b == "—" {
		t.Fatalf("no budget shown: %q", b)
	}
	if n := eval[int](t, br, `document.querySelectorAll('#q-requests-labor').length`); n != 0 {
		t.Error("a federation is offered labour to request")
	}
	typeInto(t, br, "q-requests-parks", "1")
	do(t, br, "submitting with Enter", chromedp.SendKeys(chromedp.ID("q-requests-parks"), "\r"))
	// The verdict says Accepted until round 1 opens, which can be at once
	// (the east ward is the only human): then its history row says so.
	wait[string](t, br, "the verdict", acceptedRound0)
	// the only human is in: round 0 closes, and the roll-up appears
	origin := wait[string](t, br, "where the budget comes from", `(t => t.includes('levy of 2') && t)(document.getElementById('origin').textContent)`)
	if !strings.Contains(origin, "round 0") {
		t.Errorf("origin: %q", origin)
	}
	wait[bool](t, br, "the members' roll-up", `!document.getElementById('federations').hidden && document.querySelector('#federations h3').textContent.includes('East Ward')`)
	if body := text(t, br, "federations"); strings.Contains(body, "Riverton (city) —") || eval[int](t, br, withheldCells) == 0 {
		t.Errorf("the federation's roll-up shows more than its subtree or withholds nothing: %q", body)
	}
	checkPage(t, br, s.URL)
	screenshot(t, br, "federation-page")

	open(t, br, s.page("observer.html", plan.ID, plan.ObserverToken), "observer page",
		`!document.getElementById('federations').hidden && document.querySelector('#federations h3') !== null && document.querySelector('#federations h3').textContent.includes('Riverton')`)
	// round 1: the councils and the simulated federations are in, the
	// human east ward is not
	wait[bool](t, br, "who submitted in round 1", `document.getElementById('submitted').textContent.startsWith('9 of 10')`)
	do(t, br, "choosing the east ward", chromedp.Click(`//table[contains(@class,'fed-kids')]//button[contains(., 'East Ward')]`))
	wait[bool](t, br, "the east ward's roll-up", `document.querySelector('#federations h3').textContent.includes('East Ward')`)
	if body := text(t, br, "federations"); eval[int](t, br, withheldCells) == 0 || !strings.Contains(body, "Riverton") {
		t.Errorf("observer's east ward: %q", body)
	}
	if focused := eval[string](t, br, `document.activeElement.tagName`); focused != "H3" {
		t.Errorf("after choosing a federation the focus is on %s, want its heading", focused)
	}
	do(t, br, "back to the city", chromedp.Click(`//nav[contains(@class,'crumbs')]//button[contains(., 'Riverton')]`))
	wait[bool](t, br, "the city again", `document.querySelector('#federations h3').textContent.includes('Riverton')`)
	checkPage(t, br, s.URL)
	screenshot(t, br, "observer-federations")

	open(t, br, s.page("facilitator.html", plan.ID, plan.FacilitatorToken), "facilitator page",
		`!document.getElementById('federations').hidden && document.querySelector('#federations h3') !== null`)
	do(t, br, "choosing the east ward", chromedp.Click(`//table[contains(@class,'fed-kids')]//button[contains(., 'East Ward')]`))
	wait[bool](t, br, "the east ward's roll-up", `document.querySelector('#federations h3').textContent.includes('East Ward')`)
	if n := eval[int](t, br, withheldCells); n != 0 {
		t.Errorf("the facilitator's view withholds %d cells", n)
	}
	checkPage(t, br, s.URL)
}
