package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// frames collects the round.closed and round.opened frames a socket gets,
// by type and round.
type frames struct {
	mu sync.Mutex
	by map[string][]byte
}

func collect(t *testing.T, base, plan, token string) *frames {
	t.Helper()
	conn, err := dialWS(base, plan, token)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &frames{by: map[string][]byte{}}
	go func() {
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var m struct {
				Type  string
				Round int
			}
			if json.Unmarshal(b, &m) == nil && (m.Type == "round.closed" || m.Type == "round.opened") {
				f.mu.Lock()
				f.by[m.Type+" "+strconv.Itoa(m.Round)] = b
				f.mu.Unlock()
			}
		}
	}()
	return f
}

func (f *frames) get(key string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.by[key]
}

// TestClusterFollowersAgree: a plan with commons and federations, people
// playing a council, a worker and a federation, a privacy setting and a
// round deadline both set through a follower, rounds closed by the leader
// at their deadlines with the models standing in. Every server then
// answers the same rounds (public and full), roll-ups, chain of roots and
// proofs: a follower rebuilds the public rows, the stand-ins, the commons
// fields and the commitments the leader made, under the setting it was
// told.
func TestClusterFollowersAgree(t *testing.T) {
	ss, db := clusterOf(t, 2)
	var p created
	body := []byte(`{"example":"economy-40-commons","humans":["c000","w-g000-0","nb-1-2"]}`)
	if st := httpJSON(t, "POST", ss[0].base+"/api/plans", "", body, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	leader := waitLeader(t, db, p.ID, 0, 5*time.Second)
	follower := ss[0]
	if follower.cmd.Process.Pid == leader {
		follower = ss[1]
	}
	// An observer, the facilitator and a person's council on each server.
	var socks [2][3]*frames
	for i, s := range ss {
		for j, tok := range []string{p.ObserverToken, p.FacilitatorToken, p.CouncilTokens["c000"]} {
			socks[i][j] = collect(t, s.base, p.ID, tok)
		}
	}
	// Through the follower: k 2 (the scenario's is 3), then a deadline.
	if st := httpJSON(t, "PATCH", follower.base+"/api/plans/"+p.ID+"/settings", p.FacilitatorToken, []byte(`{"roundDeadlineSeconds":0,"privacy":{"k":2}}`), nil); st != http.StatusOK {
		t.Fatalf("privacy through a follower: %d", st)
	}
	if st := httpJSON(t, "PATCH", follower.base+"/api/plans/"+p.ID+"/settings", p.FacilitatorToken, []byte(`{"roundDeadlineSeconds":1}`), nil); st != http.StatusOK {
		t.Fatalf("deadline through a follower: %d", st)
	}
	round := func(s *server) int {
		var plan struct{ Round int }
		httpJSON(t, "GET", s.base+"/api/plans/"+p.ID, p.ObserverToken, nil, &plan)
		return plan.Round
	}
	for end := time.Now().Add(20 * time.Second); round(ss[0]) < 3 || round(ss[1]) < 3; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("rounds %d and %d 20 s after a 1 s deadline, want 3 or more", round(ss[0]), round(ss[1]))
		}
	}
	if st := httpJSON(t, "PATCH", follower.base+"/api/plans/"+p.ID+"/settings", p.FacilitatorToken, []byte(`{"roundDeadlineSeconds":0}`), nil); st != http.StatusOK {
		t.Fatalf("no deadline: %d", st)
	}
	// Once both servers stand at the same round, they answer alike.
	for end := time.Now().Add(10 * time.Second); round(ss[0]) != round(ss[1]); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the servers stay at rounds %d and %d", round(ss[0]), round(ss[1]))
		}
	}
	get := func(s *server, path, token string) []byte {
		req, _ := http.NewRequest("GET", s.base+"/api/plans/"+p.ID+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s on %s: %d %s", path, s.base, resp.StatusCode, b)
		}
		return b
	}
	for _, tc := range []struct{ path, token string }{
		{"/rounds", p.ObserverToken},
		{"/rounds", p.FacilitatorToken},
		{"/federations", p.ObserverToken},
		{"/federations", p.FacilitatorToken},
		{"/roots", p.ObserverToken},
	} {
		a, b := get(ss[0], tc.path, tc.token), get(ss[1], tc.path, tc.token)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the servers:\n%s\n%s", tc.path, a, b)
		}
	}
	// Every socket got the same frames of rounds 0 to 2 on both servers.
	for j, who := range []string{"observer", "facilitator", "council c000"} {
		for r := 0; r < 3; r++ {
			for _, typ := range []string{"round.closed", "round.opened"} {
				key := typ + " " + strconv.Itoa(r)
				if typ == "round.opened" {
					key = typ + " " + strconv.Itoa(r+1)
				}
				a, b := socks[0][j].get(key), socks[1][j].get(key)
				if a == nil || !bytes.Equal(a, b) {
					t.Errorf("%s's %s differs between the servers:\n%s\n%s", who, key, a, b)
				}
			}
		}
	}
	var rs struct {
		Rounds []struct {
			StandIns []string `json:"standins"`
			K        int      `json:"k"`
			Levy     *float64 `json:"levy"`
			Fund     *float64 `json:"fund"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal(get(follower, "/rounds", p.ObserverToken), &rs); err != nil || len(rs.Rounds) < 3 {
		t.Fatalf("rounds: %v, %d", err, len(rs.Rounds))
	}
	for i, r := range rs.Rounds {
		if len(r.StandIns) != 3 || r.Levy == nil || r.Fund == nil {
			t.Errorf("round %d on the follower: stand-ins %v, levy %v, fund %v; want the 3 people's models and the commons", i, r.StandIns, r.Levy, r.Fund)
		}
		if r.K != 2 {
			t.Errorf("round %d on the follower: k %d, want the setting made there (2)", i, r.K)
		}
	}
	// A person's proof is the same from either server, for round 0 and
	// for the last closed round (which the leader serves from memory).
	for _, n := range []int{0, len(rs.Rounds) - 1} {
		path := "/rounds/" + strconv.Itoa(n) + "/proof"
		a, b := get(ss[0], path, p.CouncilTokens["c000"]), get(ss[1], path, p.CouncilTokens["c000"])
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the servers:\n%s\n%s", path, a, b)
		}
	}
	var roots []json.RawMessage
	if err := json.Unmarshal(get(ss[0], "/roots", p.ObserverToken), &roots); err != nil || len(roots) != len(rs.Rounds) {
		t.Errorf("roots: %d for %d closed rounds (%v)", len(roots), len(rs.Rounds), err)
	}
}
