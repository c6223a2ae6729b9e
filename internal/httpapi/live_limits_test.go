package httpapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/internal/wire"
)

// TestHTTPClosesNameTheirRound: twenty POST .../rounds/close {"round": 0}
// at once advance the plan one round: one 200, nineteen 409; a bad round
// is 400 naming the field.
func TestHTTPClosesNameTheirRound(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{})
	p := ts.create(t, humanCrowd(3))
	url := ts.URL + "/api/plans/" + p.ID + "/rounds/close"
	codes := make([]int, 20)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = do(t, "POST", url, p.FacilitatorToken, map[string]any{"round": 0}, nil)
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[http.StatusOK] != 1 || count[http.StatusConflict] != 19 {
		t.Fatalf("statuses %v, want one 200 and nineteen 409", count)
	}
	var v wire.PlanView
	do(t, "GET", ts.URL+"/api/plans/"+p.ID, p.FacilitatorToken, nil, &v)
	if v.Round != 1 {
		t.Fatalf("round %d after the closes, want 1", v.Round)
	}
	var e wire.ErrorResponse
	if st := do(t, "POST", url, p.FacilitatorToken, `{"round":-1}`, &e); st != http.StatusBadRequest || e.Error.Field != "round" {
		t.Fatalf("round -1: %d %+v, want 400 about round", st, e)
	}
	if st := do(t, "POST", url, p.FacilitatorToken, nil, nil); st != http.StatusOK {
		t.Fatalf("a close without a round (the spec's minimum): %d", st)
	}
}

// TestConnectionCap: a token holds at most its cap of websockets; one
// more is closed with 1008 and a reason, and a slot frees when one closes.
func TestConnectionCap(t *testing.T) {
	ts := newServer(t, live.Options{MaxCouncilConns: 2, MaxWatcherConns: 3}, hub.Options{})
	p := ts.create(t, humanCrowd(2))
	for _, tc := range []struct {
		token string
		limit int
	}{{p.CouncilTokens["h00"], 2}, {p.ObserverToken, 3}} {
		var open []*wsConn
		for i := 0; i < tc.limit; i++ {
			w := ts.dial(t, p.ID, tc.token)
			w.until("snapshot", 5*time.Second)
			open = append(open, w)
		}
		over := ts.dial(t, p.ID, tc.token)
		over.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _, err := over.c.ReadMessage()
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != live.CloseTooManyConns || !strings.Contains(ce.Text, "too many connections") {
			t.Fatalf("connection %d of a token capped at %d: %v, want close %d", tc.limit+1, tc.limit, err, live.CloseTooManyConns)
		}
		open[0].c.Close()
		var again *wsConn
		for i := 0; i < 100; i++ { // the server sees the close soon
			again = ts.dial(t, p.ID, tc.token)
			again.c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, b, err := again.c.ReadMessage(); err == nil && strings.Contains(string(b), `"snapshot"`) {
				break
			}
			again = nil
			time.Sleep(20 * time.Millisecond)
		}
		if again == nil {
			t.Fatal("no slot freed after a connection closed")
		}
	}
	// Another council's token has its own cap.
	ts.dial(t, p.ID, p.CouncilTokens["h01"]).until("snapshot", 5*time.Second)
}

// TestManyWatchersCostLittle: a thousand idle observer sockets (both ends
// in this process) grow the heap by a few tens of KiB each, not by a
// preallocated queue of tens of thousands of frames each (768 KiB).
func TestManyWatchersCostLittle(t *testing.T) {
	const n = 1000
	ts := newServer(t, live.Options{MaxWatcherConns: 2 * n}, hub.Options{})
	p := ts.create(t, humanCrowd(2))
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	conns := make([]*wsConn, n)
	for i := range conns {
		conns[i] = ts.dial(t, p.ID, p.ObserverToken)
		conns[i].until("snapshot", 5*time.Second)
	}
	per := int64(heap()-before) / n
	t.Logf("%d observer sockets: %d bytes of heap each (client and server ends)", n, per)
	if per > 64<<10 {
		t.Fatalf("%d bytes of heap per observer socket, want under 64 KiB", per)
	}
	// They all still get the round's frames.
	do(t, "POST", ts.URL+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, map[string]any{"round": 0}, nil)
	for _, c := range []*wsConn{conns[0], conns[n-1]} {
		if m := c.until("round.closed", 5*time.Second); m.num("round") != 0 {
			t.Fatalf("round.closed %v", m)
		}
	}
}

