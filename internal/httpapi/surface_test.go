package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parecon/internal/httpapi"
)

// TestHTTPSurface: HEAD answers as GET does without a body; a known path
// with another method is 405 method_not_allowed; unknown /api paths and
// files are 404 in the JSON shape (a browser asking for a page gets a
// readable one); directories are not listed.
func TestHTTPSurface(t *testing.T) {
	g := newGuarded(t, httpapi.Options{CreatePerMinute: -1}, httpapi.ServerLimits{})
	var p created
	if st := do(t, "POST", g.URL+"/api/plans", "", `{"example":"bread-and-land"}`, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	tests := []struct {
		method, path string
		headers      []string
		status       int
		code         string // of the JSON error; "" for none
		body         string // the answer contains it
	}{
		{"HEAD", "/healthz", nil, 200, "", ""},
		{"HEAD", "/api/plans", nil, 200, "", ""},
		{"HEAD", "/api/examples", nil, 200, "", ""},
		{"HEAD", "/api/plans/" + p.ID, []string{"Authorization", "Bearer " + p.ObserverToken}, 200, "", ""},
		{"HEAD", "/api/plans/" + p.ID, nil, 401, "", ""},
		{"HEAD", "/", nil, 200, "", ""},
		{"HEAD", "/council.html", nil, 200, "", ""},
		{"GET", "/council.html", nil, 200, "", "<"},
		{"DELETE", "/api/plans", nil, 405, "method_not_allowed", ""},
		{"PUT", "/api/plans/" + p.ID + "/settings", nil, 405, "method_not_allowed", ""},
		{"GET", "/api/plans/" + p.ID + "/rounds/close", nil, 405, "method_not_allowed", ""},
		{"POST", "/healthz", nil, 405, "method_not_allowed", ""},
		{"GET", "/api/nope", nil, 404, "not_found", ""},
		{"POST", "/api/plans/" + p.ID + "/nope", nil, 404, "not_found", ""},
		{"GET", "/nope.js", nil, 404, "not_found", ""},
		{"GET", "/js/", nil, 404, "not_found", ""},
		{"GET", "/js", nil, 404, "not_found", ""},
		{"GET", "/vendor/", nil, 404, "not_found", ""},
		{"GET", "/vendor/uplot/", nil, 404, "not_found", ""},
		{"GET", "/css/", nil, 404, "not_found", ""},
		{"GET", "/council.html/", nil, 404, "not_found", ""},
		{"GET", "/nope.html", []string{"Accept", "text/html,*/*"}, 404, "", "Start page"},
		{"GET", "/js/", []string{"Accept", "text/html"}, 404, "", "no page /js"},
		{"GET", "/api/nope", []string{"Accept", "text/html"}, 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+strings.Join(tt.headers, " "), func(t *testing.T) {
			st, b, _ := request(t, tt.method, g.URL+tt.path, "", tt.headers...)
			if st != tt.status {
				t.Fatalf("%d %s, want %d", st, b, tt.status)
			}
			if tt.method == "HEAD" && len(b) != 0 {
				t.Fatalf("HEAD answered a body: %s", b)
			}
			if tt.code != "" {
				if code, msg, _ := errorOf(t, b); code != tt.code || msg == "" {
					t.Fatalf("%s %q, want %s", code, msg, tt.code)
				}
			}
			if !strings.Contains(string(b), tt.body) {
				t.Fatalf("answer %.200s lacks %q", b, tt.body)
			}
			if strings.Contains(string(b), "common.js") && strings.HasSuffix(tt.path, "/") {
				t.Fatalf("a directory is listed: %s", b)
			}
		})
	}
}

// TestDatabaseErrorsOnCreate reproduces "internal error" on a full or
// read-only disk: creating a plan then says 503 unavailable (read-only)
// or 507 insufficient_storage (full), /healthz is 503 while read-only and
// 200 again once writable, and the cause stays in the log.
func TestDatabaseErrorsOnCreate(t *testing.T) {
	ctx := context.Background()
	g := newGuarded(t, httpapi.Options{CreatePerMinute: -1}, httpapi.ServerLimits{})
	scen := wideScenario(200) // tens of kilobytes a plan
	create := func() (int, []byte) {
		st, b, _ := request(t, "POST", g.URL+"/api/plans", scen, "Content-Type", "application/json")
		return st, b
	}
	if err := g.st.Degrade(ctx, "query_only=1"); err != nil {
		t.Fatal(err)
	}
	st, b := create()
	if code, msg, _ := errorOf(t, b); st != 503 || code != "unavailable" || !strings.Contains(msg, "read-only") || strings.Contains(msg, "SQLITE") {
		t.Fatalf("read-only: %d %s", st, b)
	}
	if st, b, h := request(t, "GET", g.URL+"/healthz", ""); st != 503 || h.Get("Retry-After") == "" {
		t.Fatalf("healthz while read-only: %d %s", st, b)
	}
	if err := g.st.Degrade(ctx, "query_only=0"); err != nil {
		t.Fatal(err)
	}
	pages, err := g.st.PageCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.st.Degrade(ctx, fmt.Sprintf("max_page_count=%d", pages+2)); err != nil {
		t.Fatal(err)
	}
	st, b = create()
	if code, msg, _ := errorOf(t, b); st != 507 || code != "insufficient_storage" || !strings.Contains(msg, "full") {
		t.Fatalf("full: %d %s", st, b)
	}
	if err := g.st.Degrade(ctx, "max_page_count=1073741823"); err != nil {
		t.Fatal(err)
	}
	if st, b := create(); st != 201 {
		t.Fatalf("after the faults: %d %s", st, b)
	}
}
