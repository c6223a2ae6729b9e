package httpapi_test

import (
	"encoding/csv"
	"net/http"
	"slices"
	"testing"
	"time"

	"parecon/internal/hub"
	"parecon/internal/live"
)

// TestStandInsMarked lets two human councils of the town miss round 0's
// deadline: their models stand in, and everything that shows the round
// says so — the round.closed frame, GET .../rounds, the audit event, the
// council's own proposals (source standin) and its snapshot's standing
// proposal (standin: true, so the page does not start the form from it);
// after a restart of the server too (the replay keeps the marks).
func TestStandInsMarked(t *testing.T) {
	path := t.TempDir() + "/p.db"
	ts := newServerDB(t, path, live.Options{RoundDeadline: 300 * time.Millisecond}, hub.Options{})
	humans := []string{"old-town", "hillside-farm"}
	c := ts.create(t, map[string]any{"example": "millbrook", "humans": humans})
	obs := ts.dial(t, c.ID, c.ObserverToken)
	closed := obs.until("round.closed", 10*time.Second)
	var got []string
	for _, x := range closed["standins"].([]any) {
		got = append(got, x.(string))
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"hillside-farm", "old-town"}) {
		t.Fatalf("round.closed standins %v", closed["standins"])
	}
	check := func(t *testing.T, ts *testServer) {
		var rounds struct {
			Rounds []struct {
				Round     int
				Submitted []string
				StandIns  []string `json:"standins"`
			}
		}
		do(t, "GET", ts.URL+"/api/plans/"+c.ID+"/rounds", c.ObserverToken, nil, &rounds)
		if len(rounds.Rounds) == 0 || len(rounds.Rounds[0].StandIns) != 2 {
			t.Fatalf("rounds %+v", rounds.Rounds)
		}
		for _, id := range rounds.Rounds[0].StandIns {
			if !slices.Contains(rounds.Rounds[0].Submitted, id) {
				t.Errorf("stand-in %s not among submitted %v", id, rounds.Rounds[0].Submitted)
			}
		}
		var props struct {
			Proposals []struct {
				Round  int
				Source string
			}
		}
		do(t, "GET", ts.URL+"/api/plans/"+c.ID+"/proposals?round=0", c.CouncilTokens["old-town"], nil, &props)
		if len(props.Proposals) == 0 || props.Proposals[0].Source != "standin" {
			t.Errorf("old-town's round-0 proposals %+v, want a stand-in's", props.Proposals)
		}
		ws := ts.dial(t, c.ID, c.CouncilTokens["old-town"])
		snap, raw := ws.read(5 * time.Second)
		own, _ := snap["round"].(map[string]any)["own"].(map[string]any)
		if own == nil || own["standin"] != true {
			t.Errorf("old-town's snapshot: own is not marked as the stand-in's: %s", raw)
		}
	}
	check(t, ts)
	req, _ := http.NewRequest("GET", ts.URL+"/api/plans/"+c.ID+"/rounds.csv", nil)
	req.Header.Set("Authorization", "Bearer "+c.ObserverToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || len(rows) < 2 || rows[0][len(rows[0])-1] != "standins" || rows[1][0] != "0" || rows[1][len(rows[1])-1] != "hillside-farm;old-town" && rows[1][len(rows[1])-1] != "old-town;hillside-farm" {
		t.Errorf("rounds.csv does not mark round 0's stand-ins: %v %v", err, rows[:min(2, len(rows))])
	}
	var audit struct {
		Events []struct {
			Type   string
			Detail map[string]any
		}
	}
	do(t, "GET", ts.URL+"/api/plans/"+c.ID+"/audit", c.FacilitatorToken, nil, &audit)
	n := 0
	for _, e := range audit.Events {
		if e.Type == "proposal.standin" {
			n++
		}
		if e.Type == "round.closed" && n > 0 {
			if s, _ := e.Detail["standins"].([]any); len(s) == 0 {
				t.Errorf("round.closed audit detail without stand-ins: %v", e.Detail)
			}
			break
		}
	}
	if n != 2 {
		t.Errorf("%d proposal.standin events before the first close, want 2", n)
	}
	ts.close()
	ts2 := newServerDB(t, path, live.Options{}, hub.Options{})
	check(t, ts2)
}
