package httpapi_test

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"parecon/internal/httpapi"
)

// TestCreateRateLimit reproduces the unbounded anonymous creation: one
// address gets its burst of plans and then 429 rate_limited with a
// Retry-After, while another address (named by X-Forwarded-For from a
// trusted proxy) still may; from an untrusted peer X-Forwarded-For is
// ignored.
func TestCreateRateLimit(t *testing.T) {
	_, loop, _ := net.ParseCIDR("127.0.0.0/8")
	for _, trusted := range []bool{false, true} {
		t.Run(fmt.Sprintf("trusted=%v", trusted), func(t *testing.T) {
			opt := httpapi.Options{CreatePerMinute: 1, CreateBurst: 3}
			if trusted {
				opt.TrustedProxies = []*net.IPNet{loop}
			}
			g := newGuarded(t, opt, httpapi.ServerLimits{})
			post := func(client string) (int, []byte, http.Header) {
				return request(t, "POST", g.URL+"/api/plans", `{"example":"bread-and-land"}`, "Content-Type", "application/json", "X-Forwarded-For", client)
			}
			for i := 0; i < 3; i++ {
				if st, b, _ := post("203.0.113.7"); st != http.StatusCreated {
					t.Fatalf("plan %d: %d %s", i, st, b)
				}
			}
			st, b, h := post("203.0.113.7")
			if st != http.StatusTooManyRequests {
				t.Fatalf("fourth plan: %d %s, want 429", st, b)
			}
			if code, _, _ := errorOf(t, b); code != "rate_limited" {
				t.Fatalf("fourth plan: %s", b)
			}
			if s, err := strconv.Atoi(h.Get("Retry-After")); err != nil || s < 1 || s > 60 {
				t.Fatalf("Retry-After %q", h.Get("Retry-After"))
			}
			st, _, _ = post("198.51.100.9")
			if want := map[bool]int{false: 429, true: 201}[trusted]; st != want {
				t.Fatalf("another client: %d, want %d", st, want)
			}
			if n := len(g.svc.List().Plans); n != map[bool]int{false: 3, true: 4}[trusted] {
				t.Fatalf("%d plans", n)
			}
		})
	}
}

// TestMaxPlans: with --max-plans 2 the third plan is refused with 507
// insufficient_storage, naming the flag.
func TestMaxPlans(t *testing.T) {
	g := newGuarded(t, httpapi.Options{MaxPlans: 2, CreatePerMinute: -1}, httpapi.ServerLimits{})
	for i, want := range []int{201, 201, 507, 507} {
		st, b, _ := request(t, "POST", g.URL+"/api/plans", `{"example":"bread-and-land"}`, "Content-Type", "application/json")
		if st != want {
			t.Fatalf("plan %d: %d %s, want %d", i, st, b, want)
		}
		if st == 507 {
			if code, msg, _ := errorOf(t, b); code != "insufficient_storage" || !strings.Contains(msg, "--max-plans") {
				t.Fatalf("plan %d: %s", i, b)
			}
		}
	}
	if n := len(g.svc.List().Plans); n != 2 {
		t.Fatalf("%d plans", n)
	}
}

// TestAdminTokenGuardsCreation: with --admin-token, creating a plan needs
// it, as a bearer token or ?token=; other tokens, a token in another
// header shape and none are 401, and nothing is created.
func TestAdminTokenGuardsCreation(t *testing.T) {
	g := newGuarded(t, httpapi.Options{AdminToken: "s3cret", CreatePerMinute: -1}, httpapi.ServerLimits{})
	tests := []struct {
		name   string
		query  string
		header []string
		status int
	}{
		{"none", "", nil, 401},
		{"wrong", "", []string{"Authorization", "Bearer s3cre"}, 401},
		{"longer", "", []string{"Authorization", "Bearer s3cret2"}, 401},
		{"not bearer", "", []string{"Authorization", "Basic s3cret"}, 401},
		{"empty bearer", "", []string{"Authorization", "Bearer "}, 401},
		{"bearer", "", []string{"Authorization", "Bearer s3cret"}, 201},
		{"query", "?token=s3cret", nil, 201},
	}
	want := 0
	for _, tt := range tests {
		st, b, _ := request(t, "POST", g.URL+"/api/plans"+tt.query, `{"example":"bread-and-land"}`, append([]string{"Content-Type", "application/json"}, tt.header...)...)
		if st != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, st, b, tt.status)
		}
		if st == 201 {
			want++
		} else if code, _, _ := errorOf(t, b); code != "unauthorized" {
			t.Errorf("%s: %s", tt.name, b)
		}
	}
	if n := len(g.svc.List().Plans); n != want {
		t.Fatalf("%d plans, want %d", n, want)
	}
}

// TestListPlansPaged reproduces the 16.7 MB plan list: GET /api/plans
// answers pages (newest first, next cursor) and cuts long names, so one
// answer stays small; bad parameters are 400 naming the field.
func TestListPlansPaged(t *testing.T) {
	g := newGuarded(t, httpapi.Options{CreatePerMinute: -1}, httpapi.ServerLimits{})
	long := strings.Repeat("é", 150) // 300 bytes of name
	named := strings.Replace(humanCrowd(1), `"name":"crowd"`, `"name":"`+long+`"`, 1)
	var ids []string
	for i := 0; i < 5; i++ {
		var c created
		if st := do(t, "POST", g.URL+"/api/plans", "", named, &c); st != http.StatusCreated {
			t.Fatalf("create %d: %d", i, st)
		}
		ids = append(ids, c.ID)
	}
	type page struct {
		Plans []struct{ ID, Name string }
		Next  string
	}
	var seen []string
	next := ""
	for pages := 0; ; pages++ {
		var pg page
		st, b, _ := request(t, "GET", g.URL+"/api/plans?limit=2&after="+next, "")
		if st != 200 {
			t.Fatalf("page %d: %d %s", pages, st, b)
		}
		if len(b) > 2*1024 {
			t.Fatalf("page %d is %d bytes", pages, len(b))
		}
		if err := jsonUnmarshal(b, &pg); err != nil {
			t.Fatal(err)
		}
		if len(pg.Plans) > 2 || len(pg.Plans) == 0 {
			t.Fatalf("page %d: %d plans", pages, len(pg.Plans))
		}
		for _, p := range pg.Plans {
			if len(p.Name) > 200 || !strings.HasSuffix(p.Name, "…") || !strings.HasPrefix(p.Name, "éé") {
				t.Fatalf("listed name %q", p.Name)
			}
			seen = append(seen, p.ID)
		}
		if pg.Next == "" {
			break
		}
		next = pg.Next
	}
	if len(seen) != 5 {
		t.Fatalf("the pages listed %v, want the 5 plans", seen)
	}
	got := map[string]bool{}
	for _, id := range seen {
		got[id] = true
	}
	for _, id := range ids {
		if !got[id] {
			t.Fatalf("plan %s not listed (%v)", id, seen)
		}
	}
	for _, q := range []struct{ query, field string }{{"limit=0", "limit"}, {"limit=501", "limit"}, {"limit=x", "limit"}, {"after=nope", "after"}} {
		st, b, _ := request(t, "GET", g.URL+"/api/plans?"+q.query, "")
		if code, _, field := errorOf(t, b); st != 400 || code != "invalid" || field != q.field {
			t.Errorf("?%s: %d %s, want 400 on %s", q.query, st, b, q.field)
		}
	}
}
