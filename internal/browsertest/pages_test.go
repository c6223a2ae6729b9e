package browsertest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const (
	desktopW, desktopH = 1280, 900
	phoneW, phoneH     = 390, 844
)

// open navigates the tab to url and waits until ready (a JS expression) is true.
func open(t *testing.T, tb *tab, url, what, ready string) {
	t.Helper()
	do(t, tb, "opening "+what, chromedp.Navigate(url))
	wait[bool](t, tb, what+" ready", ready)
}

func text(t *testing.T, tb *tab, id string) string {
	t.Helper()
	return eval[string](t, tb, `(document.getElementById(`+jsString(id)+`) || {}).textContent || ''`)
}

// typeInto focuses a field, clears it and types s, as a user would.
func typeInto(t *testing.T, tb *tab, id, s string) {
	t.Helper()
	do(t, tb, "typing into #"+id,
		chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById(`+jsString(id)+`); e.focus(); e.select && e.select(); })()`),
		chromedp.SendKeys(chromedp.ID(id), "\b\b\b\b\b\b\b\b"+s))
}

// band is the gap band the pages colour by, which follows the plan's
// tolerance: within it, up to 3×, 10× and 30× it, beyond.
func band(g, tol float64) int {
	switch {
	case g <= tol:
		return 0
	case g <= 3*tol:
		return 1
	case g <= 10*tol:
		return 2
	case g <= 30*tol:
		return 3
	}
	return 4
}

// councilReady is true when the council page has its snapshot and fields.
const councilReady = `document.getElementById('round-no').textContent === '0' && !document.getElementById('submit').disabled && document.querySelectorAll('#fields input').length > 0`

// acceptedRound0 is the page's word that its round-0 proposal was
// accepted: the verdict's text, or, once the last human's proposal has
// closed round 0 and round 1 has cleared the verdict (it would be stale),
// the text of its accepted round-0 row in the history. Empty until then.
const acceptedRound0 = `(() => {
	const v = document.getElementById('verdict').textContent;
	if (v.includes('Accepted')) return v;
	const row = [...document.querySelectorAll('#mine tbody tr')].find(r => r.cells.length > 3 && r.cells[0].textContent === '0' && r.cells[1].querySelector('.chip.yes'));
	return row ? row.textContent : '';
})()`

// proposals fetches a council's own proposals over HTTP.
func (s *server) proposals(t *testing.T, plan, token string) []map[string]any {
	t.Helper()
	var raw json.RawMessage
	s.call(t, "GET", "/api/plans/"+plan+"/proposals", token, nil, http.StatusOK, &raw)
	var wrapped struct {
		Proposals []map[string]any `json:"proposals"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && wrapped.Proposals != nil {
		return wrapped.Proposals
	}
	var bare []map[string]any
	if err := json.Unmarshal(raw, &bare); err != nil {
		t.Fatalf("proposals: %v: %s", err, raw)
	}
	return bare
}

