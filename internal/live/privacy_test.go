package live

import (
	"context"
	"strings"
	"testing"

	"parecon/councils"
	"parecon/internal/wire"
)

// TestPrivacyAggregates: with the facilitator on aggregates, it may not
// read proposals (403 forbidden, saying why), the audit log keeps no
// proposal bodies or verdicts (not even of a refused attempt), while a
// council still reads its own.
func TestPrivacyAggregates(t *testing.T) {
	ctx := context.Background()
	s, _ := testService(t)
	p := create(t, s, attackScenario(`{"facilitator":"aggregates"}`))
	c := s.hub.NewClient(nil, p.ID, RoleCouncil, "h0")
	if err := s.Submit(ctx, p.council("h0"), c, wire.Submit{Ref: "a", Round: 0, Proposal: []byte(`{"requests":{"bread":3.25}}`)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(ctx, p.council("h0"), c, wire.Submit{Ref: "b", Round: 0, Proposal: []byte(`{"requests":{"bread":-7.75}}`)}); err != nil {
		t.Fatal(err)
	}
	zero := 0
	if err := s.CloseRound(ctx, p.fac, p.ID, &zero, nil, ""); err != nil {
		t.Fatal(err)
	}
	_, err := s.Proposals(ctx, p.fac, p.ID, Page{Round: -1})
	if e := councils.AsError(err); e.Kind != councils.Forbidden || !strings.Contains(e.Message, "private") {
		t.Errorf("facilitator's proposals: %v, want forbidden saying the plan keeps them private", err)
	}
	own, err := s.Proposals(ctx, p.council("h0"), p.ID, Page{Round: -1})
	if err != nil || len(own.Proposals) != 2 || !strings.Contains(string(own.Proposals[0].Proposal), "3.25") {
		t.Errorf("a council's own proposals: %+v, %v", own, err)
	}
	audit, err := s.Audit(ctx, p.fac, p.ID, Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range audit.Events {
		d := string(ev.Detail)
		for _, bad := range []string{"3.25", "7.75", `"proposal"`, "verdict", "cost", "prefix"} {
			if strings.Contains(d, bad) {
				t.Errorf("audit event %s keeps %q: %s", ev.Type, bad, d)
			}
		}
	}
	if len(audit.Events) < 4 {
		t.Errorf("%d audit events", len(audit.Events))
	}
}

// TestPrivacySettings: the facilitator may change k and its own view
// before round 0 closes, not after; bad values name their field; the
// setting survives a restart.
func TestPrivacySettings(t *testing.T) {
	ctx := context.Background()
	s, st := testService(t)
	p := create(t, s, attackScenario(`{}`))
	k := func(x float64) *float64 { return &x }
	str := func(x string) *string { return &x }
	for _, tt := range []struct {
		req   wire.PrivacyRequest
		field string
	}{
		{wire.PrivacyRequest{K: k(0)}, "privacy.k"},
		{wire.PrivacyRequest{K: k(2.5)}, "privacy.k"},
		{wire.PrivacyRequest{Facilitator: str("nobody")}, "privacy.facilitator"},
	} {
		_, err := s.SetPrivacy(ctx, p.fac, p.ID, tt.req)
		if e := councils.AsError(err); e.Kind != councils.Invalid || e.Field != tt.field {
			t.Errorf("%+v: %v, want invalid %s", tt.req, err, tt.field)
		}
	}
	if _, err := s.SetPrivacy(ctx, Principal{Plan: p.ID, Role: RoleObserver}, p.ID, wire.PrivacyRequest{K: k(1)}); kind(err) != councils.Forbidden {
		t.Errorf("an observer set privacy: %v", err)
	}
	out, err := s.SetPrivacy(ctx, p.fac, p.ID, wire.PrivacyRequest{K: k(1), Facilitator: str("aggregates")})
	if err != nil || out.Privacy == nil || *out.Privacy != (wire.PrivacySettings{K: 1, Facilitator: "aggregates"}) {
		t.Fatalf("set: %+v, %v", out, err)
	}
	zero := 0
	if err := s.CloseRound(ctx, p.fac, p.ID, &zero, nil, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetPrivacy(ctx, p.fac, p.ID, wire.PrivacyRequest{K: k(3)}); kind(err) != councils.Conflict {
		t.Errorf("set after round 0 closed: %v, want conflict", err)
	}
	// k 1 shows bread (one producer); after a restart too.
	check := func(s *Service, when string) {
		v, err := s.Plan(ctx, Principal{Plan: p.ID, Role: RoleObserver}, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Privacy != (wire.PrivacySettings{K: 1, Facilitator: "aggregates"}) || v.Supply["bread"] == nil || len(v.Withheld) != 0 {
			t.Errorf("%s: privacy %+v, bread supply %v, withheld %v", when, v.Privacy, v.Supply["bread"], v.Withheld)
		}
	}
	check(s, "before the restart")
	s2 := New(st, s.hub, s.log, Options{})
	if err := s2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	check(s2, "after the restart")
}

// TestPrivacyViewNaive: the view withholds, round after round, what a
// plain reading of the rule (maps of each council's contribution to each
// side, compared with the ones when the side was last shown) withholds,
// on generated economies at several k.
func TestPrivacyViewNaive(t *testing.T) {
	for _, k := range []int{2, 5, 40} {
		sc, err := councils.Generate(councils.GenOptions{Goods: 30, Councils: 400, Seed: uint64(k)})
		if err != nil {
			t.Fatal(err)
		}
		e, err := councils.NewEconomy(sc)
		if err != nil {
			t.Fatal(err)
		}
		lv, err := councils.NewProcess(e, councils.ProcessOptions{Rule: "tatonnement", Tolerance: 1e-300, MaxRounds: 100})
		if err != nil {
			t.Fatal(err)
		}
		pv := newPrivacy(e, councils.Privacy{K: k, Facilitator: "all"})
		type side struct {
			good   int
			supply bool
		}
		last := map[side]map[int]float64{} // at the side's last showing
		labour := map[side]int{}
		for _, c := range e.Plan.Councils {
			if c.Labor >= 0 && c.Hours != 0 {
				labour[side{c.Labor, true}]++
			}
		}
		withheld := 0
		for round := 0; round < 8; round++ {
			// Every third round some councils keep last round's proposal.
			if round%3 == 2 {
				prev := lv.Board().Rounds()[round-1]
				for c := 0; c < len(e.Plan.Councils); c += 7 {
					if prev.Proposals[c] != nil {
						lv.Accept(c, prev.Proposals[c])
					}
				}
			}
			res, err := lv.Close()
			if err != nil {
				t.Fatal(err)
			}
			now := map[side]map[int]float64{}
			for c, pr := range res.Closed.Proposals {
				if pr == nil {
					continue
				}
				for _, l := range pr.Out {
					if now[side{l.Good, true}] == nil {
						now[side{l.Good, true}] = map[int]float64{}
					}
					now[side{l.Good, true}][c] += l.Qty
				}
				for _, l := range pr.In {
					if now[side{l.Good, false}] == nil {
						now[side{l.Good, false}] = map[int]float64{}
					}
					now[side{l.Good, false}][c] += l.Qty
				}
			}
			passes := func(sd side) bool {
				crowd := labour[sd]
				for _, q := range now[sd] {
					if q != 0 {
						crowd++
					}
				}
				if crowd != 0 && crowd < k {
					return false
				}
				before, ok := last[sd]
				if !ok {
					return true
				}
				changed := 0
				for c, q := range now[sd] {
					if before[c] != q {
						changed++
					}
				}
				for c, q := range before {
					if _, still := now[sd][c]; !still && q != 0 {
						changed++
					}
				}
				return changed == 0 || changed >= k
			}
			var want []string
			for j, g := range e.Plan.Goods {
				s, d := side{j, true}, side{j, false}
				if passes(s) && passes(d) {
					last[s], last[d] = now[s], now[d]
					continue
				}
				want = append(want, g.ID+".supply", g.ID+".demand")
			}
			got := pv.public(e, res.Closed, result(e, res.Closed))
			if strings.Join(got.Withheld, ",") != strings.Join(want, ",") {
				t.Fatalf("k %d round %d: withheld %v, the rule says %v", k, round, got.Withheld, want)
			}
			withheld += len(want)
		}
		if withheld == 0 && k == 40 {
			t.Errorf("k %d withheld nothing: the test compares nothing", k)
		}
	}
}
