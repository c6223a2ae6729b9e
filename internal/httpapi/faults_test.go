package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parecon/internal/httpapi"
	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/internal/store"
)

// humanCrowd is a plan with a simulated bakery and n human consumer
// councils h00, h01, …; tatonnement keeps each close cheap.
func humanCrowd(n int) string {
	var cs []string
	cs = append(cs, `{"id":"bakery","type":"worker","output":"bread","scale":2,"inputs":{"labor":0.5,"land":0.3}}`)
	for i := 0; i < n; i++ {
		cs = append(cs, fmt.Sprintf(`{"id":"h%02d","type":"consumer","members":10,"hours":40}`, i))
	}
	return `{"name":"crowd","goods":[{"id":"labor","kind":"labor"},{"id":"land","kind":"resource","endowment":1000},{"id":"bread","kind":"produced","price":2}],` +
		`"councils":[` + strings.Join(cs, ",") + `],"facilitation":{"rule":"tatonnement","max_rounds":5000}}`
}

// wideScenario is a plan of many goods with long ids and two human
// councils, so that every round.closed and round.opened is tens of
// kilobytes; the labour nobody uses keeps it from converging.
func wideScenario(goods int) string {
	gs := []string{`{"id":"labor","kind":"labor"}`}
	for i := 0; i < goods; i++ {
		gs = append(gs, fmt.Sprintf(`{"id":"a-produced-good-with-a-long-name-%04d","kind":"produced"}`, i))
	}
	return `{"name":"wide","goods":[` + strings.Join(gs, ",") + `],"councils":[{"id":"w","type":"worker"},{"id":"c","type":"consumer","members":10,"hours":40}],` +
		`"facilitation":{"rule":"tatonnement","max_rounds":100000}}`
}

// answer sends a proposal.submit and returns the frame that answers its
// ref (accepted, rejected or error), skipping broadcasts.
func (w *wsConn) answer(ref string, round int, proposal any) msg {
	w.t.Helper()
	w.send(map[string]any{"type": "proposal.submit", "ref": ref, "round": round, "proposal": proposal})
	end := time.Now().Add(10 * time.Second)
	for {
		m, _ := w.read(time.Until(end))
		switch m.str("type") {
		case "proposal.accepted", "proposal.rejected", "error":
			if m.str("ref") == ref {
				return m
			}
		}
	}
}

// storedRefs returns the refs of the human proposals in the database, by
// council.
func storedRefs(t *testing.T, ts *testServer, p created) map[string][]string {
	t.Helper()
	ps, err := ts.st.Proposals(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string][]string{}
	for _, pr := range ps {
		if pr.Source == "human" {
			refs[pr.Council] = append(refs[pr.Council], pr.Ref)
		}
	}
	return refs
}

// auditMentions reports whether any audit event's detail carries ref.
func auditMentions(t *testing.T, ts *testServer, p created, ref string) bool {
	t.Helper()
	var out struct {
		Events []map[string]any `json:"events"`
	}
	if st := do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/audit", p.FacilitatorToken, nil, &out); st != http.StatusOK {
		t.Fatalf("audit: %d", st)
	}
	for _, e := range out.Events {
		b, _ := json.Marshal(e)
		if strings.Contains(string(b), `"`+ref+`"`) {
			return true
		}
	}
	return false
}

