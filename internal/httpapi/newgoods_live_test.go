package httpapi_test

import (
	"encoding/json"
	"testing"
	"time"

	"parecon/internal/hub"
	"parecon/internal/live"
)

// TestNewGoodsWebsocket: over the websocket, a human worker council's
// good.propose is answered good.accepted (its opening price the unit
// cost), a bad one good.rejected naming the field; the next round.opened
// carries the new good with its proposer and its price, and a consumer
// council may request it there.
func TestNewGoodsWebsocket(t *testing.T) {
	src := `{"name":"ng","numeraire":"labor","goods":[{"id":"labor","kind":"labor"},{"id":"land","kind":"resource","endowment":500},{"id":"bread","kind":"produced","price":2}],
"councils":[{"id":"bakery","type":"worker","output":"bread","scale":3,"inputs":{"labor":0.5,"land":0.2}},{"id":"mill","type":"worker"},
{"id":"north","type":"consumer","members":100,"hours":40,"weights":{"bread":0.8,"land":0.2}},{"id":"east","type":"consumer","members":50,"hours":40}]}`
	ts := newServer(t, live.Options{}, hub.Options{Rate: 1e4, Burst: 1e4})
	plan := ts.create(t, json.RawMessage(src))
	mill := ts.dial(t, plan.ID, plan.CouncilTokens["mill"])
	mill.read(5 * time.Second)
	east := ts.dial(t, plan.ID, plan.CouncilTokens["east"])
	east.read(5 * time.Second)
	mill.send(map[string]any{"type": "good.propose", "ref": "bad", "good": map[string]any{"id": "cake"},
		"proposal": map[string]any{"outputs": map[string]any{"bread": 1}, "inputs": map[string]any{"labor": 1}}})
	if m := mill.until("good.rejected", 5*time.Second); m.str("field") != "proposal.outputs" || m.str("ref") != "bad" {
		t.Errorf("a proposal that does not make cake: %v", m)
	}
	mill.send(map[string]any{"type": "good.propose", "ref": "g", "good": map[string]any{"id": "cake", "name": "Cake", "rival": true},
		"proposal": map[string]any{"outputs": map[string]any{"cake": 10}, "inputs": map[string]any{"labor": 5}}})
	acc := mill.until("good.accepted", 5*time.Second)
	g, _ := acc["good"].(map[string]any)
	if acc.str("ref") != "g" || acc["opensAt"] != 1.0 || g["price"] != 0.5 || g["proposedBy"] != "mill" || g["name"] != "Cake" || g["unit"] != "unit" {
		t.Errorf("good.accepted %v", acc)
	}
	east.send(map[string]any{"type": "good.propose", "ref": "e", "good": map[string]any{"id": "jam"}, "proposal": map[string]any{}})
	if m := east.until("error", 5*time.Second); m.str("code") != "forbidden" {
		t.Errorf("a consumer council's good.propose: %v", m)
	}
	fac := ts.dial(t, plan.ID, plan.FacilitatorToken)
	fac.read(5 * time.Second)
	fac.send(map[string]any{"type": "round.close", "ref": "c", "round": 0})
	opened := east.until("round.opened", 5*time.Second)
	ngs, _ := opened["newGoods"].([]any)
	if len(ngs) != 1 || ngs[0].(map[string]any)["id"] != "cake" || ngs[0].(map[string]any)["proposedBy"] != "mill" {
		t.Fatalf("round.opened's newGoods %v", opened["newGoods"])
	}
	if p := opened["prices"].(map[string]any)["cake"]; p != 0.5 {
		t.Errorf("cake opens at %v, want 0.5", p)
	}
	budget := opened.num("budget")
	east.send(map[string]any{"type": "proposal.submit", "ref": "r", "round": 1, "proposal": map[string]any{"requests": map[string]any{"cake": budget / 2}}})
	if m := east.until("proposal.accepted", 5*time.Second); m.str("ref") != "r" {
		t.Errorf("east's request for cake: %v", m)
	}
}
