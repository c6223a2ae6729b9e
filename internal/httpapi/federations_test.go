package httpapi_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"parecon/internal/hub"
	"parecon/internal/live"
)

// federationView is what the test reads of a FederationView.
type federationView struct {
	ID, Name, Parent string
	Members          []string
	Folded           bool
	Councils         *int
	Submitted        *int
	Budget           *float64
	Supply, Demand   map[string]*float64
	Collective       map[string]float64
	Withheld         []string
}

type federationsBody struct {
	Round       *int
	K           int
	Federations []federationView
}

// TestHumanFederation plays federation-city with the east ward human: it
// gets a federation token, sees its budget, has an over-budget request
// refused naming the good and a fair one accepted, which closes the
// round; then the roll-ups show its collective request, the facilitator
// everything, an observer the folded and withheld view, the federation
// its own subtree only.
func TestHumanFederation(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{})
	b, err := os.ReadFile("testdata/federated.json")
	if err != nil {
		t.Fatal(err)
	}
	p := ts.create(t, json.RawMessage(b))
	tok := p.FederationTokens["ward-east"]
	if tok == "" || len(p.FederationTokens) != 1 || len(p.CouncilTokens) != 0 {
		t.Fatalf("tokens: federations %v, councils %v", p.FederationTokens, p.CouncilTokens)
	}
	base := ts.URL + "/api/plans/" + p.ID
	// The plan lists the federations with a levy after its councils.
	var pv struct {
		Councils []struct {
			ID, Type string
			Human    bool
		}
	}
	do(t, "GET", base, p.ObserverToken, nil, &pv)
	if n := len(pv.Councils); n != 10 || pv.Councils[7].ID != "city" || pv.Councils[8].Type != "federation" || !pv.Councils[8].Human || pv.Councils[9].Human {
		t.Errorf("the plan's councils: %+v", pv.Councils)
	}
	var before federationsBody
	if st := do(t, "GET", base+"/federations", p.ObserverToken, nil, &before); st != http.StatusOK || before.Round != nil || len(before.Federations) != 4 || before.Federations[0].Budget != nil {
		t.Fatalf("before any close: %d %+v", st, before)
	}

	ws := ts.dial(t, p.ID, tok)
	snap := ws.until("snapshot", 5*time.Second)
	round := snap["round"].(map[string]any)
	budget, _ := round["budget"].(float64)
	council, _ := snap["plan"].(map[string]any)["council"].(map[string]any)
	if snap.str("role") != "federation" || budget <= 0 || council["type"] != "federation" || council["name"] != "East Ward" {
		t.Fatalf("snapshot: role %s, budget %v, council %v", snap.str("role"), round["budget"], council)
	}
	price := round["prices"].(map[string]any)["parks"].(float64)
	ws.send(map[string]any{"type": "proposal.submit", "ref": "big", "round": 0, "proposal": map[string]any{"requests": map[string]float64{"parks": 2 * budget / price}}})
	if m := ws.until("proposal.rejected", 5*time.Second); m.str("field") != "requests" && !strings.HasPrefix(m.str("field"), "requests") {
		t.Errorf("over budget: %v", m)
	}
	want := 0.9 * budget / price
	ws.send(map[string]any{"type": "proposal.submit", "ref": "fair", "round": 0, "proposal": map[string]any{"requests": map[string]float64{"parks": want}}})
	ws.until("proposal.accepted", 5*time.Second)
	ws.until("round.closed", 5*time.Second)
	if m := ws.until("round.opened", 5*time.Second); m.num("budget") <= 0 {
		t.Errorf("round.opened to the federation has no budget: %v", m)
	}

	var fac, obs, own federationsBody
	do(t, "GET", base+"/federations", p.FacilitatorToken, nil, &fac)
	do(t, "GET", base+"/federations", p.ObserverToken, nil, &obs)
	do(t, "GET", base+"/federations", tok, nil, &own)
	if fac.Round == nil || *fac.Round != 0 || len(fac.Federations) != 4 {
		t.Fatalf("facilitator: %+v", fac)
	}
	east := fac.Federations[1]
	if east.ID != "ward-east" || math.Abs(east.Collective["parks"]-want) > 1e-9*want || east.Budget == nil || math.Abs(*east.Budget-budget) > 1e-9*budget {
		t.Errorf("east for the facilitator: %+v (submitted %v of budget %v)", east, want, budget)
	}
	if east.Supply["food"] == nil || *east.Councils != 3 || *east.Submitted != 3 || fac.Federations[3].Folded {
		t.Errorf("the facilitator sees everything: %+v / %+v", east, fac.Federations[3])
	}
	// k, as the pages say it: the plan's (3) for the observer and the
	// federation, 1 for a facilitator who sees everything.
	if fac.K != 1 || obs.K != 3 || own.K != 3 {
		t.Errorf("k: facilitator %d, observer %d, federation %d; want 1, 3, 3", fac.K, obs.K, own.K)
	}
	if u := obs.Federations[3]; !u.Folded || u.Budget != nil || u.Supply != nil || !slices.Equal(u.Members, []string{"transit-coop"}) {
		t.Errorf("observer: utilities (one council) not folded: %+v", u)
	}
	if oe := obs.Federations[1]; oe.Supply["food"] != nil || !slices.Contains(oe.Withheld, "food.supply") || oe.Collective["parks"] != east.Collective["parks"] {
		t.Errorf("observer: east's one farm's food is shown: %+v", oe)
	}
	// The shapes: a folded federation has its place in the tree only,
	// another every field (withheld [] when nothing is).
	var shapes struct{ Federations []map[string]json.RawMessage }
	do(t, "GET", base+"/federations", p.FacilitatorToken, nil, &shapes)
	if f := shapes.Federations[0]; len(f) != 15 || string(f["withheld"]) != "[]" {
		t.Errorf("the facilitator's city (a root: no parent) has %d fields, withheld %s", len(f), f["withheld"])
	}
	var obsShapes struct{ Federations []map[string]json.RawMessage }
	do(t, "GET", base+"/federations", p.ObserverToken, nil, &obsShapes)
	if f := obsShapes.Federations[3]; len(f) != 5 || string(f["folded"]) != "true" {
		t.Errorf("the observer's folded utilities: %v", f)
	}
	if len(own.Federations) != 1 || own.Federations[0].ID != "ward-east" || own.Federations[0].Supply["food"] != nil {
		t.Errorf("the federation sees %+v, want its own subtree under the privacy rules", own.Federations)
	}

	// The CSV: a row per federation and good, the folded one alone, the
	// withheld cell empty.
	req, _ := http.NewRequest("GET", base+"/federations.csv", nil)
	req.Header.Set("Authorization", "Bearer "+p.ObserverToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var csv strings.Builder
	buf := make([]byte, 1<<16)
	for {
		n, err := resp.Body.Read(buf)
		csv.Write(buf[:n])
		if err != nil {
			break
		}
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if lines[0] != "round,federation,parent,folded,good,supply,demand,collective,gap" ||
		!slices.Contains(lines, "0,utilities,city,true,,,,,") || !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "0,ward-east,city,false,food,,") }) {
		t.Errorf("CSV:\n%s", csv.String())
	}

	// Who may: a federation token reads its own proposals, closes nothing;
	// a round not closed is 404, a bad one 400.
	if st := do(t, "POST", base+"/rounds/close", tok, nil, nil); st != http.StatusForbidden {
		t.Errorf("a federation closed a round: %d", st)
	}
	var props struct {
		Proposals []struct{ CouncilID, Status, Field string }
	}
	if st := do(t, "GET", base+"/proposals?round=0", tok, nil, &props); st != http.StatusOK || len(props.Proposals) != 2 ||
		props.Proposals[0].CouncilID != "ward-east" || props.Proposals[1].CouncilID != "ward-east" {
		t.Errorf("federation's proposals: %d %+v", st, props)
	}
	if st := do(t, "GET", base+"/federations?round=7", p.ObserverToken, nil, nil); st != http.StatusNotFound {
		t.Errorf("round 7: %d", st)
	}
	if st := do(t, "GET", base+"/federations?round=x", p.ObserverToken, nil, nil); st != http.StatusBadRequest {
		t.Errorf("round x: %d", st)
	}
}

