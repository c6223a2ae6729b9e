package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
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

	"parecon/internal/httpapi"
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
	return runServer(t, exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)...))
}

// runServer starts cmd, a `parecon serve`, and reads the address from its
// first line; the process is killed when the test ends.
func runServer(t *testing.T, cmd *exec.Cmd) *server {
	t.Helper()
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

// startServerLimited is startServer under a shell's `ulimit -n files`
// (soft and hard: the server cannot raise it).
func startServerLimited(t *testing.T, db string, files int, extra ...string) *server {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, files)
	args := append([]string{"-c", script, bin, "serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)
	return runServer(t, exec.Command("sh", args...))
}

// TestIdleFloodUnderFileLimit reproduces the idle keep-alive flood that
// took the server to "too many open files": with an open-file limit of
// 256, three times as many idle connections are opened (half after a
// request, half silent); the server sizes its connection cap below the
// limit, so /healthz still answers within a second and nothing ran out
// of files.
func TestIdleFloodUnderFileLimit(t *testing.T) {
	s := startServerLimited(t, filepath.Join(t.TempDir(), "p.db"), 256)
	addr := strings.TrimPrefix(s.base, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < 768; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		conns = append(conns, c)
		if i%2 == 0 {
			fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			c.SetReadDeadline(time.Now().Add(2 * time.Second))
			http.ReadResponse(bufio.NewReader(c), nil) // an evicted one answers EOF
		}
	}
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var slowest time.Duration
	for i := 0; i < 5; i++ {
		start := time.Now()
		resp, err := client.Get(s.base + "/healthz")
		slowest = max(slowest, time.Since(start))
		if err != nil {
			t.Fatalf("healthz during the flood: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("healthz during the flood: %d", resp.StatusCode)
		}
	}
	t.Logf("healthz answered within %v during the flood", slowest.Round(time.Microsecond))
	s.cmd.Process.Kill() // its stderr is read once it has ended
	s.cmd.Wait()
	if strings.Contains(s.errs.String(), "too many open files") {
		t.Fatalf("the server ran out of files: %s", s.errs)
	}
	if !strings.Contains(s.errs.String(), "maxConns=128") {
		t.Fatalf("the cap was not sized below the limit of 256: %s", s.errs)
	}
}

// TestShutdownIsPrompt: on SIGTERM the server stops accepting at once,
// closes websockets with going-away and exits within seconds even with an
// idle keep-alive connection and a client trickling a body.
func TestShutdownIsPrompt(t *testing.T) {
	s := startServer(t, filepath.Join(t.TempDir(), "p.db"))
	addr := strings.TrimPrefix(s.base, "http://")
	var p created
	if st := httpJSON(t, "POST", s.base+"/api/plans", "", []byte(`{"example":"bread-and-land"}`), &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	ws, err := dialWS(s.base, p.ID, p.ObserverToken)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var snap map[string]any
	ws.ReadJSON(&snap)
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprintf(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	http.ReadResponse(bufio.NewReader(idle), nil)
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "POST /api/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	stopTrickle := make(chan struct{})
	defer close(stopTrickle)
	go func() {
		for {
			select {
			case <-stopTrickle:
				return
			case <-time.After(200 * time.Millisecond):
				slow.Write([]byte(" "))
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	refused := false
	for time.Since(start) < 2*time.Second {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			refused = true
			break
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	if !refused {
		t.Fatal("still accepting connections 2 s after SIGTERM")
	}
	ws.SetReadDeadline(time.Now().Add(8 * time.Second))
	if _, _, err := ws.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("websocket ended with %v, want going-away", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v; stderr %s", err, s.errs)
		}
	case <-time.After(8 * time.Second):
		t.Fatalf("still running 8 s after SIGTERM; stderr %s", s.errs)
	}
	t.Logf("exited %v after SIGTERM", time.Since(start).Round(time.Millisecond))
}

// TestServeFlags: a bad limit, from a flag or its environment variable,
// stops serve before it opens anything, with a message naming it.
func TestServeFlags(t *testing.T) {
	tests := []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"--max-plans", "-1"}, nil, "--max-plans"},
		{[]string{"--create-rate", "-3"}, nil, "--create-rate"},
		{[]string{"--create-burst", "0"}, nil, "--create-burst"},
		{[]string{"--max-conns-per-ip", "0"}, nil, "--max-conns-per-ip"},
		{[]string{"--read-timeout", "0s"}, nil, "--read-timeout"},
		{[]string{"--idle-timeout", "-1s"}, nil, "--idle-timeout"},
		{[]string{"--allowed-origins", "evil.example"}, nil, "--allowed-origins"},
		{[]string{"--trusted-proxies", "10.0.0.0"}, nil, "--trusted-proxies"},
		{nil, []string{"PARECON_MAX_CONNS", "many"}, "PARECON_MAX_CONNS"},
		{nil, []string{"PARECON_WRITE_TIMEOUT", "10"}, "PARECON_WRITE_TIMEOUT"},
		{nil, []string{"PARECON_MAX_PLANS", "-5"}, "--max-plans"},
	}
	for _, tt := range tests {
		t.Run(tt.want+strings.Join(tt.args, " "), func(t *testing.T) {
			for i := 0; i+1 < len(tt.env); i += 2 {
				t.Setenv(tt.env[i], tt.env[i+1])
			}
			db := filepath.Join(t.TempDir(), "p.db")
			var out, errs bytes.Buffer
			code := run(t.Context(), append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, tt.args...), &out, &errs)
			if code != 2 || !strings.Contains(errs.String(), tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 naming %s", code, errs.String(), tt.want)
			}
			if _, err := os.Stat(db); err == nil {
				t.Fatal("the database was opened")
			}
		})
	}
}

// TestConnectionCapSizing: the cap is sized below the open-file limit,
// and a larger --max-conns is lowered to it.
func TestConnectionCapSizing(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	base := serveConfig{createRate: 10, createBurst: 10, maxScenarioBytes: 1 << 20,
		councilConns: 4, watcherConns: 16, watcherBytes: 1 << 20, sendBuffer: 256, pageLimit: 500, maxPageLimit: 5000,
		limits: httpapi.ServerLimits{MaxConnsPerIP: 128, MaxHeaderBytes: 32 << 10, ReadHeaderTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second, IdleTimeout: time.Second}}
	tests := []struct {
		asked  int
		nofile uint64
		want   int
	}{
		{0, 20000, 20000 - fileReserve},
		{0, 1024, 1024 - fileReserve},
		{0, 200, 100},
		{500, 20000, 500},
		{50000, 20000, 20000 - fileReserve},
		{0, 0, 0}, // unknown: httpapi's default
	}
	for _, tt := range tests {
		cfg := base
		cfg.limits.MaxConns = tt.asked
		_, lim, err := checkLimits(cfg, tt.nofile, log)
		if err != nil || lim.MaxConns != tt.want {
			t.Errorf("asked %d, %d files: MaxConns %d (%v), want %d", tt.asked, tt.nofile, lim.MaxConns, err, tt.want)
		}
	}
}
