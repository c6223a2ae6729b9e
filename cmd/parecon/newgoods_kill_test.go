package main

import (
	"encoding/json"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// TestNewGoodSurvivesSIGKILL: a worker council's new good, acknowledged
// with good.accepted, survives the server being killed with SIGKILL right
// after: the restarted server (the same database) opens the next round
// with it in the catalogue at its opening price, and a second good.propose
// with the same ref gets the same good.accepted, not a second good.
func TestNewGoodSurvivesSIGKILL(t *testing.T) {
	db := t.TempDir() + "/ng.db"
	s := startServer(t, db)
	scen := []byte(`{"name":"ng","numeraire":"labor","goods":[{"id":"labor","kind":"labor"},{"id":"land","kind":"resource","endowment":500},{"id":"bread","kind":"produced","price":2}],
"councils":[{"id":"bakery","type":"worker","output":"bread","scale":3,"inputs":{"labor":0.5,"land":0.2}},{"id":"mill","type":"worker"},
{"id":"north","type":"consumer","members":100,"hours":40,"weights":{"bread":0.8,"land":0.2}}]}`)
	var p created
	if st := httpJSON(t, "POST", s.base+"/api/plans", "", scen, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	frame := map[string]any{"type": "good.propose", "ref": "g1", "good": map[string]any{"id": "cake", "name": "Cake"},
		"proposal": map[string]any{"outputs": map[string]any{"cake": 10}, "inputs": map[string]any{"labor": 5}}}
	accepted := func(base string) map[string]any {
		t.Helper()
		conn, err := dialWS(base, p.ID, p.CouncilTokens["mill"])
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if err := conn.WriteJSON(frame); err != nil {
			t.Fatal(err)
		}
		for {
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			var m map[string]any
			if err := conn.ReadJSON(&m); err != nil {
				t.Fatal(err)
			}
			if m["type"] == "good.accepted" || m["type"] == "good.rejected" || m["type"] == "error" {
				return m
			}
		}
	}
	first := accepted(s.base)
	if first["type"] != "good.accepted" {
		t.Fatalf("good.propose answered %v", first)
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()

	s2 := startServer(t, db)
	again := accepted(s2.base)
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Errorf("the same ref after a restart: %s, first %s", b, a)
	}
	if st := httpJSON(t, "POST", s2.base+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, nil); st != http.StatusOK {
		t.Fatalf("close: %d", st)
	}
	var v struct {
		Round  int
		Prices map[string]float64
		Goods  []struct{ ID, ProposedBy string }
	}
	if st := httpJSON(t, "GET", s2.base+"/api/plans/"+p.ID, p.FacilitatorToken, nil, &v); st != http.StatusOK {
		t.Fatalf("get: %d", st)
	}
	if v.Round != 1 || v.Prices["cake"] != 0.5 {
		t.Fatalf("after the restart: round %d, prices %v; want round 1 with cake at 0.5", v.Round, v.Prices)
	}
	n := 0
	for _, g := range v.Goods {
		if g.ID == "cake" {
			n++
			if g.ProposedBy != "mill" {
				t.Errorf("cake proposed by %q", g.ProposedBy)
			}
		}
	}
	if n != 1 {
		t.Errorf("cake is %d times in the catalogue", n)
	}
}
