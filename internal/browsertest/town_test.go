package browsertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// townPlan creates a plan of the bundled town with two councils left to
// people (a neighbourhood and a workplace) and no deadline.
func townPlan(t *testing.T, s *server) created {
	t.Helper()
	var c created
	s.call(t, "POST", "/api/plans", "", map[string]any{"example": "millbrook", "humans": []string{"old-town", "hillside-farm"}}, http.StatusCreated, &c)
	if c.CouncilTokens["old-town"] == "" || c.CouncilTokens["hillside-farm"] == "" {
		t.Fatalf("POST /api/plans answered %+v", c)
	}
	return c
}

// pages are the four tabs of a plan, desktop and phone.
type pages struct {
	names []string
	tabs  map[string]*tab
	urls  map[string]string
}

func (p *pages) shoot(t *testing.T, stage string) {
	t.Helper()
	for _, n := range p.names {
		screenshot(t, p.tabs[n], stage+"-"+n)
	}
}

// rawNumber matches a number as a program prints it, not a person:
// 1.00012e+06, 244.36748940.
var rawNumber = regexp.MustCompile(`\d\.\d{5,}|\de[-+]\d`)

// TestTownPlanWithPeople plays the town as its people would and checks,
// in the browser, every point of "a plan that people can join": round 0
// waits for people (a waiting note on the observer's chart, no deadline
// on any page); budgets and prices in the plan's unit with where the
// budget comes from and SB/SC explained in place; the budget meter agrees
// with its text at exactly 100%; an over-budget rejection names its
// numbers for people and puts focus on the request that weighs most; a
// verdict does not outlive its round; a stand-in is marked as such on the
// council's history and notice, the facilitator's page and audit log; the
// form never starts from a stand-in's numbers and shows at most 4
// significant figures; the colours follow the plan's tolerance; the gap
// chart spans a single round with the tolerance line and labels its
// ticks in one style; and the facilitator can start the plan again.
// Every page is photographed, desktop and phone, at round 0, mid-plan
// and converged.
func TestTownPlanWithPeople(t *testing.T) {
	s := serve(t)
	plan := townPlan(t, s)
	br := browser(t, desktopW, desktopH)
	p := &pages{tabs: map[string]*tab{}, urls: map[string]string{
		"council-old-town":      s.page("council.html", plan.ID, plan.CouncilTokens["old-town"]),
		"council-hillside-farm": s.page("council.html", plan.ID, plan.CouncilTokens["hillside-farm"]),
		"facilitator":           s.page("facilitator.html", plan.ID, plan.FacilitatorToken),
		"observer":              s.page("observer.html", plan.ID, plan.ObserverToken),
	}}
	ready := map[string]string{
		"council-old-town":      councilReady + ` && document.getElementById('budget').textContent.includes('hours of labour')`,
		"council-hillside-farm": councilReady,
		"facilitator":           `document.getElementById('round-no').textContent === '0' && document.querySelectorAll('#councils li').length === 13`,
		"observer":              `document.getElementById('gap-chart').dataset.rounds === '0' && document.getElementById('conn').dataset.state === 'open'`,
	}
	for _, n := range []string{"council-old-town", "council-hillside-farm", "facilitator", "observer"} {
		for _, size := range []struct {
			suffix string
			w, h   int
		}{{"", desktopW, desktopH}, {"-390px", phoneW, phoneH}} {
			tb := br
			if len(p.tabs) > 0 {
				tb = br.another(t, size.w, size.h)
			} else {
				do(t, tb, "sizing", chromedp.EmulateViewport(int64(size.w), int64(size.h)))
			}
			open(t, tb, p.urls[n], n+size.suffix, ready[n])
			p.names = append(p.names, n+size.suffix)
			p.tabs[n+size.suffix] = tb
		}
	}
	home := br.another(t, desktopW, desktopH)
	open(t, home, s.URL+"/", "start page", `document.querySelectorAll('#humans input').length > 0`)
	p.names, p.tabs["start"] = append(p.names, "start"), home
	homePhone := br.another(t, phoneW, phoneH)
	open(t, homePhone, s.URL+"/", "start page on a phone", `document.querySelectorAll('#humans input').length > 0 && document.querySelectorAll('#plans tbody tr th').length > 0`)
	p.names, p.tabs["start-390px"] = append(p.names, "start-390px"), homePhone
	town, farm, fac, obs := p.tabs["council-old-town"], p.tabs["council-hillside-farm"], p.tabs["facilitator"], p.tabs["observer"]

	// Round 0 waits for people, and every page says how it closes.
	time.Sleep(1500 * time.Millisecond)
	if r := text(t, obs, "round-no"); r != "0" {
		t.Fatalf("round %s after 1.5 s: round 0 must wait for its people", r)
	}
	if !eval[bool](t, obs, `!document.getElementById('gap-wait').hidden`) {
		t.Error("the observer's chart has no waiting note at round 0")
	}
	for _, tb := range []*tab{town, fac} {
		if d := text(t, tb, "deadline"); !strings.Contains(d, "no deadline") {
			t.Errorf("deadline line %q does not say there is none", d)
		}
	}
	if r := text(t, fac, "deadline-rule"); !strings.Contains(r, "There is no deadline") {
		t.Errorf("the facilitator is not told how rounds close: %q", r)
	}
	// Budgets and prices in the plan's unit, explained in place.
	if b := text(t, town, "budget-change"); !strings.Contains(b, "Round 0") {
		t.Errorf("the budget's change is not explained at round 0: %q", b)
	}
	if e := text(t, town, "budget-explain"); !strings.Contains(e, "share of the pool") {
		t.Errorf("where the budget comes from: %q", e)
	}
	if pr := eval[string](t, town, `document.querySelector('#prices tbody').textContent`); !strings.Contains(pr, "hours of labour") || !strings.Contains(pr, "per loaf") {
		t.Errorf("prices without the plan's unit: %.200q", pr)
	}
	if e := eval[string](t, farm, `(d => d.hidden ? '' : d.textContent)(document.getElementById('sbsc-explain'))`); !strings.Contains(e, "social benefit") {
		t.Errorf("SB/SC is not explained on the workplace's page: %q", e)
	}
	if h := eval[bool](t, town, `document.getElementById('sbsc-explain').hidden`); !h {
		t.Error("SB/SC explained to a neighbourhood, which has no SB/SC")
	}
	// The start page: the town described, the suggested people ticked,
	// the plans table whole on a phone.
	if d := text(t, home, "example-desc"); !strings.Contains(d, "Millbrook") {
		t.Errorf("the town's description: %q", d)
	}
	if n := eval[int](t, home, `document.querySelectorAll('#humans input:checked').length`); n != 2 {
		t.Errorf("%d councils ticked as people, want the suggested 2", n)
	}
	if over := eval[bool](t, homePhone, `(tb => tb.scrollWidth > tb.parentElement.clientWidth + 1)(document.getElementById('plans'))`); over {
		t.Error("the plans table is cut on a phone")
	}
	p.shoot(t, "round0")

	// At exactly its budget the meter is green and says so; over it, red.
	typeInto(t, town, "q-requests-bread", "1")
	per := wait[float64](t, town, "a loaf's cost", `(m => m ? Number(m[1].replace(/,/g, '')) : 0)(document.getElementById('meter-text').textContent.match(/^Cost ([\d.,]+)/))`)
	var view struct {
		Budget *float64           `json:"budget"`
		Prices map[string]float64 `json:"prices"`
	}
	s.call(t, "GET", "/api/plans/"+plan.ID, plan.CouncilTokens["old-town"], nil, http.StatusOK, &view)
	if view.Budget == nil || per <= 0 {
		t.Fatalf("budget %v, cost of a loaf %v", view.Budget, per)
	}
	b, pb := *view.Budget, view.Prices["bread"]
	typeInto(t, town, "q-requests-bread", fmt.Sprint(b/pb))
	state := wait[string](t, town, "the meter at 100%", `(m => m.value > 0 && m.dataset.state)(document.getElementById('meter'))`)
	if reading := text(t, town, "meter-text"); state != "ok" || !strings.Contains(reading, "within budget") || !strings.Contains(reading, "100%") {
		t.Errorf("at exactly the budget: meter %q, text %q", state, reading)
	}
	if col := eval[bool](t, town, `(m => m.value <= m.low)(document.getElementById('meter'))`); !col {
		t.Error("at exactly the budget the meter is not in its green (optimum) region")
	}
	typeInto(t, town, "q-requests-vegetables", "1")
	typeInto(t, town, "q-requests-bread", fmt.Sprint(3*b/pb))
	wait[string](t, town, "the meter over budget", `(m => m.dataset.state === 'over' && 'over')(document.getElementById('meter'))`)
	do(t, town, "submitting over budget", chromedp.Click(chromedp.ID("submit")))
	verdict := wait[string](t, town, "the rejection", `(t => t.includes('rejected') && t)(document.getElementById('verdict').textContent)`)
	if rawNumber.MatchString(verdict) || !regexp.MustCompile(`\d,\d{3}`).MatchString(verdict) {
		t.Errorf("the rejection shows raw numbers: %q", verdict)
	}
	if f := eval[string](t, town, `document.activeElement.id`); f != "q-requests-bread" {
		t.Errorf("after an over-budget rejection focus is on %q, want the dearest request q-requests-bread", f)
	}
	// An accepted proposal with many decimals.
	typeInto(t, town, "q-requests-vegetables", "")
	typeInto(t, town, "q-requests-bread", fmt.Sprint(0.1234567891*b/pb))
	do(t, town, "submitting", chromedp.Click(chromedp.ID("submit")))
	wait[bool](t, town, "acceptance", `document.getElementById('verdict').textContent.includes('Accepted for round 0')`)

	// The farm's people miss the deadline: its model stands in.
	s.call(t, "PATCH", "/api/plans/"+plan.ID+"/settings", plan.FacilitatorToken, map[string]any{"roundDeadlineSeconds": 1}, http.StatusOK, nil)
	wait[bool](t, obs, "round 1", `document.getElementById('round-no').textContent === '1'`)
	s.call(t, "PATCH", "/api/plans/"+plan.ID+"/settings", plan.FacilitatorToken, map[string]any{"roundDeadlineSeconds": 0}, http.StatusOK, nil)
	wait[bool](t, town, "round 1 on the town's page", `document.getElementById('round-no').textContent === '1'`)
	if v := text(t, town, "verdict"); strings.Contains(v, "round 0") {
		t.Errorf("round 0's verdict outlives its round: %q", v)
	}
	wait[bool](t, town, "the budget's change", `document.getElementById('budget-change').textContent.includes('from round 0')`)
	wait[bool](t, farm, "the stand-in notice", `!document.getElementById('standin-note').hidden && document.getElementById('standin-note').textContent.includes('stand-in')`)
	wait[bool](t, farm, "the stand-in in the history", `[...document.querySelectorAll('#mine tbody tr')].some(r => r.textContent.includes('stand-in') && r.querySelector('.chip.standin'))`)
	if filled := eval[[]string](t, farm, `[...document.querySelectorAll('#fields input')].filter(i => i.value !== '').map(i => i.id + '=' + i.value)`); len(filled) > 0 {
		t.Errorf("the farm's form starts from its stand-in's numbers: %v", filled)
	}
	wait[bool](t, fac, "the stand-in in the audit log", `document.querySelector('#audit tbody').textContent.includes('stand-in')`)
	wait[bool](t, fac, "the stand-in by the farm's name", `[...document.querySelectorAll('#councils li')].some(li => li.textContent.includes('hillside-farm') && li.textContent.includes('stand-in'))`)
	do(t, fac, "showing round 0's proposals", chromedp.Evaluate[chromedp.Void](`(s => { s.value = '0'; s.dispatchEvent(new Event('change')); })(document.getElementById('props-pick'))`))
	wait[bool](t, fac, "the farm's round-0 proposal marked", `[...document.querySelectorAll('#props tbody tr')].some(r => r.textContent.includes('hillside-farm') && r.classList.contains('standin'))`)
	// The chart after one round: the x axis spans a round, not 0–100;
	// the tolerance is drawn; ticks in one style.
	wait[bool](t, obs, "the chart with one round", `document.getElementById('gap-chart').dataset.rounds === '1' && document.getElementById('gap-wait').hidden`)
	if xr := eval[string](t, obs, `document.getElementById('gap-chart').dataset.xrange`); xr != "0–1" {
		t.Errorf("after one round the gap chart's rounds axis spans %q, want 0–1", xr)
	}
	if lg := eval[string](t, obs, `document.querySelector('#gap-chart .u-legend').textContent`); !strings.Contains(lg, "tolerance 1%") {
		t.Errorf("the gap chart's legend: %q", lg)
	}
	ticks := eval[[]string](t, obs, `[PC.pctTicks([1, 0.1, 0.01, 0.0001]), PC.pctTicks([0.01, 1e-6, 1e-8])].map(x => x.join(' '))`)
	if ticks[0] != "100% 10% 1% 0.01%" || ticks[1] != "10⁰% 10⁻⁴% 10⁻⁶%" {
		t.Errorf("tick labels %q", ticks)
	}
	p.shoot(t, "mid")

	// Then stand-ins for both, until it converges.
	s.call(t, "PATCH", "/api/plans/"+plan.ID+"/settings", plan.FacilitatorToken, map[string]any{"roundDeadlineSeconds": 1}, http.StatusOK, nil)
	wait[bool](t, obs, "convergence", `document.getElementById('plan-status').textContent.includes('converged')`)
	wait[bool](t, town, "the town told", `document.getElementById('round-notice').textContent.includes('converged') && document.getElementById('submit').disabled`)
	if v := text(t, town, "verdict"); v != "" {
		t.Errorf("a verdict outlives the plan: %q", v)
	}
	// Colours follow the tolerance: a gap is green exactly when it is
	// within it.
	for _, tb := range []*tab{obs} {
		bad := eval[[]string](t, tb, `[...document.querySelectorAll('#gap-table tbody tr')].filter(r => (r.querySelector('td.gap').classList.contains('gap-0')) !== (r.querySelector('.chip').textContent === 'yes')).map(r => r.textContent)`)
		if len(bad) > 0 {
			t.Errorf("colour and 'within tolerance' disagree: %v", bad)
		}
	}
	// Reloading the town's page: the form starts from its own last
	// proposal, to 4 significant figures, never its stand-in's.
	do(t, town, "leaving the page", chromedp.Navigate("about:blank"))
	open(t, town, p.urls["council-old-town"], "the town's page again", `document.querySelectorAll('#fields input').length > 0 && !!document.querySelector('#mine tbody tr td.num')`)
	val := wait[string](t, town, "the prefilled bread", `document.getElementById('q-requests-bread').value`)
	digits := strings.TrimLeft(strings.ReplaceAll(val, ".", ""), "0")
	if len(strings.TrimRight(digits, "0")) > 4 {
		t.Errorf("bread prefilled as %s: more than 4 significant figures", val)
	}
	want := fmt.Sprintf("%.4g", 0.1234567891*b/pb)
	if val != strings.TrimRight(strings.TrimRight(want, "0"), ".") && val != want {
		t.Errorf("bread prefilled as %s, want the council's own %s", val, want)
	}
	wait[bool](t, fac, "the last round's stand-ins", `[...document.querySelectorAll('#councils li')].filter(li => li.textContent.includes('stand-in')).length === 2`)
	p.shoot(t, "converged")

	// Start again from the facilitator's page.
	do(t, fac, "starting again", chromedp.Click(chromedp.ID("restart")))
	next := wait[string](t, fac, "the new plan's links", `(a => a && a.href)(document.querySelector('#restart-links a'))`)
	if !strings.Contains(next, "/facilitator.html#plan=") || strings.Contains(next, plan.ID) {
		t.Fatalf("new facilitator link %q", next)
	}
	if n := eval[int](t, fac, `document.querySelectorAll('#restart-links li').length`); n != 4 {
		t.Errorf("%d new links, want facilitator, observer and the two councils", n)
	}
	do(t, fac, "leaving the page", chromedp.Navigate("about:blank"))
	open(t, fac, next, "the new plan's facilitator page", `document.getElementById('round-no').textContent === '0' && document.getElementById('plan-status').textContent === 'round open'`)
	for _, n := range p.names {
		checkPage(t, p.tabs[n], s.URL)
	}
}

