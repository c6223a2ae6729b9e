package httpapi_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parecon/internal/httpapi"
	"parecon/internal/hub"
	"parecon/internal/live"
)

// TestBadBodies: malformed and oversized bodies get 400/413 in the error
// shape, a bad scenario names the field, unknown routes answer JSON too.
func TestBadBodies(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{})
	p := mixedPlan(t, ts)
	tests := []struct {
		name, method, path, token string
		body                      []byte
		status                    int
		code, field               string
	}{
		{"malformed scenario", "POST", "/api/plans", "", []byte(`{"goods": [`), 400, "invalid", ""},
		{"empty body", "POST", "/api/plans", "", nil, 400, "invalid", ""},
		{"bad scenario", "POST", "/api/plans", "", []byte(`{"goods":[{"id":"a","kind":"gold"}],"councils":[]}`), 400, "invalid", "goods[0].kind"},
		{"unknown example", "POST", "/api/plans", "", []byte(`{"example":"atlantis"}`), 400, "invalid", "example"},
		{"example not a string", "POST", "/api/plans", "", []byte(`{"example":7}`), 400, "invalid", "example"},
		{"huge scenario", "POST", "/api/plans", "", bytes.Repeat([]byte(" "), 16<<20+1), 413, "too_large", ""},
		{"malformed settings", "PATCH", "/api/plans/" + p.ID + "/settings", p.FacilitatorToken, []byte(`{"roundDeadlineSeconds":`), 400, "invalid", ""},
		{"negative deadline", "PATCH", "/api/plans/" + p.ID + "/settings", p.FacilitatorToken, []byte(`{"roundDeadlineSeconds":-1}`), 400, "invalid", "roundDeadlineSeconds"},
		{"unknown setting", "PATCH", "/api/plans/" + p.ID + "/settings", p.FacilitatorToken, []byte(`{"colour":"red"}`), 400, "invalid", ""},
		{"settings with trailing garbage", "PATCH", "/api/plans/" + p.ID + "/settings", p.FacilitatorToken, []byte(`{"roundDeadlineSeconds":5} {"roundDeadlineSeconds":0}`), 400, "invalid", ""},
		{"close with trailing garbage", "POST", "/api/plans/" + p.ID + "/rounds/close", p.FacilitatorToken, []byte(`{"round":0}x`), 400, "invalid", ""},
		{"huge settings", "PATCH", "/api/plans/" + p.ID + "/settings", p.FacilitatorToken, append([]byte(`{"roundDeadlineSeconds":1`), bytes.Repeat([]byte(" "), 70<<10)...), 413, "too_large", ""},
		{"bad round", "GET", "/api/plans/" + p.ID + "/proposals?round=x", p.FacilitatorToken, nil, 400, "invalid", "round"},
		{"unknown route", "GET", "/api/nothing", "", nil, 404, "not_found", ""},
		{"no plan param", "GET", "/ws", p.FacilitatorToken, nil, 400, "invalid", "plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out struct {
				Error struct{ Code, Message, Field string }
			}
			var body any
			if tt.body != nil {
				body = tt.body
			}
			st := do(t, tt.method, ts.URL+tt.path, tt.token, body, &out)
			if st != tt.status || out.Error.Code != tt.code || out.Error.Field != tt.field || out.Error.Message == "" {
				t.Fatalf("%d %+v, want %d %s field %q", st, out.Error, tt.status, tt.code, tt.field)
			}
		})
	}
	// The plan that was there is still served.
	if st := do(t, "GET", ts.URL+"/api/plans/"+p.ID, p.ObserverToken, nil, &map[string]any{}); st != 200 {
		t.Fatalf("after bad bodies: %d", st)
	}
}

