package httpapi_test

import (
	"encoding/json"
	"fmt"
	"parecon/internal/wire"
	"strings"
	"testing"
	"time"

	"parecon/internal/examples"
	"parecon/internal/hub"
	"parecon/internal/live"
)

// TestCommonsLive plays commons-small with one human consumer council
// over the websocket: the snapshot and round.opened carry the levy, the
// fund and K; the council's vote counts in the next round's levy; a
// request for a commons good is refused naming it; its uses come back as
// the round's users.
func TestCommonsLive(t *testing.T) {
	src, err := examples.Scenario("commons-small")
	if err != nil {
		t.Fatal(err)
	}
	// east becomes human: no weights, elasticity or scenario vote.
	s := strings.Replace(string(src), `"weights": {"bread": 0.7, "land": 0.3}, "commons_share": 0.1`, `"labor": "labor"`, 1)
	if s == string(src) {
		t.Fatal("commons-small changed: east not found")
	}
	ts := newServer(t, live.Options{}, hub.Options{Rate: 1e4, Burst: 1e4})
	plan := ts.create(t, json.RawMessage(s))
	east := ts.dial(t, plan.ID, plan.CouncilTokens["east"])
	snap, raw := east.read(5 * time.Second)
	if snap.str("type") != "snapshot" {
		t.Fatalf("first frame %s", raw)
	}
	round := snap["round"].(map[string]any)
	// Round 0: north (4000 of income) votes 0.04, south (2310) 0.06; east
	// abstains: north's weight passes 1/2.
	if round["levy"] != 0.04 {
		t.Errorf("snapshot levy %v, want 0.04: %s", round["levy"], raw)
	}
	if k := round["commons"].(map[string]any)["design"]; k != 10.0 {
		t.Errorf("snapshot K of design %v, want the stock 10", k)
	}
	var design map[string]any
	for _, g := range snap["plan"].(map[string]any)["goods"].([]any) {
		if g := g.(map[string]any); g["id"] == "design" {
			design = g
		}
	}
	if design["rival"] != false || design["stock"] != 10.0 {
		t.Errorf("design in the catalogue: %v, want rival false and stock 10", design)
	}
	budget := round["budget"].(float64)
	east.send(map[string]any{"type": "proposal.submit", "ref": "a", "round": 0, "proposal": map[string]any{"requests": map[string]any{"design": 1}}})
	if m := east.until("proposal.rejected", 5*time.Second); m.str("field") != "requests.design" {
		t.Errorf("a request for design rejected at %q, want requests.design", m.str("field"))
	}
	east.send(map[string]any{"type": "proposal.submit", "ref": "b", "round": 0, "proposal": map[string]any{
		"requests": map[string]any{"bread": budget / 2 / 2, "land": budget / 2 / 1},
		"commons":  map[string]any{"share": 0.1, "weights": map[string]any{"design": 1}},
		"uses":     map[string]any{"design": 30}}})
	east.until("proposal.accepted", 5*time.Second)
	fac := ts.dial(t, plan.ID, plan.FacilitatorToken)
	fac.read(5 * time.Second)
	fac.send(map[string]any{"type": "round.close", "ref": "c", "round": 0})
	// Only east declares uses: the public view (east's own round.closed)
	// withholds them; the facilitator, who sees all, gets them.
	closed := east.until("round.closed", 5*time.Second)
	pub, _ := closed["users"].(map[string]any)
	if u, ok := pub["design"]; ok || !strings.Contains(fmt.Sprint(closed["withheld"]), "design.users") {
		t.Errorf("round 0's public users of design %v (withheld %v), want them withheld: one council declares them", u, closed["withheld"])
	}
	// east, the only human council, closed round 0 by submitting: the
	// facilitator reads the full row.
	var rows wire.Rounds
	do(t, "GET", ts.URL+"/api/plans/"+plan.ID+"/rounds", plan.FacilitatorToken, nil, &rows)
	if len(rows.Rounds) == 0 || rows.Rounds[0].Users["design"] != 30 {
		t.Errorf("round 0's users of design for the facilitator: %+v, want east's 30", rows.Rounds)
	}
	opened := east.until("round.opened", 5*time.Second)
	// Round 1: east's 0.1 (3040) joins; sorted north 0.04 (4000/9350),
	// south 0.06 (cumulative 6310/9350 ≥ 1/2): the levy is 0.06.
	if opened["levy"] != 0.06 {
		t.Errorf("round 1's levy %v, want 0.06", opened["levy"])
	}
	if f, b := opened.num("fund"), opened.num("budget"); !(f > 0 && b > 0) {
		t.Errorf("round 1's fund %v and budget %v", f, b)
	}
	if k := opened["commons"].(map[string]any)["design"].(float64); !(k > 10) {
		t.Errorf("round 1's K of design %v, want the stock and round 0's output", k)
	}
}

// TestCommonsReplay restarts the server on a commons plan whose human
// council voted: the replayed plan publishes the same levy, fund and K.
func TestCommonsReplay(t *testing.T) {
	src, err := examples.Scenario("commons-small")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), `"weights": {"bread": 0.7, "land": 0.3}, "commons_share": 0.1`, `"labor": "labor"`, 1)
	ts := newServer(t, live.Options{}, hub.Options{Rate: 1e4, Burst: 1e4})
	plan := ts.create(t, json.RawMessage(s))
	east := ts.dial(t, plan.ID, plan.CouncilTokens["east"])
	snap, _ := east.read(5 * time.Second)
	budget := snap["round"].(map[string]any)["budget"].(float64)
	east.send(map[string]any{"type": "proposal.submit", "ref": "b", "round": 0, "proposal": map[string]any{
		"requests": map[string]any{"bread": budget / 4}, "commons": map[string]any{"share": 0.2}}})
	east.until("proposal.accepted", 5*time.Second)
	before := east.until("round.opened", 5*time.Second)
	path := ts.dbPath(t)
	ts.close()
	ts2 := newServerDB(t, path, live.Options{}, hub.Options{Rate: 1e4, Burst: 1e4})
	again := ts2.dial(t, plan.ID, plan.CouncilTokens["east"])
	snap2, raw := again.read(5 * time.Second)
	r := snap2["round"].(map[string]any)
	if r["number"] != before["round"] || r["levy"] != before["levy"] || r["fund"] != before["fund"] {
		t.Errorf("after a restart the round is %s; before it, round.opened was %v", raw, before)
	}
	if a, b := r["commons"].(map[string]any)["design"], before["commons"].(map[string]any)["design"]; a != b {
		t.Errorf("K of design %v after the restart, %v before", a, b)
	}
}