// TestStartPageChoosesPeople creates a town plan from the start page with
// three councils ticked as people: the links are theirs; and a scenario
// with several problems is refused with them as a list.
func TestStartPageChoosesPeople(t *testing.T) {
	s := serve(t)
	br := browser(t, desktopW, desktopH)
	open(t, br, s.URL+"/", "start page", `document.querySelectorAll('#humans input').length === 13`)
	do(t, br, "ticking the tram workers", chromedp.Click(chromedp.ID("human-tram-workers")), chromedp.Click(chromedp.ID("create-btn")))
	wait[bool](t, br, "the links", `document.querySelectorAll('#links tbody tr').length === 5`)
	got := text(t, br, "links")
	for _, c := range []string{"Council old-town", "Council hillside-farm", "Council tram-workers"} {
		if !strings.Contains(got, c) {
			t.Errorf("links lack %s: %.300q", c, got)
		}
	}
	bad := strings.NewReplacer(`"endowment": 100`, `"endowment": -1`, `"price": 2`, `"price": -2`, `"tolerance": 0.01`, `"tolerance": 2`).Replace(testScenario)
	do(t, br, "uploading a bad scenario", chromedp.Evaluate[chromedp.Void](`fetch('/api/plans', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: `+jsString(bad)+`}).then(r => r.json()).then(j => { window.__err = j.error; })`))
	wait[bool](t, br, "the server's answer", `!!window.__err`)
	// the page shows what it would show for this answer
	do(t, br, "showing the problems", chromedp.Evaluate[chromedp.Void](`(() => {
		const f = new File([`+jsString(bad)+`], 'bad.json', {type: 'application/json'});
		const dt = new DataTransfer(); dt.items.add(f);
		const inp = document.getElementById('file'); inp.files = dt.files; inp.dispatchEvent(new Event('change'));
		document.getElementById('create-btn').click();
	})()`))
	items := wait[[]string](t, br, "the problems as a list", `(l => l.length >= 3 && l)([...document.querySelectorAll('#errors ul.problems li')].map(li => li.textContent))`)
	all := strings.Join(items, "\n")
	for _, want := range []string{"goods[1].endowment", "goods[3].price", "facilitation.tolerance"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems %q lack %s", items, want)
		}
	}
	screenshot(t, br, "start-problems")
	checkPage(t, br, s.URL)
}