func TestStartPageCreatesPlans(t *testing.T) {
	s := serve(t)
	br := browser(t, desktopW, desktopH)

	open(t, br, s.URL+"/", "start page", `document.querySelector('#example').value !== '' && document.querySelector('#example').options.length > 1`)
	// a bundled example
	do(t, br, "choosing an example",
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('example'); s.value = 'bread-and-land'; s.dispatchEvent(new Event('change')); })()`),
		chromedp.Click(chromedp.ID("create-btn")))
	wait[bool](t, br, "the new plan's links", `!document.getElementById('created').hidden && document.querySelectorAll('#links tbody tr').length >= 2`)
	warn := text(t, br, "keep")
	if !strings.Contains(warn, "shown only this once") {
		t.Errorf("no warning to keep the links: %q", warn)
	}
	id := wait[string](t, br, "the plan id in the links", `(document.querySelector('#links tbody a').href.match(/#plan=([^&]+)/) || [])[1]`)
	wait[bool](t, br, "the plan in the list", `document.querySelector('#plans tbody').textContent.includes(`+jsString(id)+`)`)
	var plans struct {
		Plans []struct{ ID, Status string } `json:"plans"`
	}
	s.call(t, "GET", "/api/plans", "", nil, http.StatusOK, &plans)
	if len(plans.Plans) != 1 || plans.Plans[0].ID != id {
		t.Fatalf("GET /api/plans = %+v, want the one plan %s", plans, id)
	}
	row := text(t, br, "plans")
	if !strings.Contains(row, plans.Plans[0].Status) {
		t.Errorf("the list does not show the plan's status %q: %q", plans.Plans[0].Status, row)
	}

	// an uploaded scenario file
	file := filepath.Join(t.TempDir(), "browser-test.json")
	if err := os.WriteFile(file, []byte(testScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, br, "uploading a scenario",
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('file').dispatchEvent(new Event('change'))`),
		chromedp.Click(chromedp.ID("create-btn")))
	wait[bool](t, br, "the uploaded plan's council links", `document.querySelector('#links tbody').textContent.includes('Council bakery') && document.querySelector('#links tbody').textContent.includes('Council north') && !document.querySelector('#links tbody a').href.includes(`+jsString(id)+`)`)
	links := eval[map[string]string](t, br, `Object.fromEntries([...document.querySelectorAll('#links tbody tr')].map(r => [r.querySelector('th').textContent, r.querySelector('a').href]))`)
	if !strings.Contains(links["Council north"], "/council.html#plan=") || !strings.Contains(links["Facilitator"], "/facilitator.html#plan=") || !strings.Contains(links["Observer"], "/observer.html#plan=") {
		t.Fatalf("links: %v", links)
	}
	checkPage(t, br, s.URL)
	screenshot(t, br, "start")
	do(t, br, "narrowing to a phone", chromedp.EmulateViewport(phoneW, phoneH))
	if w := eval[float64](t, br, `document.documentElement.scrollWidth`); w > phoneW {
		t.Errorf("the start page is %v px wide at %d px", w, phoneW)
	}
	screenshot(t, br, "start-390px")
	do(t, br, "widening again", chromedp.EmulateViewport(desktopW, desktopH))

	// the links work: the facilitator's opens its page on round 0
	fac := br.another(t, desktopW, desktopH)
	open(t, fac, links["Facilitator"], "facilitator page from its link", `document.getElementById('round-no').textContent === '0' && document.querySelectorAll('#councils li').length === 4`)

	// a bad upload names the field
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(strings.Replace(testScenario, `"endowment": 100`, `"endowment": -1`, 1)), 0o644)
	do(t, br, "uploading a bad scenario",
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{bad}),
		chromedp.Click(chromedp.ID("src-file")),
		chromedp.Click(chromedp.ID("create-btn")))
	msg := wait[string](t, br, "the error", `document.getElementById('errors').textContent`)
	if !strings.Contains(msg, "goods[1]") {
		t.Errorf("the error does not name the field goods[1].endowment: %q", msg)
	}
	if live := eval[string](t, br, `document.getElementById('errors').getAttribute('aria-live')`); live != "assertive" {
		t.Errorf("the error region's aria-live is %q", live)
	}
}

func TestCouncilSubmitsAndIsAccepted(t *testing.T) {
	s := serve(t)
	plan := s.newPlan(t)
	br := browser(t, desktopW, desktopH)

	// a consumer council: its budget, and the cost as it types
	open(t, br, s.page("council.html", plan.ID, plan.CouncilTokens["north"]), "north's council page", councilReady)
	budget := text(t, br, "budget")
	if budget == "" || budget == "—" {
		t.Fatalf("no budget shown: %q", budget)
	}
	typeInto(t, br, "q-requests-bread", "10")
	meter := wait[string](t, br, "the cost meter", `(t => t.startsWith('Cost 20 ') && t)(document.getElementById('meter-text').textContent)`)
	if !strings.Contains(meter, "within budget") || !strings.Contains(meter, budget) {
		t.Errorf("meter: %q (budget %s)", meter, budget)
	}
	// submit from the keyboard: Enter in the field submits the form
	do(t, br, "submitting with Enter", chromedp.SendKeys(chromedp.ID("q-requests-bread"), "\r"))
	verdict := wait[string](t, br, "the verdict", `(t => t.includes('Accepted') && t)(document.getElementById('verdict').textContent)`)
	if !strings.Contains(verdict, "round 0") {
		t.Errorf("verdict: %q", verdict)
	}
	if acc := br.receivedAtLeast("proposal.accepted", 1); len(acc) != 1 {
		t.Errorf("the page got %d proposal.accepted frames, want 1", len(acc))
	}
	wait[bool](t, br, "the proposal in the history", `(t => t.includes('accepted') && t.includes('Bread 10'))(document.querySelector('#mine tbody').textContent)`)
	ps := s.proposals(t, plan.ID, plan.CouncilTokens["north"])
	if len(ps) != 1 || ps[0]["status"] != "accepted" {
		t.Fatalf("north's proposals on the server: %v", ps)
	}
	if q := ps[0]["proposal"].(map[string]any)["requests"].(map[string]any)["bread"]; q != 10.0 {
		t.Errorf("the server stored bread %v, want 10", q)
	}
	checkPage(t, br, s.URL)
	screenshot(t, br, "council-consumer")

	// a worker council at phone width: the SB/SC meter as it types
	ph := br.another(t, phoneW, phoneH)
	open(t, ph, s.page("council.html", plan.ID, plan.CouncilTokens["bakery"]), "bakery's council page", councilReady)
	typeInto(t, ph, "q-outputs-bread", "10")
	typeInto(t, ph, "q-inputs-labor", "50")
	low := wait[string](t, ph, "the SB/SC meter below 1", `(t => t.includes('SB/SC 0.4') && t)(document.getElementById('meter-text').textContent)`)
	if !strings.Contains(low, "below 1") {
		t.Errorf("meter at SB/SC 0.4: %q", low)
	}
	typeInto(t, ph, "q-inputs-labor", "5")
	wait[string](t, ph, "the SB/SC meter at 4", `(t => t.includes('SB/SC 4:') && t.includes('passes') && t)(document.getElementById('meter-text').textContent)`)
	if w := eval[float64](t, ph, `document.documentElement.scrollWidth`); w > phoneW {
		t.Errorf("the council page is %v px wide at a %d px viewport", w, phoneW)
	}
	screenshot(t, ph, "council-worker-390px")
	do(t, ph, "submitting", chromedp.Click(chromedp.ID("submit")))
	// bakery is the last human: its proposal may close round 0 at once
	v := wait[string](t, ph, "the worker's verdict", acceptedRound0)
	if !strings.Contains(v, "SB/SC 4") {
		t.Errorf("the verdict does not carry the server's SB/SC: %q", v)
	}
	checkPage(t, ph, s.URL)
	screenshot(t, ph, "council-worker-390px-accepted")
}

func TestCouncilBadQuantityShowsServerErrorInline(t *testing.T) {
	s := serve(t)
	plan := s.newPlan(t)
	br := browser(t, phoneW, phoneH)
	open(t, br, s.page("council.html", plan.ID, plan.CouncilTokens["north"]), "north's council page", councilReady)

	typeInto(t, br, "q-requests-bread", "-5")
	do(t, br, "submitting", chromedp.Click(chromedp.ID("submit")))
	inline := wait[string](t, br, "the inline error", `document.getElementById('err-q-requests-bread').textContent`)
	rej := br.receivedAtLeast("proposal.rejected", 1)
	if len(rej) != 1 {
		t.Fatalf("the page got %d proposal.rejected frames, want 1", len(rej))
	}
	reason, _ := rej[0]["reason"].(string)
	if reason == "" || !strings.Contains(inline, reason) {
		t.Errorf("inline error %q does not show the server's reason %q", inline, reason)
	}
	if f := rej[0]["field"]; f != "requests.bread" {
		t.Errorf("the server named field %v, want requests.bread", f)
	}
	if inv := eval[string](t, br, `document.getElementById('q-requests-bread').getAttribute('aria-invalid')`); inv != "true" {
		t.Errorf("aria-invalid = %q", inv)
	}
	if live := eval[string](t, br, `document.getElementById('err-q-requests-bread').getAttribute('aria-live')`); live == "" || live == "off" {
		t.Errorf("the inline error is not a live region (aria-live %q)", live)
	}
	if desc := eval[string](t, br, `document.getElementById('q-requests-bread').getAttribute('aria-describedby')`); !strings.Contains(desc, "err-q-requests-bread") {
		t.Errorf("the field is not described by its error: %q", desc)
	}
	if f := eval[string](t, br, `document.activeElement.id`); f != "q-requests-bread" {
		t.Errorf("focus is on %q, want the field in error", f)
	}
	verdict := wait[string](t, br, "the verdict", `(t => t.includes('rejected') && t)(document.getElementById('verdict').textContent)`)
	if !strings.Contains(verdict, reason) {
		t.Errorf("verdict %q lacks the reason", verdict)
	}
	wait[bool](t, br, "the rejection in the history", `document.querySelector('#mine tbody').textContent.includes('rejected')`)
	screenshot(t, br, "council-rejected-390px")

	// correcting the quantity clears the error, and the proposal passes
	typeInto(t, br, "q-requests-bread", "5")
	if e := text(t, br, "err-q-requests-bread"); e != "" {
		t.Errorf("the error stays after correcting: %q", e)
	}
	do(t, br, "resubmitting", chromedp.Click(chromedp.ID("submit")))
	wait[bool](t, br, "acceptance", `document.getElementById('verdict').textContent.includes('Accepted')`)
	checkPage(t, br, s.URL)
}

func TestFacilitatorClosesTheRound(t *testing.T) {
	s := serve(t)
	plan := s.newPlan(t)
	br := browser(t, desktopW, desktopH)
	open(t, br, s.page("facilitator.html", plan.ID, plan.FacilitatorToken), "facilitator page",
		`document.getElementById('round-no').textContent === '0' && document.querySelectorAll('#councils li').length === 4 && !document.getElementById('close-round').disabled`)
	if got := eval[string](t, br, `[...document.querySelectorAll('#councils li')].find(li => li.textContent.includes('north')).textContent`); !strings.Contains(got, "not yet") {
		t.Errorf("north before submitting: %q", got)
	}

	// north submits in its own tab; the facilitator sees it live
	c := br.another(t, desktopW, desktopH)
	open(t, c, s.page("council.html", plan.ID, plan.CouncilTokens["north"]), "north's page", councilReady)
	typeInto(t, c, "q-requests-bread", "10")
	do(t, c, "submitting", chromedp.Click(chromedp.ID("submit")))
	wait[bool](t, c, "acceptance", `document.getElementById('verdict').textContent.includes('Accepted')`)
	wait[bool](t, br, "north marked as submitted", `[...document.querySelectorAll('#councils li')].find(li => li.textContent.includes('north')).textContent.includes('submitted')`)
	wait[bool](t, br, "north's proposal in the table", `(t => t.includes('north') && t.includes('Bread 10'))(document.querySelector('#props tbody').textContent)`)

	// set a deadline
	typeInto(t, br, "deadline-seconds", "300")
	do(t, br, "setting the deadline", chromedp.Click(chromedp.CSS("#settings button[type=submit]")))
	wait[bool](t, br, "the deadline confirmed", `document.getElementById('action-status').textContent.includes('300')`)
	var p map[string]any
	s.call(t, "GET", "/api/plans/"+plan.ID, plan.FacilitatorToken, nil, http.StatusOK, &p)
	if p["roundDeadlineSeconds"] != 300.0 {
		t.Errorf("roundDeadlineSeconds on the server = %v, want 300", p["roundDeadlineSeconds"])
	}
	wait[bool](t, br, "the deadline's countdown", `document.getElementById('deadline').textContent.includes('closes at')`)
	wait[bool](t, c, "the deadline on the council's page", `document.getElementById('deadline').textContent.includes('closes at')`)

	// close the round with the keyboard
	do(t, br, "closing the round", chromedp.Focus(chromedp.ID("close-round")), chromedp.KeyEvent("\r"))
	wait[bool](t, br, "round 1", `document.getElementById('round-no').textContent === '1'`)
	// north's page says its proposal is in round 0's root, the one published
	var roots []map[string]any
	s.call(t, "GET", "/api/plans/"+plan.ID+"/roots", plan.ObserverToken, nil, http.StatusOK, &roots)
	if len(roots) != 1 {
		t.Fatalf("roots: %v", roots)
	}
	proofLine := wait[string](t, c, "north's proof", `(t => t.includes("round 0's root") && t)(document.getElementById('proof-line').textContent)`)
	if root, _ := roots[0]["root"].(string); root == "" || !strings.Contains(proofLine, "Your proposal is in round 0's root "+root) {
		t.Errorf("north's page says %q; round 0's root is %v", proofLine, roots[0]["root"])
	}
	wait[bool](t, br, "the goods' gaps", `document.querySelectorAll('#goods td.gap .band').length === 4`)
	var rounds struct {
		Rounds []struct {
			Round  int                `json:"round"`
			Gaps   map[string]float64 `json:"gaps"`
			Supply map[string]float64 `json:"supply"`
			MaxGap float64            `json:"maxGap"`
		} `json:"rounds"`
	}
	s.call(t, "GET", "/api/plans/"+plan.ID+"/rounds", plan.FacilitatorToken, nil, http.StatusOK, &rounds)
	if len(rounds.Rounds) != 1 {
		t.Fatalf("%d closed rounds on the server, want 1", len(rounds.Rounds))
	}
	cells := eval[map[string][]string](t, br, `Object.fromEntries([...document.querySelectorAll('#goods tbody tr')].map(r => {
		const td = r.querySelector('td.gap');
		return [r.dataset.good, [td.className, td.textContent]];
	}))`)
	for g, gap := range rounds.Rounds[0].Gaps {
		cell, ok := cells[g]
		if !ok {
			t.Errorf("no row for %s in %v", g, cells)
			continue
		}
		want := fmt.Sprintf("gap-%d", band(gap, 0.01))
		if !strings.Contains(cell[0], want) {
			t.Errorf("%s: gap %.4f has class %q, want %s", g, gap, cell[0], want)
		}
		if !strings.HasPrefix(cell[1], pct(gap)) {
			t.Errorf("%s: gap %.4f shown as %q, want %s", g, gap, cell[1], pct(gap))
		}
	}
	wait[bool](t, br, "the round's close in the audit log", `document.querySelectorAll('#audit tbody tr').length >= 3 && /clos/i.test(document.querySelector('#audit tbody').textContent)`)
	wait[bool](t, br, "round 0 proposals offered", `[...document.getElementById('props-pick').options].some(o => o.value === '0')`)
	if got := eval[string](t, br, `[...document.querySelectorAll('#councils li')].find(li => li.textContent.includes('north')).textContent`); !strings.Contains(got, "not yet") {
		t.Errorf("north after the round closed: %q (a new round starts with no submissions)", got)
	}
	checkPage(t, br, s.URL)
	screenshot(t, br, "facilitator")

	// the council sees the new round's prices
	wait[bool](t, c, "round 1 on the council page", `document.getElementById('round-no').textContent === '1'`)

	ph := br.another(t, phoneW, phoneH)
	open(t, ph, s.page("facilitator.html", plan.ID, plan.FacilitatorToken), "facilitator page on a phone",
		`document.getElementById('round-no').textContent === '1' && document.querySelectorAll('#goods td.gap .band').length === 4 && document.querySelectorAll('#audit tbody tr').length >= 3`)
	if w := eval[float64](t, ph, `document.documentElement.scrollWidth`); w > phoneW {
		t.Errorf("the facilitator page is %v px wide at %d px", w, phoneW)
	}
	checkPage(t, ph, s.URL)
	screenshot(t, ph, "facilitator-390px")
}

func TestObserverChartsGainARound(t *testing.T) {
	s := serve(t)
	plan := s.newPlan(t)
	br := browser(t, desktopW, desktopH)
	open(t, br, s.page("observer.html", plan.ID, plan.ObserverToken), "observer page",
		`document.getElementById('gap-chart').dataset.rounds === '0' && document.getElementById('conn').dataset.state === 'open'`)
	do(t, br, "marking the page", chromedp.Evaluate[chromedp.Void](`window.__sameLoad = 1`))
	rows := func() int { return eval[int](t, br, `document.querySelectorAll('#gap-table tbody tr').length`) }
	if n := rows(); n != 0 {
		t.Fatalf("%d rows before any round closed", n)
	}

	for want := 1; want <= 2; want++ {
		s.call(t, "POST", "/api/plans/"+plan.ID+"/rounds/close", plan.FacilitatorToken, nil, http.StatusOK, nil)
		wait[bool](t, br, fmt.Sprintf("the chart with %d rounds", want), fmt.Sprintf(`document.getElementById('gap-chart').dataset.rounds === '%d'`, want))
		if n := rows(); n != want {
			t.Errorf("gap table has %d rows, want %d", n, want)
		}
		if n := eval[int](t, br, `document.querySelectorAll('#price-table tbody tr').length`); n != want {
			t.Errorf("price table has %d rows, want %d", n, want)
		}
		if n := eval[int](t, br, `document.querySelectorAll('#heat thead th').length - 1`); n != want {
			t.Errorf("heat strip has %d round columns, want %d", n, want)
		}
		if n := eval[int](t, br, `document.getElementById('price-chart').dataset.rounds|0`); n != want {
			t.Errorf("price chart draws %d rounds, want %d", n, want)
		}
	}
	if eval[int](t, br, `window.__sameLoad|0`) != 1 {
		t.Fatal("the page reloaded: the rounds must arrive over the websocket")
	}
	if n := len(br.receivedAtLeast("round.closed", 2)); n != 2 {
		t.Errorf("the page got %d round.closed frames, want 2", n)
	}

	// the table shows the server's max gaps, newest first ("—" where the
	// observer's view withholds every good)
	var rounds struct {
		Rounds []struct {
			MaxGap *float64 `json:"maxGap"`
		} `json:"rounds"`
	}
	s.call(t, "GET", "/api/plans/"+plan.ID+"/rounds", plan.ObserverToken, nil, http.StatusOK, &rounds)
	shown := eval[[]string](t, br, `[...document.querySelectorAll('#gap-table tbody tr td.gap')].map(td => td.firstChild.textContent)`)
	for i, r := range rounds.Rounds {
		got := shown[len(shown)-1-i]
		want := "—"
		if r.MaxGap != nil {
			want = pct(*r.MaxGap)
		}
		if got != want {
			t.Errorf("round %d: table shows %q, server max gap %v (%s)", i, got, r.MaxGap, want)
		}
	}
	// the page says plainly what the last round withholds and why
	if txt := eval[string](t, br, `document.getElementById('privacy-now').textContent`); !strings.HasPrefix(txt, "Round 1: ") ||
		(rounds.Rounds[1].MaxGap == nil) != strings.Contains(txt, "are withheld, because fewer than 3 councils") {
		t.Errorf("the privacy line says %q (last max gap %v)", txt, rounds.Rounds[1].MaxGap)
	}
	// the chart is a real uPlot canvas with a log y scale and the tolerance line
	if n := eval[int](t, br, `document.querySelectorAll('#gap-chart canvas').length`); n < 1 {
		t.Error("no canvas in the gap chart")
	}
	if lg := eval[string](t, br, `document.querySelector("#gap-chart .u-legend").textContent`); !strings.Contains(lg, "tolerance") {
		t.Errorf("the gap chart's legend has no tolerance: %q", lg)
	}

	// choose a price path by keyboard: labour is not drawn at first
	if h := eval[string](t, br, `document.querySelector('#price-table thead').textContent`); strings.Contains(h, "Labour") {
		t.Errorf("labour drawn before it was chosen: %q", h)
	}
	do(t, br, "choosing labour", chromedp.Focus(chromedp.ID("pick-labor")), chromedp.KeyEvent(" "))
	wait[bool](t, br, "labour's price path", `document.querySelector('#price-table thead').textContent.includes('Labour') && document.querySelector('#price-chart .u-legend').textContent.includes('Labour')`)
	checkPage(t, br, s.URL)
	screenshot(t, br, "observer")

	ph := br.another(t, phoneW, phoneH)
	open(t, ph, s.page("observer.html", plan.ID, plan.ObserverToken), "observer page on a phone", `document.getElementById('gap-chart').dataset.rounds === '2'`)
	if w := eval[float64](t, ph, `document.documentElement.scrollWidth`); w > phoneW {
		t.Errorf("the observer page is %v px wide at %d px", w, phoneW)
	}
	screenshot(t, ph, "observer-390px")
}

// pct formats a gap as the pages do in English (PC.pct in
// static/js/common.js): 3 significant figures, trailing zeros dropped;
// below 0.001% as a power of ten (1.23 × 10⁻⁵%).
func pct(g float64) string {
	p := g * 100
	switch {
	case math.IsInf(p, 0) || math.IsNaN(p):
		return "—"
	case p == 0:
		return "0%"
	case p < 0.001:
		e := int(math.Floor(math.Log10(p)))
		m := p / math.Pow(10, float64(e))
		sup := strings.NewReplacer("-", "⁻", "0", "⁰", "1", "¹", "2", "²", "3", "³", "4", "⁴", "5", "⁵", "6", "⁶", "7", "⁷", "8", "⁸", "9", "⁹").Replace(strconv.Itoa(e))
		ms := strconv.FormatFloat(m, 'g', 4, 64)
		if math.Abs(m-1) < 5e-4 {
			return "10" + sup + "%"
		}
		return ms + " × 10" + sup + "%"
	}
	return strconv.FormatFloat(p, 'g', 3, 64) + "%"
}

func TestWrongLinkIsExplained(t *testing.T) {
	s := serve(t)
	plan := s.newPlan(t)
	br := browser(t, desktopW, desktopH)
	for _, pg := range []string{"council.html", "facilitator.html", "observer.html"} {
		open(t, br, s.page(pg, plan.ID, "not-a-token"), pg+" with a wrong token",
			`document.getElementById('errors').textContent.length > 0`)
		msg := text(t, br, "errors")
		if !strings.Contains(msg, "refused") && !strings.Contains(msg, "Could not load") {
			t.Errorf("%s: error %q does not say the link was refused", pg, msg)
		}
		if role := eval[string](t, br, `document.getElementById('errors').getAttribute('role')`); role != "alert" {
			t.Errorf("%s: the error region has role %q, want alert", pg, role)
		}
		open(t, br, s.URL+"/"+pg, pg+" with no link", `document.getElementById('errors').textContent.includes('needs its link')`)
	}
	// a council's token does not open the facilitator's page
	open(t, br, s.page("facilitator.html", plan.ID, plan.CouncilTokens["north"]), "facilitator page with a council token",
		`document.getElementById('errors').textContent.length > 0`)
	screenshot(t, br, "facilitator-wrong-role")
}

func TestObserverReconnectsAfterRestart(t *testing.T) {
	s := serve(t)
	plan := s.newPlan(t)
	br := browser(t, desktopW, desktopH)
	open(t, br, s.page("observer.html", plan.ID, plan.ObserverToken), "observer page",
		`document.getElementById('gap-chart').dataset.rounds === '0' && document.getElementById('conn').dataset.state === 'open'`)
	do(t, br, "marking the page", chromedp.Evaluate[chromedp.Void](`window.__sameLoad = 1`))

	s.stop()
	wait[bool](t, br, "the page to notice", `document.getElementById('conn').dataset.state !== 'open'`)
	s2 := serveAt(t, s.Addr, s.DB) // the same port and database
	wait[bool](t, br, "the page to reconnect", `document.getElementById('conn').dataset.state === 'open'`)
	s2.call(t, "POST", "/api/plans/"+plan.ID+"/rounds/close", plan.FacilitatorToken, nil, http.StatusOK, nil)
	wait[bool](t, br, "the round closed after the restart", `document.getElementById('gap-chart').dataset.rounds === '1' && document.querySelectorAll('#gap-table tbody tr').length === 1`)
	if eval[int](t, br, `window.__sameLoad|0`) != 1 {
		t.Fatal("the page reloaded")
	}
	if n := len(br.receivedAtLeast("snapshot", 2)); n < 2 {
		t.Errorf("%d snapshots, want one per connection (2)", n)
	}
}