// TestProposalsAndAuditPages: /proposals and /audit come in pages of at
// most ?limit rows, with a cursor to the next; following the cursors
// yields every row once; a rejected attempt keeps its reason and size but
// not a large body; bad limits are 400 naming the field.
func TestProposalsAndAuditPages(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{Rate: 1e4, Burst: 1e4})
	p := ts.create(t, humanCrowd(3))
	w := ts.dial(t, p.ID, p.CouncilTokens["h00"])
	w.until("snapshot", 5*time.Second)
	for i := 0; i < 5; i++ {
		if m := w.answer(fmt.Sprint("ok", i), 0, map[string]any{"requests": map[string]any{"bread": 1 + i}}); m.str("type") != "proposal.accepted" {
			t.Fatalf("proposal %d: %v", i, m)
		}
	}
	huge := map[string]any{"requests": map[string]any{"bread": 1}, "junk": strings.Repeat("x", 4000)}
	for i := 0; i < 3; i++ {
		if m := w.answer(fmt.Sprint("bad", i), 0, huge); m.str("type") != "proposal.rejected" {
			t.Fatalf("rejected %d: %v", i, m)
		}
	}
	base := ts.URL + "/api/plans/" + p.ID
	var accepted, rejected int
	after, afterRejected := int64(0), int64(0)
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("the pages do not end")
		}
		var page wire.Proposals
		url := fmt.Sprintf("%s/proposals?limit=2&after=%d&afterRejected=%d", base, after, afterRejected)
		if st := do(t, "GET", url, p.FacilitatorToken, nil, &page); st != http.StatusOK {
			t.Fatalf("GET %s: %d", url, st)
		}
		if len(page.Proposals) > 4 {
			t.Fatalf("a page of limit 2 holds %d rows", len(page.Proposals))
		}
		for _, pr := range page.Proposals {
			switch pr.Status {
			case "accepted":
				accepted++
			case "rejected":
				rejected++
				if pr.Size < 4000 || pr.Proposal != nil || pr.Reason == "" {
					t.Fatalf("rejected row %+v: want its size and reason, not its body", pr)
				}
			}
		}
		if page.Next == nil {
			break
		}
		after, afterRejected = page.Next.After, page.Next.AfterRejected
	}
	if accepted != 5 || rejected != 3 {
		t.Fatalf("%d accepted and %d rejected over the pages, want 5 and 3", accepted, rejected)
	}
	var seen []int64
	var next int64
	for {
		var page wire.Audit
		do(t, "GET", fmt.Sprintf("%s/audit?limit=3&after=%d", base, next), p.FacilitatorToken, nil, &page)
		for _, e := range page.Events {
			seen = append(seen, e.Seq)
			if e.Type == "proposal.rejected" {
				var d map[string]json.RawMessage
				json.Unmarshal(e.Detail, &d)
				if _, ok := d["proposal"]; ok || len(d["prefix"]) > 256+16 || d["size"] == nil {
					t.Fatalf("rejected event detail %s: want size and a short prefix, no body", e.Detail)
				}
			}
		}
		if page.Next == nil {
			break
		}
		next = *page.Next
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("audit seqs out of order or repeated: %v", seen)
		}
	}
	if len(seen) < 2+5+3 {
		t.Fatalf("%d events over the pages, want at least 10", len(seen))
	}
	// A cursor over every round that is no proposal of the plan.
	var e wire.ErrorResponse
	if st := do(t, "GET", base+"/proposals?after=999999", p.FacilitatorToken, nil, &e); st != http.StatusBadRequest || e.Error.Field != "after" {
		t.Errorf("proposals?after=999999: %d %+v, want 400 about after", st, e)
	}
	for _, q := range []string{"limit=0", "limit=999999", "after=-1", "limit=x"} {
		var e wire.ErrorResponse
		field := strings.Split(q, "=")[0]
		if st := do(t, "GET", base+"/audit?"+q, p.FacilitatorToken, nil, &e); st != http.StatusBadRequest || e.Error.Field != field {
			t.Errorf("audit?%s: %d %+v, want 400 about %s", q, st, e, field)
		}
	}
}