// TestPagesInSpanish opens every page in a browser whose language is
// Spanish, the town's and, for their own panels, a commons plan's and a
// federation's: the pages speak Spanish (from the catalogue), also in the
// text their scripts write, the switch says so and turns them to English.
func TestPagesInSpanish(t *testing.T) {
	s := serve(t)
	plan := townPlan(t, s)
	com := commonsPlan(t, s)
	fed, fedTok := fedPlan(t, s)
	br := browserLang(t, desktopW, desktopH, "es")
	// the scenarios' own names, English here, are data, not page text
	town := []string{"farmland and building land", "tram and bus", "tools and repairs", "river water", "electric power", "CO₂ emissions", "home for a week", "thousand m³", "tram-workers", "toolworks"}
	const fedReady = `!document.getElementById('federations').hidden && document.querySelector('#federations h3') !== null`
	for _, pg := range []struct {
		name, url, ready string
		want, names      []string
	}{
		{"start", s.URL + "/", `document.querySelectorAll('#humans input').length > 0`, []string{"Crear un plan"}, town},
		{"council", s.page("council.html", plan.ID, plan.CouncilTokens["old-town"]), councilReady,
			[]string{"Precios indicativos", "Prueba de que su propuesta contó", "Aún no se ha cerrado ninguna ronda."}, town},
		{"facilitator", s.page("facilitator.html", plan.ID, plan.FacilitatorToken), `document.querySelectorAll('#councils li').length === 13`, []string{"Cerrar la ronda ahora"}, town},
		{"observer", s.page("observer.html", plan.ID, plan.ObserverToken), `document.getElementById('gap-chart').dataset.rounds === '0'`,
			[]string{"Mayor desajuste por ronda", "Qué se oculta, y por qué"}, town},
		{"commons-council", s.page("council.html", com.ID, com.CouncilTokens["east"]), councilReady + ` && !document.getElementById('commons-panel').hidden && document.querySelector('#commons-table tbody tr') !== null`,
			[]string{"El procomún", "Su voto para el fondo del procomún", "bien común: de uso libre", "se paga a quien lo produce"}, nil},
		{"commons-observer", s.page("observer.html", com.ID, com.ObserverToken), `!document.getElementById('commons').hidden && document.getElementById('commons-chart').dataset.rounds === '0'`,
			[]string{"El procomún", "Aún no se ha cerrado ninguna ronda. Existencias al empezar:"}, nil},
		{"federation", s.page("federation.html", fed.ID, fedTok), councilReady + ` && ` + fedReady,
			[]string{"federación East Ward", "De dónde sale su presupuesto", "Peticiones colectivas: lo que su federación dará en común a sus miembros", "aún no se ha cerrado ninguna ronda", "Los resúmenes aparecen cuando se cierra la ronda 0."}, nil},
		{"federation-observer", s.page("observer.html", fed.ID, fed.ObserverToken), fedReady,
			[]string{"Federaciones", "Federaciones en Riverton", "Presupuesto colectivo"}, nil},
	} {
		open(t, br, pg.url, pg.name+" in Spanish", pg.ready)
		if l := eval[string](t, br, `document.documentElement.lang`); l != "es" {
			t.Errorf("%s: lang %q", pg.name, l)
		}
		body := eval[string](t, br, `document.body.innerText`)
		for _, w := range pg.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in the Spanish page", pg.name, w)
			}
		}
		// no heading, legend, label, button or caption left in English
		names, _ := json.Marshal(append([]string{}, pg.names...))
		english := eval[[]string](t, br, `(names => [...document.querySelectorAll('h1, h2, h3, legend, label, button, summary, th, caption, header .role, .chip')]
				.map(e => names.reduce((s, n) => s.split(n).join(''), e.textContent.trim()))
				.filter(s => /\b(the|and|of|your|round|with)\b/i.test(s)))(`+string(names)+`)`)
		if len(english) > 0 {
			t.Errorf("%s: English left: %q", pg.name, english)
		}
		if v := eval[string](t, br, `document.getElementById('lang').value`); v != "es" {
			t.Errorf("%s: the switch shows %q", pg.name, v)
		}
		checkPage(t, br, s.URL)
		screenshot(t, br, pg.name+"-es")
	}
	// the switch: English, kept across pages
	do(t, br, "switching to English", chromedp.Evaluate[chromedp.Void](`(s => { s.value = 'en'; s.dispatchEvent(new Event('change')); })(document.getElementById('lang'))`))
	time.Sleep(time.Second) // the switch reloads the page
	open(t, br, s.URL+"/", "the start page after the switch", `document.documentElement.lang === 'en' && document.body.innerText.includes('Create a plan')`)
}