// TestDatabaseRefusesWrites (fault c): when the database turns read-only,
// and later when it is full, a council's proposal gets an error frame
// (code internal, a message that says why and that nothing was kept), the
// facilitator's close gets a 503 unavailable (507 insufficient_storage
// when full) saying why, /healthz answers 503 while read-only, the server
// keeps serving, and nothing of the refused writes is in the database: no
// proposal, no audit event, no closed round. Once the database accepts
// writes again the same refs go through and the round closes.
func TestDatabaseRefusesWrites(t *testing.T) {
	ctx := context.Background()
	ts := newServer(t, live.Options{}, hub.Options{})
	p := ts.create(t, humanCrowd(2))
	a := ts.dial(t, p.ID, p.CouncilTokens["h00"])
	b := ts.dial(t, p.ID, p.CouncilTokens["h01"])
	a.until("snapshot", 5*time.Second)
	b.until("snapshot", 5*time.Second)
	bread := func(x float64) any { return map[string]any{"requests": map[string]float64{"bread": x}} }
	if m := a.answer("a1", 0, bread(0.01)); m.str("type") != "proposal.accepted" {
		t.Fatalf("before the fault: %v", m)
	}

	// Read-only.
	if err := ts.st.Degrade(ctx, "query_only=1"); err != nil {
		t.Fatal(err)
	}
	m := b.answer("b1", 0, bread(0.01))
	if m.str("type") != "error" || m.str("code") != "unavailable" || !strings.Contains(m.str("message"), "read-only") || !strings.Contains(m.str("message"), "nothing was kept") {
		t.Fatalf("read-only database: answered %v", m)
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if st := do(t, "POST", ts.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, &e); st != http.StatusServiceUnavailable || e.Error.Code != "unavailable" || !strings.Contains(e.Error.Message, "read-only") {
		t.Fatalf("close on a read-only database: %d %+v", st, e)
	}
	if st := do(t, "GET", ts.URL+"/healthz", "", nil, nil); st != http.StatusServiceUnavailable {
		t.Fatalf("healthz %d while read-only, want 503", st)
	}
	var plan struct {
		Round int `json:"round"`
	}
	do(t, "GET", ts.URL+"/api/plans/"+p.ID, p.ObserverToken, nil, &plan)
	if plan.Round != 0 {
		t.Fatalf("the refused close moved the plan to round %d", plan.Round)
	}
	if refs := storedRefs(t, ts, p); len(refs["h01"]) != 0 || len(refs["h00"]) != 1 {
		t.Fatalf("stored while read-only: %v", refs)
	}
	if auditMentions(t, ts, p, "b1") {
		t.Fatal("the refused proposal left an audit event")
	}
	// The connection is still good, and the write goes through once the
	// database is writable again; the round then fills and closes.
	if err := ts.st.Degrade(ctx, "query_only=0"); err != nil {
		t.Fatal(err)
	}
	if m := b.answer("b1", 0, bread(0.01)); m.str("type") != "proposal.accepted" {
		t.Fatalf("after the fault: %v", m)
	}
	if m := a.until("round.closed", 5*time.Second); m.num("round") != 0 {
		t.Fatalf("closed %v", m)
	}
	a.until("round.opened", 5*time.Second)

	// Full: cap the file at its size; proposals fill the last pages until
	// one does not fit. The close that follows is refused when its writes
	// do not fit either; where they still fit in the pages left (which
	// tables' pages fill first depends on the schema's layout), the next
	// round is filled and closed the same way, up to 20 rounds (7 with
	// migration 0005's indexes).
	var accepted []string
	failed := ""
	round := 1
	for ; ; round++ {
		if round > 20 {
			t.Fatal("every close fitted in a database capped at its size")
		}
		pages, err := ts.st.PageCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := ts.st.Degrade(ctx, fmt.Sprintf("max_page_count=%d", pages)); err != nil {
			t.Fatal(err)
		}
		failed = ""
		for i := 0; i < 500 && failed == ""; i++ {
			ref := fmt.Sprintf("full-%d-%d", round, i)
			m := a.answer(ref, round, bread(0.001*float64(i+1)))
			switch m.str("type") {
			case "proposal.accepted":
				accepted = append(accepted, ref)
			case "error":
				if m.str("code") != "insufficient_storage" || !strings.Contains(m.str("message"), "full") {
					t.Fatalf("full database: answered %v", m)
				}
				failed = ref
			default:
				t.Fatalf("full database: answered %v", m)
			}
		}
		if failed == "" {
			t.Fatal("500 proposals fitted in a database capped at its size")
		}
		e.Error.Code, e.Error.Message = "", ""
		st := do(t, "POST", ts.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, &e)
		if st == http.StatusOK {
			a.until("round.opened", 5*time.Second)
			continue
		}
		if st != http.StatusInsufficientStorage || e.Error.Code != "insufficient_storage" || !strings.Contains(e.Error.Message, "full") {
			t.Fatalf("close on a full database: %d %+v", st, e)
		}
		break
	}
	refs := storedRefs(t, ts, p)
	got := map[string]bool{}
	for _, r := range refs["h00"] {
		if got[r] {
			t.Fatalf("ref %s stored twice", r)
		}
		got[r] = true
	}
	for _, r := range accepted {
		if !got[r] {
			t.Fatalf("acknowledged %s is not stored", r)
		}
	}
	if got[failed] || auditMentions(t, ts, p, failed) {
		t.Fatalf("the proposal refused for a full database (%s) was half-written", failed)
	}
	do(t, "GET", ts.URL+"/api/plans/"+p.ID, p.ObserverToken, nil, &plan)
	if plan.Round != round {
		t.Fatalf("the refused close moved the plan to round %d, not %d", plan.Round, round)
	}
	if err := ts.st.Degrade(ctx, "max_page_count=1073741823"); err != nil {
		t.Fatal(err)
	}
	if m := a.answer(failed, round, bread(0.5)); m.str("type") != "proposal.accepted" {
		t.Fatalf("after the disk was freed: %v", m)
	}
	if st := do(t, "POST", ts.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, nil); st != http.StatusOK {
		t.Fatalf("close after the disk was freed: %d", st)
	}
	t.Logf("%d proposals fitted before the database was full; round %d's close was refused", len(accepted), round)
}

// dialStalled opens an observer websocket with a 4 KiB receive buffer,
// reads its snapshot and then never reads again.
func dialStalled(t *testing.T, ts *testServer, p created) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			c.(*net.TCPConn).SetReadBuffer(4096)
		}
		return c, err
	}}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+p.ObserverToken)
	c, _, err := d.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?plan="+p.ID, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := c.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	return c
}