// TestFederationRestart: a plan with a human federation played two rounds,
// restarted, and played a third gives the same roll-ups, for every
// round, as the same plan never restarted.
func TestFederationRestart(t *testing.T) {
	b, err := os.ReadFile("testdata/federated.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.db")
	a := newServerDB(t, path, live.Options{}, hub.Options{})
	twin := newServer(t, live.Options{}, hub.Options{})
	pa, pt := a.create(t, json.RawMessage(b)), twin.create(t, json.RawMessage(b))
	play := func(ts *testServer, p created, round int) {
		t.Helper()
		ws := ts.dial(t, p.ID, p.FederationTokens["ward-east"])
		ws.until("snapshot", 5*time.Second)
		ws.send(fmt.Sprintf(`{"type":"proposal.submit","ref":"e%d","round":%d,"proposal":{"requests":{"parks":%d}}}`, round, round, 1+round))
		ws.until("proposal.accepted", 5*time.Second)
		ws.until("round.closed", 5*time.Second)
		ws.c.Close()
	}
	for r := 0; r < 3; r++ {
		play(a, pa, r)
		play(twin, pt, r)
		if r == 1 {
			a.close()
			a = newServerDB(t, path, live.Options{}, hub.Options{})
		}
	}
	for r := 0; r < 3; r++ {
		for _, who := range []string{"facilitator", "observer"} {
			ta, tt := pa.FacilitatorToken, pt.FacilitatorToken
			if who == "observer" {
				ta, tt = pa.ObserverToken, pt.ObserverToken
			}
			var ra, rt json.RawMessage
			q := fmt.Sprintf("/federations?round=%d", r)
			do(t, "GET", a.URL+"/api/plans/"+pa.ID+q, ta, nil, &ra)
			do(t, "GET", twin.URL+"/api/plans/"+pt.ID+q, tt, nil, &rt)
			if string(ra) != string(rt) || !strings.Contains(string(ra), fmt.Sprintf(`"parks":%d`, 1+r)) {
				t.Errorf("round %d for the %s: after a restart\n%s\nwithout\n%s", r, who, ra, rt)
			}
		}
	}
}

