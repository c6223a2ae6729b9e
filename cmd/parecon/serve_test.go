package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// buildBinary builds parecon once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "parecon-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "parecon")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// server is a parecon serve process.
type server struct {
	cmd  *exec.Cmd
	base string
	errs *bytes.Buffer
}

// startServer runs `parecon serve` on a free loopback port with db and
// reads the address from its first line.
func startServer(t *testing.T, db string, extra ...string) *server {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)...)
	stdout, _ := cmd.StdoutPipe()
	errs := &bytes.Buffer{}
	cmd.Stderr = errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v (stderr %s)", err, errs)
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q", line)
	}
	go io.Copy(io.Discard, stdout)
	return &server{cmd: cmd, base: base, errs: errs}
}

func httpJSON(t *testing.T, method, url, token string, body []byte, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
		}
	}
	return resp.StatusCode
}

// crowdScenario is a plan with one simulated bakery and n human consumer
// councils.
func crowdScenario(n int) []byte {
	var cs []string
	cs = append(cs, `{"id":"bakery","type":"worker","output":"bread","scale":2,"inputs":{"labor":0.5,"land":0.3}}`)
	for i := 0; i < n; i++ {
		cs = append(cs, fmt.Sprintf(`{"id":"h%02d","type":"consumer","members":10,"hours":40}`, i))
	}
	return []byte(`{"name":"crowd","goods":[{"id":"labor","kind":"labor"},{"id":"land","kind":"resource","endowment":1000},{"id":"bread","kind":"produced","price":2}],"councils":[` + strings.Join(cs, ",") + `]}`)
}

type created struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitatorToken"`
	ObserverToken    string            `json:"observerToken"`
	CouncilTokens    map[string]string `json:"councilTokens"`
}

func dialWS(base, plan, token string) (*websocket.Conn, error) {
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws?plan="+plan+"&token="+token, nil)
	return c, err
}

// ackRec is one acknowledged proposal.
type ackRec struct {
	council, ref string
	round, id    int
}

