package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parecon/internal/httpapi"
)

// errorOf decodes an error answer.
func errorOf(t *testing.T, b []byte) (code, message, field string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message, Field string }
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("not the error shape: %s", b)
	}
	return e.Error.Code, e.Error.Message, e.Error.Field
}

// TestCrossSiteRefused reproduces the cross-site plan creation (a
// text/plain POST from http://evil.example was created, 201) and checks
// every state-changing route refuses what a page of another site can
// send, while scripts, the server's own pages and allowed origins pass.
func TestCrossSiteRefused(t *testing.T) {
	g := newGuarded(t, httpapi.Options{AllowedOrigins: []string{"https://friend.example"}, CreatePerMinute: -1}, httpapi.ServerLimits{})
	var p created
	if st := do(t, "POST", g.URL+"/api/plans", "", `{"example":"bread-and-land"}`, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	host := strings.TrimPrefix(g.URL, "http://")
	plan := `{"example":"bread-and-land"}`
	settings := `{"roundDeadlineSeconds":0}`
	auth := "Bearer " + p.FacilitatorToken
	tests := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		code                     string
	}{
		{"the attack: text/plain from evil", "POST", "/api/plans", plan, []string{"Content-Type", "text/plain", "Origin", "http://evil.example"}, 403, "forbidden"},
		{"JSON from evil", "POST", "/api/plans", plan, []string{"Content-Type", "application/json", "Origin", "http://evil.example"}, 403, "forbidden"},
		{"form from evil", "POST", "/api/plans", plan, []string{"Content-Type", "application/x-www-form-urlencoded", "Origin", "http://evil.example"}, 403, "forbidden"},
		{"Sec-Fetch-Site cross-site", "POST", "/api/plans", plan, []string{"Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"}, 403, "forbidden"},
		{"Sec-Fetch-Site same-site", "POST", "/api/plans", plan, []string{"Content-Type", "application/json", "Sec-Fetch-Site", "same-site", "Origin", "http://sub." + host}, 403, "forbidden"},
		{"close from evil", "POST", "/api/plans/" + p.ID + "/rounds/close", "", []string{"Authorization", auth, "Origin", "http://evil.example"}, 403, "forbidden"},
		{"settings from evil", "PATCH", "/api/plans/" + p.ID + "/settings", settings, []string{"Authorization", auth, "Content-Type", "application/json", "Origin", "http://evil.example"}, 403, "forbidden"},
		{"text/plain without an origin", "POST", "/api/plans", plan, []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type"},
		{"no content type", "POST", "/api/plans", plan, nil, 415, "unsupported_media_type"},
		{"settings as a form", "PATCH", "/api/plans/" + p.ID + "/settings", settings, []string{"Authorization", auth, "Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"},
		{"script", "POST", "/api/plans", plan, []string{"Content-Type", "application/json"}, 201, ""},
		{"JSON with a charset", "POST", "/api/plans", plan, []string{"Content-Type", "application/json; charset=utf-8"}, 201, ""},
		{"own page", "POST", "/api/plans", plan, []string{"Content-Type", "application/json", "Origin", g.URL, "Sec-Fetch-Site", "same-origin"}, 201, ""},
		{"own page, old browser", "POST", "/api/plans", plan, []string{"Content-Type", "application/json", "Origin", g.URL}, 201, ""},
		{"allowed origin", "POST", "/api/plans", plan, []string{"Content-Type", "application/json", "Origin", "https://friend.example", "Sec-Fetch-Site", "cross-site"}, 201, ""},
		{"close, no body, own page", "POST", "/api/plans/" + p.ID + "/rounds/close", "", []string{"Authorization", auth, "Origin", g.URL}, 200, ""},
		{"GET from evil is a read", "GET", "/api/plans/" + p.ID, "", []string{"Authorization", auth, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(g.svc.List().Plans)
			st, b, _ := request(t, tt.method, g.URL+tt.path, tt.body, tt.headers...)
			if st != tt.status {
				t.Fatalf("%d %s, want %d", st, b, tt.status)
			}
			if tt.code != "" {
				code, msg, _ := errorOf(t, b)
				if code != tt.code || msg == "" {
					t.Fatalf("%s %q, want code %s", code, msg, tt.code)
				}
				if after := len(g.svc.List().Plans); after != before {
					t.Fatalf("a refused request created a plan (%d → %d)", before, after)
				}
			}
		})
	}
	// Websockets: another site's page may not open one, an allowed one may.
	ws := "ws" + strings.TrimPrefix(g.URL, "http") + "/ws?plan=" + p.ID + "&token=" + p.ObserverToken
	for _, tt := range []struct {
		origin string
		ok     bool
	}{{"", true}, {g.URL, true}, {"https://friend.example", true}, {"http://evil.example", false}} {
		h := http.Header{}
		if tt.origin != "" {
			h.Set("Origin", tt.origin)
		}
		c, resp, err := websocket.DefaultDialer.Dial(ws, h)
		if (err == nil) != tt.ok {
			t.Errorf("websocket from %q: err %v, want ok=%v", tt.origin, err, tt.ok)
		}
		if err != nil && resp != nil && resp.StatusCode != http.StatusForbidden {
			t.Errorf("websocket from %q: status %d, want 403", tt.origin, resp.StatusCode)
		}
		if c != nil {
			// Its snapshot first: the hub then serves it (a hub shut
			// down while a websocket is being registered races in the
			// hub itself).
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, _, err := c.ReadMessage(); err != nil {
				t.Errorf("websocket from %q: no snapshot: %v", tt.origin, err)
			}
			c.Close()
		}
	}
}

// TestParseOrigins: --allowed-origins takes scheme://host[:port] only.
func TestParseOrigins(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{"https://a.example", []string{"https://a.example"}, true},
		{" https://A.example:8443/ , http://b.example", []string{"https://a.example:8443", "http://b.example"}, true},
		{"a.example", nil, false},
		{"ftp://a.example", nil, false},
		{"https://a.example/path", nil, false},
		{"https://u@a.example", nil, false},
		{"https://", nil, false},
		{"https://a.example?x=1", nil, false},
	}
	for _, tt := range tests {
		got, err := httpapi.ParseOrigins(tt.in)
		if (err == nil) != tt.ok || strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("ParseOrigins(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "origin") {
			t.Errorf("ParseOrigins(%q): error %q does not say which origin", tt.in, err)
		}
	}
}

// FuzzParseOrigins: any flag value is accepted or refused with an error,
// and what is accepted parses again to itself.
func FuzzParseOrigins(f *testing.F) {
	for _, s := range []string{"", "https://a.example", "http://a:1,https://b", "x", "https://[::1]:80", "https://a.example/ ,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := httpapi.ParseOrigins(s)
		if err != nil {
			return
		}
		again, err := httpapi.ParseOrigins(strings.Join(got, ","))
		if err != nil || strings.Join(again, ",") != strings.Join(got, ",") {
			t.Fatalf("%q → %q → %q, %v", s, got, again, err)
		}
	})
}
