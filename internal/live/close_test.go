package live

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"

	"parecon/councils"
	"parecon/internal/wire"
)

// TestConcurrentClosesAdvanceOneRound: twenty facilitators closing round
// 0 at once advance the plan exactly one round; the others get conflict
// and change nothing, and closing round 0 again later is a conflict too.
func TestConcurrentClosesAdvanceOneRound(t *testing.T) {
	s, st := testService(t)
	p := create(t, s, crowd(3))
	zero := 0
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CloseRound(context.Background(), p.fac, p.ID, &zero, nil, "")
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case kind(err) != councils.Conflict:
			t.Fatalf("a close failed with %v, want conflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d closes succeeded, want 1", ok)
	}
	if v := view(t, s, p); v.Round != 1 {
		t.Fatalf("round %d after 20 closes of round 0, want 1", v.Round)
	}
	rounds, err := st.Rounds(context.Background(), p.ID)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("%d rounds stored (%v), want 2", len(rounds), err)
	}
	err = s.CloseRound(context.Background(), p.fac, p.ID, &zero, nil, "")
	if e := councils.AsError(err); e == nil || e.Kind != councils.Conflict || e.Field != "round" {
		t.Fatalf("closing round 0 again: %v, want a conflict about round", err)
	}
	two := 2
	if err := s.CloseRound(context.Background(), p.fac, p.ID, &two, nil, ""); kind(err) != councils.Conflict {
		t.Fatalf("closing round 2 before it opened: %v, want conflict", err)
	}
	if v := view(t, s, p); v.Round != 1 {
		t.Fatalf("round %d after the refused closes, want 1", v.Round)
	}
}

// TestRolesFromOneTable: the service methods refuse what the table does
// not allow, whoever calls them.
func TestRolesFromOneTable(t *testing.T) {
	s, _ := testService(t)
	p := create(t, s, crowd(2))
	obs := Principal{Plan: p.ID, Role: RoleObserver}
	council := p.council("h00")
	other := Principal{Plan: "elsewhere", Role: RoleFacilitator}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"observer closes", s.CloseRound(ctx, obs, p.ID, nil, nil, "")},
		{"council closes", s.CloseRound(ctx, council, p.ID, nil, nil, "")},
		{"another plan's facilitator closes", s.CloseRound(ctx, other, p.ID, nil, nil, "")},
		{"facilitator submits", s.Submit(ctx, p.fac, nil, wire.Submit{Round: 0, Proposal: []byte(`{}`)})},
		{"observer reads proposals", func() error { _, err := s.Proposals(ctx, obs, p.ID, Page{Round: -1}); return err }()},
		{"council reads the audit", func() error { _, err := s.Audit(ctx, council, p.ID, Page{}); return err }()},
		{"observer changes settings", func() error { _, err := s.SetRoundDeadline(ctx, obs, p.ID, 5, nil, ""); return err }()},
	} {
		if kind(tc.err) != councils.Forbidden {
			t.Errorf("%s: %v, want forbidden", tc.name, tc.err)
		}
	}
	for op, roles := range allowed {
		for _, r := range []string{RoleFacilitator, RoleCouncil, RoleObserver} {
			err := Principal{Plan: p.ID, Role: r}.May(p.ID, op)
			if want := strings.Contains(strings.Join(roles, ","), r); (err == nil) != want {
				t.Errorf("May(%s) for a %s: %v", op, r, err)
			}
		}
	}
}

// TestClosePanicStopsOnlyThatPlan: a panic while a round closes is
// recovered: that plan stops with a reason saying so, nothing of the
// close is stored, and the server goes on serving the other plans.
func TestClosePanicStopsOnlyThatPlan(t *testing.T) {
	s, st := testService(t)
	bad := create(t, s, crowd(2))
	good := create(t, s, crowd(2))
	setCloseHook(t, func(round int, row *wire.RoundRow) {
		if row.Round == 0 && len(row.Submitted) == 1 { // only bad's: good's humans submit
			panic("boom")
		}
	})
	err := s.CloseRound(context.Background(), bad.fac, bad.ID, nil, nil, "")
	if e := councils.AsError(err); e == nil || e.Kind != councils.Internal || !strings.Contains(e.Message, "boom") {
		t.Fatalf("the panicking close answered %v, want an internal error that names the panic", err)
	}
	v := view(t, s, bad)
	if v.Status != string(councils.StatusStopped) || !strings.Contains(v.Reason, "boom") || v.Round != 0 {
		t.Fatalf("after the panic: status %q reason %q round %d", v.Status, v.Reason, v.Round)
	}
	if err := submit(s, bad, "h00", 0, "x"); kind(err) != councils.Conflict {
		t.Fatalf("submitting to the stopped plan: %v, want conflict", err)
	}
	rounds, _ := st.Rounds(context.Background(), bad.ID)
	if len(rounds) != 1 || !rounds[0].Closed.IsZero() {
		t.Fatalf("the failed close was stored: %+v", rounds)
	}
	for _, id := range []string{"h00", "h01"} {
		if err := submit(s, good, id, 0, "r-"+id); err != nil {
			t.Fatalf("the other plan refused %s: %v", id, err)
		}
	}
	if v := waitRound(t, s, good, 1); v.Status != "open" {
		t.Fatalf("the other plan is %s", v.Status)
	}
}

// TestNonFiniteResultStopsThePlan: a close whose totals are not finite
// numbers stops the plan with a reason, before anything is stored (no
// NULL result), and the service keeps serving.
func TestNonFiniteResultStopsThePlan(t *testing.T) {
	s, st := testService(t)
	p := create(t, s, crowd(2))
	setCloseHook(t, func(round int, row *wire.RoundRow) { inf := math.Inf(1); row.Supply["bread"] = &inf })
	if err := s.CloseRound(context.Background(), p.fac, p.ID, nil, nil, ""); kind(err) != councils.Internal {
		t.Fatalf("close with an infinite total: %v, want internal", err)
	}
	v := view(t, s, p)
	if v.Status != "stopped" || !strings.Contains(v.Reason, "not finite") {
		t.Fatalf("status %q reason %q, want stopped for a non-finite result", v.Status, v.Reason)
	}
	rounds, _ := st.Rounds(context.Background(), p.ID)
	if len(rounds) != 1 || !rounds[0].Closed.IsZero() || rounds[0].Result != nil {
		t.Fatalf("a non-finite round was stored: %+v", rounds)
	}
	closeHook.Store(nil)
	q := create(t, s, crowd(1))
	if err := s.CloseRound(context.Background(), q.fac, q.ID, nil, nil, ""); err != nil {
		t.Fatalf("a new plan after the stop: %v", err)
	}
}

// TestServiceCloseStopsPlans: Close ends every plan goroutine; later
// calls answer that the server is shutting down.
func TestServiceCloseStopsPlans(t *testing.T) {
	s, _ := testService(t)
	p := create(t, s, crowd(1))
	pl, _ := s.plan(p.ID)
	s.Close()
	select {
	case <-pl.done:
	default:
		t.Fatal("the plan goroutine still runs after Close")
	}
	if _, err := s.Plan(context.Background(), p.fac, p.ID); err == nil {
		t.Fatal("a closed service answered a read")
	}
}

// waitRound waits until plan p's round is at least n.
func waitRound(t *testing.T, s *Service, p created, n int) wire.PlanView {
	t.Helper()
	for i := 0; i < 500; i++ {
		if v := view(t, s, p); v.Round >= n {
			return v
		}
		sleep()
	}
	t.Fatalf("plan %s did not reach round %d", p.ID, n)
	return wire.PlanView{}
}
