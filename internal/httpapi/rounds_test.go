package httpapi_test

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parecon/internal/hub"
	"parecon/internal/live"
)

// TestDeadline: with --round-deadline a round closes by itself when it is
// due, the human councils that did not submit keep their proposals
// (carried, no stand-in for an API plan), the next round gets a deadline;
// the facilitator can lift it.
func TestDeadline(t *testing.T) {
	ts := newServer(t, live.Options{RoundDeadline: 400 * time.Millisecond}, hub.Options{})
	p := mixedPlan(t, ts)
	obs := ts.dial(t, p.ID, p.ObserverToken)
	snap, _ := obs.read(5 * time.Second)
	if snap["round"].(map[string]any)["deadline"] == nil {
		t.Fatalf("snapshot without a deadline: %v", snap["round"])
	}
	north := ts.dial(t, p.ID, p.CouncilTokens["north"])
	north.read(5 * time.Second)
	north.send(`{"type":"proposal.submit","ref":"a","round":0,"proposal":{"requests":{"bread":1}}}`)
	north.until("proposal.accepted", 5*time.Second)
	start := time.Now()
	closed := obs.until("round.closed", 5*time.Second)
	if closed.str("reason") != "the deadline passed" {
		t.Fatalf("round 0 closed: %v", closed)
	}
	opened := obs.until("round.opened", 5*time.Second)
	if opened["deadline"] == nil {
		t.Fatal("round 1 has no deadline")
	}
	// Lift the deadline: round 1 stays open.
	var out map[string]any
	if st := do(t, "PATCH", ts.URL+"/api/plans/"+p.ID+"/settings", p.FacilitatorToken, `{"roundDeadlineSeconds":0}`, &out); st != 200 || out["deadline"] != nil {
		t.Fatalf("settings: %d %v", st, out)
	}
	obs.until("settings.changed", 5*time.Second)
	obs.c.SetReadDeadline(time.Now().Add(time.Second))
	for {
		_, b, err := obs.c.ReadMessage()
		if err != nil {
			break // timed out: nothing closed
		}
		if strings.Contains(string(b), "round.closed") {
			t.Fatalf("round closed after the deadline was lifted: %s (%v after round 0)", b, time.Since(start))
		}
	}
	var rounds struct {
		Rounds []struct{ Carried, Submitted []string }
	}
	do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/rounds", p.ObserverToken, nil, &rounds)
	if len(rounds.Rounds) != 1 || strings.Join(rounds.Rounds[0].Submitted, ",") != "bakery,brewery,north,south" {
		t.Fatalf("rounds %+v", rounds.Rounds)
	}
	var props struct{ Proposals []struct{ Source string } }
	do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/proposals", p.FacilitatorToken, nil, &props)
	for _, pr := range props.Proposals {
		if pr.Source == "standin" {
			t.Fatal("a stand-in in a plan created through the API")
		}
	}
}

// TestRestartReplaysTheRule: a plan whose server restarts between rounds
// publishes exactly the prices of a twin plan that never restarted, since
// the rule (stateful, deterministic) is replayed from the stored rounds;
// the exports agree with each other.
func TestRestartReplaysTheRule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	a := newServerDB(t, path, live.Options{}, hub.Options{})
	twin := newServer(t, live.Options{}, hub.Options{})
	pa, pt := mixedPlan(t, a), mixedPlan(t, twin)
	play := func(ts *testServer, p created, round int) {
		t.Helper()
		north := ts.dial(t, p.ID, p.CouncilTokens["north"])
		north.read(5 * time.Second)
		north.send(fmt.Sprintf(`{"type":"proposal.submit","ref":"n%d","round":%d,"proposal":{"requests":{"bread":%d}}}`, round, round, 3+round))
		north.until("proposal.accepted", 5*time.Second)
		north.c.Close()
		if st := do(t, "POST", ts.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, nil); st != http.StatusOK {
			t.Fatalf("close: %d", st)
		}
	}
	for r := 0; r < 3; r++ {
		play(a, pa, r)
		play(twin, pt, r)
		if r == 1 {
			a.close()
			a = newServerDB(t, path, live.Options{}, hub.Options{})
		}
	}
	var va, vt struct {
		Round  int
		Prices map[string]float64
	}
	do(t, "GET", a.URL+"/api/plans/"+pa.ID, pa.ObserverToken, nil, &va)
	do(t, "GET", twin.URL+"/api/plans/"+pt.ID, pt.ObserverToken, nil, &vt)
	if va.Round != 3 || vt.Round != 3 {
		t.Fatalf("rounds %d and %d, want 3", va.Round, vt.Round)
	}
	for g, x := range vt.Prices {
		if va.Prices[g] != x {
			t.Errorf("%s: %v after a restart, %v without", g, va.Prices[g], x)
		}
	}
	var ra, rt map[string]json.RawMessage
	do(t, "GET", a.URL+"/api/plans/"+pa.ID+"/rounds", pa.ObserverToken, nil, &ra)
	do(t, "GET", twin.URL+"/api/plans/"+pt.ID+"/rounds", pt.ObserverToken, nil, &rt)
	if string(ra["rounds"]) != string(rt["rounds"]) {
		t.Fatalf("rounds differ:\n%s\n%s", ra["rounds"], rt["rounds"])
	}
	// The CSV export has one row per round and good.
	req, _ := http.NewRequest("GET", a.URL+"/api/plans/"+pa.ID+"/rounds.csv", nil)
	req.Header.Set("Authorization", "Bearer "+pa.ObserverToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+3*5 || strings.Join(rows[0], ",") != "round,good,price,supply,demand,gap,max_gap,withheld,within_tolerance,standins" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d rows, header %v", len(rows), rows[0])
	}
}

// TestRestartKeepsPublishedPrices: the prices a plan published are what it
// reopens with, even when the rule would now compute others (here the
// stored prices of the open round are changed behind the server's back,
// as a new version of the rule would see them).
func TestRestartKeepsPublishedPrices(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	a := newServerDB(t, path, live.Options{}, hub.Options{})
	p := mixedPlan(t, a)
	for i := 0; i < 2; i++ {
		if st := do(t, "POST", a.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, nil); st != http.StatusOK {
			t.Fatalf("close: %d", st)
		}
	}
	a.close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	published := []float64{1, 1.25, 0.75, 2.5, 1.5}
	pj, _ := json.Marshal(published)
	if _, err := db.Exec(`UPDATE rounds SET prices = ? WHERE plan_id = ? AND number = 2`, pj, p.ID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b := newServerDB(t, path, live.Options{}, hub.Options{})
	var v struct {
		Round  int
		Prices map[string]float64
	}
	do(t, "GET", b.URL+"/api/plans/"+p.ID, p.ObserverToken, nil, &v)
	for j, g := range []string{"labor", "land", "co2", "bread", "beer"} {
		if v.Round != 2 || v.Prices[g] != published[j] {
			t.Fatalf("round %d prices %v, want the published %v", v.Round, v.Prices, published)
		}
	}
}
