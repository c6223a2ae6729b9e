package live

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/store"
	"parecon/internal/wire"
)

// testService returns a service over a fresh database, closed at the end
// of the test.
func testService(t testing.TB) (*Service, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hub.Options{})
	go h.Run()
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s := New(st, h, log, Options{})
	t.Cleanup(func() {
		s.Close()
		h.Shutdown(time.Second)
		st.Close()
	})
	return s, st
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// crowd is a plan with a simulated bakery and n human consumer councils
// h00, h01, …; tatonnement keeps each close cheap.
func crowd(n int) []byte {
	var cs []string
	cs = append(cs, `{"id":"bakery","type":"worker","output":"bread","scale":2,"inputs":{"labor":0.5,"land":0.3}}`)
	for i := 0; i < n; i++ {
		cs = append(cs, fmt.Sprintf(`{"id":"h%02d","type":"consumer","members":10,"hours":40}`, i))
	}
	return []byte(`{"name":"crowd","goods":[{"id":"labor","kind":"labor"},{"id":"land","kind":"resource","endowment":1000},{"id":"bread","kind":"produced","price":2}],` +
		`"councils":[` + strings.Join(cs, ",") + `],"facilitation":{"rule":"tatonnement","max_rounds":5000}}`)
}

// created is a plan made for a test and its principals.
type created struct {
	*wire.Created
	fac Principal
}

func create(t *testing.T, s *Service, scenario []byte) created {
	t.Helper()
	out, err := s.Create(context.Background(), CreateRequest{Scenario: scenario})
	if err != nil {
		t.Fatal(err)
	}
	return created{out, Principal{Plan: out.ID, Role: RoleFacilitator}}
}

func (c created) council(id string) Principal {
	return Principal{Plan: c.ID, Role: RoleCouncil, Council: id}
}

// submit sends council id's small request for round and waits for the
// acknowledgement (the client is not connected: the answer frame goes
// nowhere, and Submit returns once it was handed to the hub).
func submit(s *Service, p created, id string, round int, ref string) error {
	c := s.hub.NewClient(nil, p.ID, RoleCouncil, id)
	return s.Submit(context.Background(), p.council(id), c, wire.Submit{Ref: ref, Round: round, Proposal: []byte(`{"requests":{"bread":1}}`)})
}

func view(t *testing.T, s *Service, p created) wire.PlanView {
	t.Helper()
	v, err := s.Plan(context.Background(), p.fac, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func kind(err error) councils.ErrorKind { return councils.KindOf(err) }

func sleep() { time.Sleep(10 * time.Millisecond) }

// setCloseHook sets closeHook for the test.
func setCloseHook(t *testing.T, fn func(round int, row *wire.RoundRow)) {
	closeHook.Store(&fn)
	t.Cleanup(func() { closeHook.Store(nil) })
}
