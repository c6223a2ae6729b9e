package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	_ "modernc.org/sqlite"

	"parecon/internal/loadtest"
)

// council is one test council's connection and what it saw.
type council struct {
	lc     loadtest.Council
	token  string
	conn   *websocket.Conn
	round  int
	prices map[string]float64
	budget float64
	n      int
	ref    string // in flight: sent, not yet answered
	acks   []ackRec
}

func (c *council) dial(t *testing.T, base, plan string) {
	t.Helper()
	conn, err := dialWS(base, plan, c.token)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c.conn = conn
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var snap struct {
		Type  string
		Round struct {
			Number int
			Prices map[string]float64
			Budget float64
		}
	}
	if err := conn.ReadJSON(&snap); err != nil || snap.Type != "snapshot" {
		t.Fatalf("snapshot: %v %+v", err, snap)
	}
	c.round, c.prices, c.budget = snap.Round.Number, snap.Round.Prices, snap.Round.Budget
}

func (c *council) submit(ref string) error {
	if ref == "" {
		c.n++
		ref = fmt.Sprintf("%s-%d", c.lc.ID, c.n)
	}
	c.ref = ref
	return c.conn.WriteJSON(map[string]any{"type": "proposal.submit", "ref": ref, "round": c.round, "proposal": c.lc.Proposal(c.prices, c.budget, c.n)})
}

// frame reads the next frame; it returns its type and the frame.
func (c *council) frame(timeout time.Duration) (string, map[string]any, error) {
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	_, b, err := c.conn.ReadMessage()
	if err != nil {
		return "", nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return "", nil, err
	}
	if m["type"] == "round.opened" {
		c.round = int(m["round"].(float64))
		c.prices = map[string]float64{}
		for g, x := range m["prices"].(map[string]any) {
			c.prices[g] = x.(float64)
		}
		c.budget, _ = m["budget"].(float64)
	}
	typ, _ := m["type"].(string)
	return typ, m, nil
}

// storedHuman reads the human proposals of plan from the database file:
// id → (council, ref, round), and the (council, ref) pairs stored more
// than once.
func storedHuman(t *testing.T, db, plan string) (map[int]ackRec, []string) {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.Query(`SELECT id, council_id, ref, round FROM proposals WHERE plan_id = ? AND source = 'human'`, plan)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]ackRec{}
	seen := map[string]int{}
	var dups []string
	for rows.Next() {
		var a ackRec
		if err := rows.Scan(&a.id, &a.council, &a.ref, &a.round); err != nil {
			t.Fatal(err)
		}
		out[a.id] = a
		if a.ref != "" {
			k := a.council + "/" + a.ref
			if seen[k]++; seen[k] == 2 {
				dups = append(dups, k)
			}
		}
	}
	return out, dups
}

