package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/internal/store"
)

// TestAuthenticateMiddleware: the middleware authenticates the token once
// (header first, then ?token=) and keeps the principal or the error in
// the context, refusing nothing itself; live then authorizes the
// operation by its one table (Principal.May).
func TestAuthenticateMiddleware(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := hub.New(hub.Options{})
	go h.Run()
	defer h.Shutdown(0)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := live.New(st, h, log, live.Options{})
	defer svc.Close()
	p, cerr := svc.Create(ctx, live.CreateRequest{Example: "bread-and-land"})
	if cerr != nil {
		t.Fatal(cerr)
	}
	a := &api{svc: svc, log: log}
	e := echo.New()
	tests := []struct {
		name, header, query string
		op                  live.Op
		kind                councils.ErrorKind // "" = authorized
		role                string
	}{
		{"facilitator by header", "Bearer " + p.FacilitatorToken, "", live.OpClose, "", live.RoleFacilitator},
		{"observer by query", "", p.ObserverToken, live.OpRead, "", live.RoleObserver},
		{"header wins over query", "Bearer " + p.ObserverToken, p.FacilitatorToken, live.OpClose, councils.Forbidden, ""},
		{"no token", "", "", live.OpRead, councils.Unauthorized, ""},
		{"unknown token", "Bearer nope", "", live.OpRead, councils.Unauthorized, ""},
		{"not bearer", "Basic " + p.FacilitatorToken, p.FacilitatorToken, live.OpRead, councils.Unauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/api/plans/"+p.ID+"?token="+tt.query, nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			c := e.NewContext(req, httptest.NewRecorder())
			var who live.Principal
			var err error
			reached := false
			h := a.authenticate(func(c echo.Context) error {
				reached = true
				if _, ok := c.Get(principalKey).(authn); !ok {
					t.Fatal("no principal kept in the context")
				}
				if who, err = a.authenticated(c); err == nil {
					err = who.May(p.ID, tt.op)
				}
				return nil
			})
			if herr := h(c); herr != nil || !reached {
				t.Fatalf("the middleware refused (%v) or did not call the handler", herr)
			}
			if councils.KindOf(err) != tt.kind || (tt.kind == "" && err != nil) {
				t.Fatalf("principal: %v, want kind %q", err, tt.kind)
			}
			if tt.kind == "" && (who.Role != tt.role || who.Plan != p.ID) {
				t.Fatalf("principal %+v, want %s of %s", who, tt.role, p.ID)
			}
		})
	}
	// Another plan's id with a right token: forbidden.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+p.FacilitatorToken)
	c := e.NewContext(req, httptest.NewRecorder())
	who, err := a.authenticated(c)
	if err == nil {
		err = who.May("another", live.OpClose)
	}
	if councils.KindOf(err) != councils.Forbidden {
		t.Fatalf("another plan without the middleware: %v", err)
	}
}