// TestBadFrames: frames that are not JSON, of an unknown type, missing a
// field, binary or over 64 KiB get an error frame and the connection
// stays open; proposals that fail their checks get proposal.rejected with
// the field; a message over 1 MiB closes with 1009, a flood with 1008;
// another client is unaffected throughout.
func TestBadFrames(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{Rate: 50, Burst: 60})
	p := mixedPlan(t, ts)
	north := ts.dial(t, p.ID, p.CouncilTokens["north"])
	bystander := ts.dial(t, p.ID, p.ObserverToken)
	north.read(5 * time.Second)
	bystander.read(5 * time.Second)
	alive := func(w *wsConn, who string) {
		t.Helper()
		w.send(`{"type":"ping","ref":"alive"}`)
		if m := w.until("pong", 5*time.Second); m.str("ref") != "alive" {
			t.Fatalf("%s: pong %v", who, m)
		}
	}
	tests := []struct {
		name, frame string
		typ         string // error or proposal.rejected
		code, field string
	}{
		{"not json", `hello`, "error", "invalid", ""},
		{"json array", `[1,2]`, "error", "invalid", ""},
		{"unknown type", `{"type":"round.open","ref":"u"}`, "error", "invalid", "type"},
		{"no round", `{"type":"proposal.submit","ref":"r","proposal":{}}`, "error", "invalid", "round"},
		{"too large", `{"type":"ping","ref":"` + strings.Repeat("x", 70<<10) + `"}`, "error", "too_large", ""},
		{"stale round", `{"type":"proposal.submit","ref":"s","round":7,"proposal":{"requests":{"bread":1}}}`, "proposal.rejected", "", "round"},
		{"negative", `{"type":"proposal.submit","ref":"n","round":0,"proposal":{"requests":{"bread":-1}}}`, "proposal.rejected", "", "requests.bread"},
		{"unknown good", `{"type":"proposal.submit","ref":"g","round":0,"proposal":{"requests":{"cake":1}}}`, "proposal.rejected", "", "requests.cake"},
		{"worker fields", `{"type":"proposal.submit","ref":"w","round":0,"proposal":{"outputs":{"bread":1}}}`, "proposal.rejected", "", "outputs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			north.send(tt.frame)
			m := north.until(tt.typ, 5*time.Second)
			if tt.code != "" && m.str("code") != tt.code || m.str("field") != tt.field {
				t.Fatalf("got %v, want %s %s field %q", m, tt.typ, tt.code, tt.field)
			}
			alive(north, "north")
		})
	}
	// A binary frame.
	if err := north.c.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if m := north.until("error", 5*time.Second); m.str("code") != "invalid" {
		t.Fatalf("binary frame: %v", m)
	}
	alive(north, "north")
	alive(bystander, "observer")

	// Over 1 MiB: closed with 1009.
	big := ts.dial(t, p.ID, p.ObserverToken)
	big.read(5 * time.Second)
	big.c.WriteMessage(websocket.TextMessage, bytes.Repeat([]byte("x"), 2<<20))
	if err := readUntilClose(big.c); !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
		t.Fatalf("over 1 MiB: %v, want close 1009", err)
	}
	// A flood: closed with 1008; the bystander is unaffected.
	flood := ts.dial(t, p.ID, p.ObserverToken)
	flood.read(5 * time.Second)
	for i := 0; i < 200; i++ {
		if flood.c.WriteMessage(websocket.TextMessage, []byte(`nonsense`)) != nil {
			break
		}
	}
	if err := readUntilClose(flood.c); !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Fatalf("flood: %v, want close 1008", err)
	}
	alive(bystander, "observer")
	alive(north, "north")
	// Nothing of the rejected proposals was stored as a proposal.
	var props struct{ Proposals []map[string]any }
	do(t, "GET", ts.URL+"/api/plans/"+p.ID+"/proposals", p.FacilitatorToken, nil, &props)
	for _, pr := range props.Proposals {
		if pr["councilId"] == "north" && pr["status"] != "rejected" {
			t.Fatalf("a rejected proposal was stored: %v", pr)
		}
	}
	if st := do(t, "GET", ts.URL+"/healthz", "", nil, &map[string]any{}); st != http.StatusOK {
		t.Fatalf("healthz %d", st)
	}
}

// readUntilClose reads until the connection ends and returns why.
func readUntilClose(c *websocket.Conn) error {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			return err
		}
	}
}

// TestAdminToken: with an admin token configured, creating a plan needs it.
func TestAdminToken(t *testing.T) {
	ts := newServer(t, live.Options{}, hub.Options{})
	ts.srv.Config.Handler = httpapi.New(ts.svc, nil, httpapi.Options{AdminToken: "s3cret"})
	for _, tt := range []struct {
		token  string
		status int
	}{{"", 401}, {"wrong", 401}, {"s3cret", 201}} {
		if st := do(t, "POST", ts.URL+"/api/plans", tt.token, `{"example":"bread-and-land"}`, &map[string]any{}); st != tt.status {
			t.Errorf("token %q: %d, want %d", tt.token, st, tt.status)
		}
	}
}