// TestSIGKILLUnderLoad (fault a): 300 human councils of a generated
// economy submit as fast as they are acknowledged, in group commits, over
// several rounds; the server (a built binary) is killed with SIGKILL in
// the middle of it, with proposals in flight. Restarted on the same
// database: every acknowledged proposal is stored, in the round it was
// acknowledged for, exactly once; no (council, ref) is stored twice; every
// council reconnects, gets a snapshot, resends the proposal it had in
// flight (answered with the stored acknowledgement if it was stored, or
// taken now), then submits in the open round, which fills and closes.
func TestSIGKILLUnderLoad(t *testing.T) {
	const n = 300
	db := t.TempDir() + "/kill.db"
	s := startServer(t, db)
	scen, lcs, err := loadtest.Scenario(n, 6, 200, 7)
	if err != nil {
		t.Fatal(err)
	}
	var p created
	if st := httpJSON(t, "POST", s.base+"/api/plans", "", scen, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	cs := make([]*council, len(lcs))
	for i, lc := range lcs {
		cs[i] = &council{lc: lc, token: p.CouncilTokens[lc.ID]}
		cs[i].dial(t, s.base, p.ID)
	}
	var mu sync.Mutex
	total := 0
	enough := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c.submit("") != nil {
				return
			}
			for {
				typ, m, err := c.frame(20 * time.Second)
				if err != nil {
					return // killed
				}
				switch typ {
				case "proposal.accepted":
					if m["ref"] != c.ref {
						continue
					}
					c.acks = append(c.acks, ackRec{c.lc.ID, c.ref, int(m["round"].(float64)), int(m["proposalId"].(float64))})
					c.ref = ""
					mu.Lock()
					if total++; total == 1500 {
						once.Do(func() { close(enough) })
					}
					mu.Unlock()
					c.submit("")
				case "proposal.rejected":
					if m["ref"] != c.ref {
						continue
					}
					// A stale round: submit in the new one, now if its
					// round.opened came first, else when it comes.
					c.ref = ""
					if int(m["round"].(float64)) != c.round {
						c.submit("")
					}
				case "round.opened":
					if c.ref == "" {
						c.submit("")
					}
				case "error":
					t.Errorf("council %s: %v", c.lc.ID, m)
					return
				}
			}
		}()
	}
	select {
	case <-enough:
	case <-time.After(60 * time.Second):
		s.cmd.Process.Kill()
		s.cmd.Wait()
		mu.Lock()
		t.Fatalf("only %d acknowledgements in 60 s; stderr: %s", total, s.errs)
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	wg.Wait()
	acked, inflight := 0, 0
	for _, c := range cs {
		acked += len(c.acks)
		if c.ref != "" {
			inflight++
		}
	}

	stored, dups := storedHuman(t, db, p.ID)
	if len(dups) > 0 {
		t.Fatalf("stored more than once: %v", dups)
	}
	for _, c := range cs {
		for _, a := range c.acks {
			got, ok := stored[a.id]
			if !ok {
				t.Fatalf("acknowledged proposal %d (%s %s, round %d) lost", a.id, a.council, a.ref, a.round)
			}
			if got.council != a.council || got.ref != a.ref || got.round != a.round {
				t.Fatalf("acknowledged %+v, stored %+v", a, got)
			}
		}
	}
	t.Logf("%d acknowledged before SIGKILL, %d in flight, %d human proposals stored", acked, inflight, len(stored))

	s2 := startServer(t, db)
	byRef := map[string]ackRec{}
	for _, a := range stored {
		byRef[a.council+"/"+a.ref] = a
	}
	// Everyone reconnects and resends what was in flight.
	for _, c := range cs {
		c.dial(t, s2.base, p.ID)
		if c.ref == "" {
			continue
		}
		prev, wasStored := byRef[c.lc.ID+"/"+c.ref]
		if err := c.submit(c.ref); err != nil {
			t.Fatal(err)
		}
		for {
			typ, m, err := c.frame(10 * time.Second)
			if err != nil {
				t.Fatalf("council %s after restart: %v", c.lc.ID, err)
			}
			if m["ref"] != c.ref {
				continue
			}
			if wasStored && (typ != "proposal.accepted" || int(m["proposalId"].(float64)) != prev.id) {
				t.Fatalf("resending stored %s/%s (id %d): answered %v", c.lc.ID, c.ref, prev.id, m)
			}
			if !wasStored && typ != "proposal.accepted" && !(typ == "proposal.rejected" && m["field"] == "round") {
				t.Fatalf("resending unstored %s/%s: answered %v", c.lc.ID, c.ref, m)
			}
			break
		}
		c.ref = ""
	}
	// Then every council submits in the open round (the resends may have
	// filled and closed the round the councils reconnected in: they catch
	// up with the one now open).
	var plan struct{ Round int }
	httpJSON(t, "GET", s2.base+"/api/plans/"+p.ID, p.ObserverToken, nil, &plan)
	target := plan.Round
	errs := make(chan error, len(cs))
	for _, c := range cs {
		go func() {
			for c.round < target { // catch up with the round the resends opened
				if _, _, err := c.frame(10 * time.Second); err != nil {
					errs <- fmt.Errorf("council %s: waiting for round %d: %v", c.lc.ID, target, err)
					return
				}
			}
			if err := c.submit(""); err != nil {
				errs <- err
				return
			}
			for {
				typ, m, err := c.frame(20 * time.Second)
				if err != nil {
					errs <- fmt.Errorf("council %s: %v", c.lc.ID, err)
					return
				}
				if typ == "round.closed" && int(m["round"].(float64)) == target {
					errs <- nil
					return
				}
				if typ == "proposal.rejected" || typ == "error" {
					errs <- fmt.Errorf("council %s: %v", c.lc.ID, m)
					return
				}
			}
		}()
	}
	for range cs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	_, dups = storedHuman(t, db, p.ID)
	if len(dups) > 0 {
		t.Fatalf("stored more than once after the restart: %v", dups)
	}
}

