package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"parecon/internal/hub"
	"parecon/internal/live"
)

// privacyScenario is one simulated bakery (the only producer of bread)
// and three human consumer councils.
const privacyScenario = `{"name":"p","goods":[{"id":"labor","kind":"labor"},{"id":"land","kind":"resource","endowment":1000},{"id":"bread","kind":"produced","price":2}],
"councils":[{"id":"bakery","type":"worker","output":"bread","scale":2,"inputs":{"labor":0.5,"land":0.3}},
{"id":"north","type":"consumer","members":10,"hours":40},{"id":"south","type":"consumer","members":10,"hours":40},{"id":"east","type":"consumer","members":10,"hours":40}]}`

// TestPrivacyOverTheWire: the case. Only north submits in round
// 0: the observer's round.closed and snapshot (websockets), GET
// /api/plans/{id} and /rounds show bread's totals and gap as null, name
// them withheld and say whether bread is within the tolerance, while the
// facilitator (on "all") gets the totals; a council sees its own
// proposal's proof and nobody else's.
func TestPrivacyOverTheWire(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{})
	p := ts.create(t, privacyScenario)
	obs := ts.dial(t, p.ID, p.ObserverToken)
	fac := ts.dial(t, p.ID, p.FacilitatorToken)
	north := ts.dial(t, p.ID, p.CouncilTokens["north"])
	for _, c := range []*wsConn{obs, fac, north} {
		c.until("snapshot", 5*time.Second)
	}
	north.send(map[string]any{"type": "proposal.submit", "ref": "n0", "round": 0, "proposal": map[string]any{"requests": map[string]float64{"bread": 3.7}}})
	north.until("proposal.accepted", 5*time.Second)
	if st := do(t, "POST", ts.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, nil); st != http.StatusOK {
		t.Fatalf("close: %d", st)
	}
	withheld := func(who string, m map[string]any) {
		t.Helper()
		supply, _ := m["supply"].(map[string]any)
		demand, _ := m["demand"].(map[string]any)
		gaps, _ := m["gaps"].(map[string]any)
		within, _ := m["withinTolerance"].(map[string]any)
		list, _ := m["withheld"].([]any)
		if supply["bread"] != nil || demand["bread"] != nil || gaps["bread"] != nil || within["bread"] == nil || len(list) == 0 {
			t.Errorf("%s shows bread: supply %v demand %v gap %v within %v withheld %v", who, supply["bread"], demand["bread"], gaps["bread"], within["bread"], list)
		}
		if _, ok := supply["bread"]; !ok {
			t.Errorf("%s leaves bread out instead of null", who)
		}
	}
	withheld("round.closed (observer)", obs.until("round.closed", 5*time.Second))
	withheld("round.closed (council)", north.until("round.closed", 5*time.Second))
	if f := fac.until("round.closed", 5*time.Second); f["supply"].(map[string]any)["bread"] == nil || len(f["withheld"].([]any)) != 0 {
		t.Errorf("the facilitator's round.closed withholds: %v", f)
	}
	var view map[string]any
	do(t, "GET", ts.URL+"/api/plans/"+p.ID, p.ObserverToken, nil, &view)
	withheld("GET /api/plans/{id}", view)
	var rounds struct {
		Rounds []map[string]any `json:"rounds"`
	}
	do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/rounds", p.ObserverToken, nil, &rounds)
	withheld("GET /rounds", rounds.Rounds[0])
	late := ts.dial(t, p.ID, p.ObserverToken)
	snap := late.until("snapshot", 5*time.Second)
	withheld("the snapshot's lastRound", snap["lastRound"].(map[string]any))

	var pf map[string]any
	if st := do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/rounds/0/proof", p.CouncilTokens["north"], nil, &pf); st != http.StatusOK || pf["root"] == "" {
		t.Errorf("north's proof: %d %v", st, pf)
	}
	root := pf["root"]
	if st := do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/rounds/0/proof?council=north", p.CouncilTokens["south"], nil, &pf); st != http.StatusNotFound {
		t.Errorf("south asking with north's name: %d %v", st, pf)
	}
	if st := do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/rounds/x/proof", p.CouncilTokens["north"], nil, &pf); st != http.StatusBadRequest {
		t.Errorf("a bad round: %d", st)
	}
	var roots []map[string]any
	if st := do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/roots", p.ObserverToken, nil, &roots); st != http.StatusOK || len(roots) != 1 || roots[0]["root"] != root {
		t.Errorf("roots: %d %v", st, roots)
	}
}