// closeRounds has the facilitator close n rounds over HTTP and returns,
// for each, the time the close was answered; every reader must get each
// round.closed, and the delay from the answer to the last reader holding
// it is returned (0 if a reader had it first).
func closeRounds(t *testing.T, ts *testServer, p created, readers []*wsConn, n int, stop func() bool) []time.Duration {
	t.Helper()
	var lat []time.Duration
	for i := 0; i < n && !stop(); i++ {
		var plan struct {
			Round int `json:"round"`
		}
		if st := do(t, "POST", ts.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, &plan); st != http.StatusOK {
			t.Fatalf("close %d: status %d", i, st)
		}
		answered := time.Now()
		worst := time.Duration(0)
		for _, r := range readers {
			m := r.until("round.closed", 5*time.Second)
			if int(m.num("round")) != plan.Round-1 {
				t.Fatalf("reader got round.closed %v, want %d", m.num("round"), plan.Round-1)
			}
			worst = max(worst, time.Since(answered))
		}
		lat = append(lat, worst)
	}
	return lat
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// TestStalledClientsDropped (fault b): observers that stop reading are
// dropped once their send queue fills (the server's kernel send buffers
// are small here, so it fills in tens of frames rather than megabytes),
// while readers get every round.closed, no later than without them, and
// the facilitator's closes never wait for the stalled ones.
func TestStalledClientsDropped(t *testing.T) {
	ts := newSmallBufferServer(t, hub.Options{SendBuffer: 40, WatcherBytes: 1 << 20, WriteWait: time.Minute})
	p := ts.create(t, wideScenario(200))
	var readers []*wsConn
	for i := 0; i < 4; i++ {
		r := ts.dial(t, p.ID, p.ObserverToken)
		r.until("snapshot", 5*time.Second)
		readers = append(readers, r)
	}
	never := func() bool { return false }
	base := closeRounds(t, ts, p, readers, 10, never)
	before := ts.hub.Clients()
	var stalled []*websocket.Conn
	for i := 0; i < 4; i++ {
		stalled = append(stalled, dialStalled(t, ts, p))
	}
	waitClients := func(n int) bool { return ts.hub.Clients() == n }
	if !waitFor(func() bool { return waitClients(before + 4) }) {
		t.Fatalf("%d clients, want %d", ts.hub.Clients(), before+4)
	}
	start := time.Now()
	loaded := closeRounds(t, ts, p, readers, 400, func() bool { return ts.hub.Clients() == before })
	if ts.hub.Clients() != before {
		t.Fatalf("after %d closes in %v, %d clients: the stalled ones were not dropped", len(loaded), time.Since(start), ts.hub.Clients())
	}
	if len(loaded) < 10 {
		t.Fatalf("stalled clients dropped after %d closes: too few to measure the readers with them", len(loaded))
	}
	after := closeRounds(t, ts, p, readers, 10, never)
	mb, ml, ma := median(base), median(loaded), median(after)
	t.Logf("stalled clients dropped after %d closes; readers' median delay %v before, %v while they were stuck, %v after", len(loaded), mb, ml, ma)
	if ml > 2*mb+20*time.Millisecond || ma > 2*mb+20*time.Millisecond {
		t.Fatalf("readers' median delay %v with stalled clients, %v after, %v without", ml, ma, mb)
	}
	// The server has closed its end of each stalled connection (its
	// socket is past ESTABLISHED: FIN sent behind the unread backlog),
	// so a stalled client holds no goroutine or buffer of the server's.
	for i, c := range stalled {
		port := c.LocalAddr().(*net.TCPAddr).Port
		if !waitFor(func() bool { st := serverSocketState(t, port); return st != "" && st != "01" }) {
			t.Errorf("stalled client %d: the server's socket is still %q (01 = established)", i, serverSocketState(t, port))
		}
	}
}

// serverSocketState returns the TCP state (hex, as /proc/net/tcp writes
// it) of the socket whose peer is 127.0.0.1:port, or "" if there is none.
func serverSocketState(t *testing.T, port int) string {
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("0100007F:%04X", port)
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) > 3 && f[2] == want {
			return f[3]
		}
	}
	return ""
}

// smallSendBuffers accepts connections with a 16 KiB kernel send
// buffer, so that a client that stops reading fills it in a few frames
// instead of megabytes.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		c.(*net.TCPConn).SetWriteBuffer(16 << 10)
	}
	return c, err
}

// newSmallBufferServer is newServer on a listener with small send buffers.
func newSmallBufferServer(t *testing.T, hopt hub.Options) *testServer {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hopt)
	go h.Run()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := live.New(st, h, log, live.Options{})
	srv := httptest.NewUnstartedServer(httpapi.New(svc, log, httpapi.Options{}))
	srv.Listener = smallSendBuffers{srv.Listener}
	srv.Start()
	ts := &testServer{URL: srv.URL, svc: svc, hub: h, st: st, srv: srv, path: path}
	t.Cleanup(ts.close)
	return ts
}

func waitFor(cond func() bool) bool {
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}