// TestDurableAcrossSIGKILL has twelve councils submit as fast as they can;
// right after the 150th acknowledgement the server is killed (SIGKILL).
// Restarted on the same database it still has every acknowledged proposal
// in the round it was acknowledged for, the round it was on (same prices
// when no close was in flight), reconnecting clients get a snapshot, and
// resubmitting an acknowledged ref gets the same acknowledgement without
// storing anything new.
func TestDurableAcrossSIGKILL(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	s := startServer(t, db)
	var p created
	if st := httpJSON(t, "POST", s.base+"/api/plans", "", crowdScenario(12), &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	var mu sync.Mutex
	var acks []ackRec
	lastOpened := map[string]any{}
	lastRound := 0
	enough := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for id, tok := range p.CouncilTokens {
		conn, err := dialWS(s.base, p.ID, tok)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			round, n := 0, 0
			submit := func() error {
				n++
				return conn.WriteJSON(map[string]any{"type": "proposal.submit", "ref": fmt.Sprintf("%s-%d", id, n), "round": round, "proposal": map[string]any{"requests": map[string]float64{"bread": 0.001 * float64(n)}}})
			}
			for {
				_, b, err := conn.ReadMessage()
				if err != nil {
					return // killed
				}
				var m map[string]any
				json.Unmarshal(b, &m)
				switch m["type"] {
				case "snapshot":
					round = int(m["round"].(map[string]any)["number"].(float64))
					submit()
				case "round.opened":
					round = int(m["round"].(float64))
					mu.Lock()
					if round > lastRound {
						lastRound, lastOpened = round, m["prices"].(map[string]any)
					}
					mu.Unlock()
				case "proposal.accepted":
					mu.Lock()
					acks = append(acks, ackRec{id, m["ref"].(string), int(m["round"].(float64)), int(m["proposalId"].(float64))})
					if len(acks) >= 150 {
						once.Do(func() { close(enough) })
					}
					mu.Unlock()
					submit()
				case "proposal.rejected":
					// a stale round: catch up with the next round.opened
					if m["field"] == "round" {
						time.Sleep(time.Millisecond)
						submit()
					}
				}
			}
		}()
	}
	select {
	case <-enough:
	case <-time.After(30 * time.Second):
		t.Fatalf("only %d acknowledgements in 30 s; stderr: %s", len(acks), s.errs)
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	wg.Wait()
	mu.Lock()
	got := append([]ackRec(nil), acks...)
	seenRound, seenPrices := lastRound, lastOpened
	mu.Unlock()

	s2 := startServer(t, db)
	var props struct {
		Proposals []struct {
			Round      int    `json:"round"`
			CouncilID  string `json:"councilId"`
			ProposalID int    `json:"proposalId"`
			Status     string `json:"status"`
			Source     string `json:"source"`
		}
	}
	httpJSON(t, "GET", s2.base+"/api/plans/"+p.ID+"/proposals", p.FacilitatorToken, nil, &props)
	stored := map[int]int{}
	nHuman := 0
	for _, pr := range props.Proposals {
		if pr.Source == "human" && pr.Status == "accepted" {
			stored[pr.ProposalID] = pr.Round
			nHuman++
		}
	}
	for _, a := range got {
		r, ok := stored[a.id]
		if !ok {
			t.Errorf("acknowledged proposal %d (%s %s) lost", a.id, a.council, a.ref)
		} else if r != a.round {
			t.Errorf("proposal %d in round %d, acknowledged for round %d", a.id, r, a.round)
		}
	}
	t.Logf("%d acknowledged before SIGKILL, %d stored after restart, rounds reached %d", len(got), nHuman, seenRound)
	var pv struct {
		Round  int                `json:"round"`
		Prices map[string]float64 `json:"prices"`
	}
	httpJSON(t, "GET", s2.base+"/api/plans/"+p.ID, p.ObserverToken, nil, &pv)
	if pv.Round < seenRound {
		t.Fatalf("restarted at round %d, before the round %d clients saw open", pv.Round, seenRound)
	}
	if pv.Round == seenRound && seenRound > 0 {
		for g, x := range seenPrices {
			if pv.Prices[g] != x.(float64) {
				t.Errorf("round %d price of %s: %v after restart, %v before", seenRound, g, pv.Prices[g], x)
			}
		}
	}
	// Reconnect, get a snapshot, resubmit an acknowledged ref: same answer, nothing new stored.
	a := got[len(got)-1]
	conn, err := dialWS(s2.base, p.ID, p.CouncilTokens[a.council])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var snap map[string]any
	conn.ReadJSON(&snap)
	if snap["type"] != "snapshot" {
		t.Fatalf("first frame after restart: %v", snap)
	}
	conn.WriteJSON(map[string]any{"type": "proposal.submit", "ref": a.ref, "round": a.round, "proposal": map[string]any{"requests": map[string]float64{"bread": 123}}})
	var again map[string]any
	for again["type"] != "proposal.accepted" {
		again = nil
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := conn.ReadJSON(&again); err != nil {
			t.Fatal(err)
		}
		if again["type"] == "proposal.rejected" || again["type"] == "error" {
			t.Fatalf("resubmission answered %v", again)
		}
	}
	if int(again["proposalId"].(float64)) != a.id || int(again["round"].(float64)) != a.round {
		t.Fatalf("resubmission acknowledged as %v, want proposal %d of round %d", again, a.id, a.round)
	}
	var after struct{ Proposals []map[string]any }
	httpJSON(t, "GET", s2.base+"/api/plans/"+p.ID+"/proposals", p.FacilitatorToken, nil, &after)
	if len(after.Proposals) != len(props.Proposals) {
		t.Fatalf("resubmission stored something: %d proposals, was %d", len(after.Proposals), len(props.Proposals))
	}
}

// TestGracefulShutdown sends SIGTERM: connected websockets get a
// going-away close, the process exits 0, and the database reopens.
func TestGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	s := startServer(t, db)
	var p created
	httpJSON(t, "POST", s.base+"/api/plans", "", []byte(`{"example":"bread-and-land"}`), &p)
	conn, err := dialWS(s.base, p.ID, p.ObserverToken)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var snap map[string]any
	conn.ReadJSON(&snap)
	s.cmd.Process.Signal(syscall.SIGTERM)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _, err = conn.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("websocket ended with %v, want a going-away close", err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("exit: %v; stderr %s", err, s.errs)
	}
	s2 := startServer(t, db)
	var list struct{ Plans []map[string]any }
	httpJSON(t, "GET", s2.base+"/api/plans", "", nil, &list)
	if len(list.Plans) != 1 || list.Plans[0]["id"] != p.ID {
		t.Fatalf("plans after restart: %v", list.Plans)
	}
}