// TestFederationRollUpsFollowPrivacy: the roll-ups fold a federation of
// fewer councils than the plan's own k (facilitation.privacy), and a
// facilitator on "aggregates" sees them as an observer does.
func TestFederationRollUpsFollowPrivacy(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{})
	b, err := os.ReadFile("testdata/federated.json")
	if err != nil {
		t.Fatal(err)
	}
	var sc map[string]any
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatal(err)
	}
	fac, _ := sc["facilitation"].(map[string]any)
	if fac == nil {
		fac = map[string]any{}
		sc["facilitation"] = fac
	}
	fac["privacy"] = map[string]any{"k": 4, "facilitator": "aggregates"}
	p := ts.create(t, sc)
	base := ts.URL + "/api/plans/" + p.ID
	ws := ts.dial(t, p.ID, p.FederationTokens["ward-east"])
	round := ws.until("snapshot", 5*time.Second)["round"].(map[string]any)
	price := round["prices"].(map[string]any)["parks"].(float64)
	ws.send(map[string]any{"type": "proposal.submit", "ref": "fair", "round": 0, "proposal": map[string]any{"requests": map[string]float64{"parks": 0.9 * round["budget"].(float64) / price}}})
	ws.until("proposal.accepted", 5*time.Second)
	ws.until("round.closed", 5*time.Second)
	for who, tok := range map[string]string{"observer": p.ObserverToken, "facilitator on aggregates": p.FacilitatorToken} {
		var got federationsBody
		do(t, "GET", base+"/federations", tok, nil, &got)
		if len(got.Federations) != 4 {
			t.Fatalf("%s: %+v", who, got)
		}
		// ward-east has 3 councils: shown at k 3, folded at k 4.
		if east := got.Federations[1]; east.ID != "ward-east" || !east.Folded || east.Supply != nil {
			t.Errorf("%s: ward-east (3 councils) at k 4: %+v, want it folded", who, east)
		}
	}
}
