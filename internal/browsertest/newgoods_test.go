package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCouncilProposesANewGood: on the worker council's page, the new-good
// form puts cake into the catalogue (good.accepted, shown on the page);
// after the round closes, the council's prices table and the observer's
// goods show cake marked new, with who proposed it.
func TestCouncilProposesANewGood(t *testing.T) {
	s := serve(t)
	plan := s.newPlan(t)
	br := browser(t, desktopW, desktopH)
	open(t, br, s.page("council.html", plan.ID, plan.CouncilTokens["bakery"]), "bakery's council page", councilReady)
	if hidden := eval[bool](t, br, `document.getElementById('new-good-panel').hidden`); hidden {
		t.Fatal("the new-good form is hidden on a worker council's page")
	}
	typeInto(t, br, "ng-id", "cake")
	typeInto(t, br, "ng-name", "Cake")
	typeInto(t, br, "ng-qty", "10")
	typeInto(t, br, "ng-inputs", "labor=5")
	do(t, br, "proposing the new good", chromedp.Click(chromedp.CSS(`#new-good button[type=submit]`)))
	got := wait[string](t, br, "the new good accepted", `(t => t.includes('Accepted') && t)(document.getElementById('ng-result').textContent)`)
	if !strings.Contains(got, "round 1") || !strings.Contains(got, "0.5") {
		t.Errorf("the page says %q; want round 1 at the unit cost 0.5", got)
	}
	// a second good, which the facilitator withdraws as a duplicate
	typeInto(t, br, "ng-id", "gateau")
	do(t, br, "proposing gateau", chromedp.Click(chromedp.CSS(`#new-good button[type=submit]`)))
	wait[bool](t, br, "gateau accepted", `document.getElementById('ng-result').textContent.includes('gateau')`)
	fac := br.another(t, desktopW, desktopH)
	open(t, fac, s.page("facilitator.html", plan.ID, plan.FacilitatorToken), "the facilitator's page", `document.getElementById('round-no').textContent === '0' && !document.getElementById('close-round').disabled`)
	typeInto(t, fac, "withdraw-good", "gateau")
	typeInto(t, fac, "withdraw-reason", "a duplicate of cake")
	do(t, fac, "withdrawing gateau", chromedp.Click(chromedp.CSS(`#withdraw button[type=submit]`)))
	wait[bool](t, fac, "gateau withdrawn", `document.getElementById('withdraw-result').textContent.includes('Withdrawn: gateau')`)
	checkPage(t, fac, s.URL)

	s.call(t, "POST", "/api/plans/"+plan.ID+"/rounds/close", plan.FacilitatorToken, nil, http.StatusOK, nil)
	wait[bool](t, br, "cake in the prices, marked new", `document.querySelector('#prices tbody').textContent.includes('new, proposed by bakery')`)
	if eval[bool](t, br, `document.querySelector('#prices tbody').textContent.includes('gateau')`) {
		t.Error("the withdrawn gateau is in the catalogue")
	}
	checkPage(t, br, s.URL)
	screenshot(t, br, "council-new-good")

	// a consumer council's page has no such form
	north := br.another(t, desktopW, desktopH)
	open(t, north, s.page("council.html", plan.ID, plan.CouncilTokens["north"]), "north's council page", strings.Replace(councilReady, "=== '0'", "=== '1'", 1))
	if hidden := eval[bool](t, north, `document.getElementById('new-good-panel').hidden`); !hidden {
		t.Error("a consumer council's page shows the new-good form")
	}
	wait[bool](t, north, "cake among north's goods, marked new", `document.querySelector('#prices tbody').textContent.includes('Cake (cake) — new, proposed by bakery')`)
}