// buildFlooder builds internal/flooder once per test run (without the
// race detector, whatever the tests run with).
var buildFlooder = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "parecon-flooder")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "flooder")
	out, err := exec.Command("go", "build", "-o", bin, "./internal/flooder").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// TestFloodDoesNotSlowOthers (fault d): against the server binary with
// its default limits, one council's connection sends 1,000 malformed
// frames per second (internal/flooder, a process of its own), and
// reconnects whenever the server drops it for flooding (1008). Eight other councils submit all along; the time is cut
// in windows of 300 ms, flood and quiet in turn (so that whatever else the
// machine does weighs on both alike), and their median acknowledgement
// latency under the flood stays under twice the quiet one.
func TestFloodDoesNotSlowOthers(t *testing.T) {
	flooder, err := buildFlooder()
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, t.TempDir()+"/flood.db")
	var p created
	if st := httpJSON(t, "POST", s.base+"/api/plans", "", crowdScenario(9), &p); st != http.StatusCreated { // h08 never submits: the round stays open
		t.Fatalf("create: %d", st)
	}
	var cs []*websocket.Conn
	for i := 0; i < 8; i++ {
		c, err := dialWS(s.base, p.ID, p.CouncilTokens[fmt.Sprintf("h%02d", i)])
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var snap map[string]any
		c.ReadJSON(&snap)
		cs = append(cs, c)
	}
	const windows, window = 10, 300 * time.Millisecond
	var flooding atomic.Bool // samples are sorted by it
	stop := make(chan struct{})

	var mu sync.Mutex
	lat := map[bool][]time.Duration{} // by flooding
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				ref := fmt.Sprintf("r-%d", k)
				during := flooding.Load()
				t0 := time.Now()
				c.WriteJSON(map[string]any{"type": "proposal.submit", "ref": ref, "round": 0, "proposal": map[string]any{"requests": map[string]float64{"bread": 0.001}}})
				for {
					c.SetReadDeadline(time.Now().Add(5 * time.Second))
					var m map[string]any
					if err := c.ReadJSON(&m); err != nil {
						t.Errorf("council %d: %v", i, err)
						return
					}
					if m["ref"] == ref {
						if m["type"] != "proposal.accepted" {
							t.Errorf("council %d: %v", i, m)
							return
						}
						break
					}
				}
				if d := time.Since(t0); flooding.Load() == during {
					mu.Lock()
					lat[during] = append(lat[during], d)
					mu.Unlock()
				}
				time.Sleep(25 * time.Millisecond) // under the 50 frames/s a council may send
			}
		}()
	}

	var sent, answered, drops int64
	var floodTime time.Duration
	wsURL := "ws" + strings.TrimPrefix(s.base, "http") + "/ws?plan=" + p.ID
	for w := 0; w < windows; w++ {
		if w%2 == 0 {
			time.Sleep(window)
			continue
		}
		// The flood, from its own process: started, let run for a window,
		// stopped; it reports what it sent.
		cmd := exec.Command(flooder, wsURL, p.CouncilTokens["h08"], "1000")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		flooding.Store(true)
		t0 := time.Now()
		time.Sleep(window)
		flooding.Store(false)
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("flooder: %v: %s", err, out.Bytes())
		}
		floodTime += time.Since(t0)
		var a, b, c int64
		if _, err := fmt.Sscan(out.String(), &a, &b, &c); err != nil {
			t.Fatalf("flooder said %q", out.String())
		}
		sent, answered, drops = sent+a, answered+b, drops+c
	}
	close(stop)
	wg.Wait()
	median := func(ds []time.Duration) time.Duration {
		if len(ds) < 30 {
			t.Fatalf("only %d acknowledgements", len(ds))
		}
		sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
		return ds[len(ds)/2]
	}
	quiet, flooded := median(lat[false]), median(lat[true])
	rate := float64(sent) / floodTime.Seconds()
	t.Logf("%d acknowledgements quiet, median %v; %d under the flood, median %v", len(lat[false]), quiet, len(lat[true]), flooded)
	t.Logf("flooder: %d malformed frames in %v of flood (%.0f/s), %d answered with error frames, dropped %d times for flooding", sent, floodTime.Round(time.Millisecond), rate, answered, drops)
	if rate < 700 || drops == 0 {
		t.Fatalf("the flood was not a flood: %.0f frames/s, %d drops", rate, drops)
	}
	if flooded > 2*quiet {
		t.Fatalf("median acknowledgement %v under the flood, %v without: more than doubled", flooded, quiet)
	}
}
