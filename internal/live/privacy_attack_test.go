package live

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"parecon/internal/wire"
	"parecon/planning"
)

// attackScenario is a plan made to leak: bread has one producer (a
// simulated bakery), veg four simulated farms, and every consumer council
// is human, so that without privacy a council submitting alone, joining
// late or changing one quantity shows in the totals to the last digit.
func attackScenario(privacy string) []byte {
	cs := []string{`{"id":"bakery","type":"worker","output":"bread","scale":2,"inputs":{"labor":0.5,"land":0.3}}`}
	for i := 0; i < 4; i++ {
		cs = append(cs, fmt.Sprintf(`{"id":"farm%d","type":"worker","output":"veg","scale":%g,"inputs":{"labor":0.6,"land":0.2}}`, i, 1.5+0.25*float64(i)))
	}
	for i := 0; i < 6; i++ {
		cs = append(cs, fmt.Sprintf(`{"id":"h%d","type":"consumer","members":10,"hours":40}`, i))
	}
	return []byte(`{"name":"attack","goods":[{"id":"labor","kind":"labor"},{"id":"land","kind":"resource","endowment":1000},` +
		`{"id":"bread","kind":"produced","price":2},{"id":"veg","kind":"produced","price":1}],` +
		`"councils":[` + strings.Join(cs, ",") + `],"facilitation":{"rule":"tatonnement","max_rounds":500,"privacy":` + privacy + `}}`)
}

// attackSchedule is who submits what in each round: a council alone in
// round 0, another alone in round 1, two together, nobody, one joining
// late, one changing a single quantity, another joining; then rounds in
// which only the simulated councils move.
var attackSchedule = []map[string]string{
	{"h0": `{"requests":{"bread":3.7,"veg":5.3}}`},
	{"h1": `{"requests":{"bread":2.9,"veg":4.4}}`},
	{"h2": `{"requests":{"bread":1.3,"veg":6.1}}`, "h3": `{"requests":{"bread":4.2,"veg":2.2}}`},
	{},
	{"h4": `{"requests":{"bread":2.5,"veg":3.3}}`},
	{"h0": `{"requests":{"bread":5.1,"veg":5.3}}`},
	{"h5": `{"requests":{"bread":1.9,"veg":7.7}}`},
	{}, {}, {},
	{"h1": `{"requests":{"bread":2.9,"veg":4.9}}`},
	{}, {},
}

// playAttack creates the plan and plays attackSchedule, closing every
// round as the facilitator.
func playAttack(t *testing.T, s *Service, privacy string) created {
	t.Helper()
	ctx := context.Background()
	p := create(t, s, attackScenario(privacy))
	for round, subs := range attackSchedule {
		for _, id := range sortedIDs(subs) {
			c := s.hub.NewClient(nil, p.ID, RoleCouncil, id)
			if err := s.Submit(ctx, p.council(id), c, wire.Submit{Ref: fmt.Sprintf("r%d", round), Round: round, Proposal: []byte(subs[id])}); err != nil {
				t.Fatalf("round %d: %s: %v", round, id, err)
			}
		}
		if err := s.CloseRound(ctx, p.fac, p.ID, &round, nil, ""); err != nil {
			t.Fatalf("closing round %d: %v", round, err)
		}
	}
	return p
}

func sortedIDs(m map[string]string) []string {
	var ids []string
	for id := range m {
		ids = append(ids, id)
	}
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if ids[j] < ids[i] {
				ids[i], ids[j] = ids[j], ids[i]
			}
		}
	}
	return ids
}

// side is one side of one good: "bread.supply".
type side struct {
	good   string
	supply bool
}

func (s side) String() string {
	if s.supply {
		return s.good + ".supply"
	}
	return s.good + ".demand"
}

func (s side) total(r wire.RoundRow) *float64 {
	if s.supply {
		return r.Supply[s.good]
	}
	return r.Demand[s.good]
}

// truth returns, per round, side and council, the council's true
// non-zero quantity on that side (what the attacker wants).
func truth(t *testing.T, s *Service, id string) []map[side]map[string]float64 {
	t.Helper()
	p, err := s.plan(id)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[side]map[string]float64
	p.call(context.Background(), func() {
		e := p.econ
		for _, r := range p.live.Board().Rounds() {
			if !r.Closed {
				continue
			}
			m := map[side]map[string]float64{}
			put := func(c int, l planning.Line, supply bool) {
				if l.Qty == 0 {
					return
				}
				sd := side{e.Plan.Goods[l.Good].ID, supply}
				if m[sd] == nil {
					m[sd] = map[string]float64{}
				}
				m[sd][e.Plan.Councils[c].ID] += l.Qty
			}
			for c, pr := range r.Proposals {
				if pr == nil {
					continue
				}
				for _, l := range pr.Out {
					put(c, l, true)
				}
				for _, l := range pr.In {
					put(c, l, false)
				}
			}
			out = append(out, m)
		}
	})
	return out
}

// attack is an observer that knows every row it was shown (totals, their
// changes, who submitted and whose proposal was carried) and which
// councils are human, and guesses councils' quantities:
//
//   - the total itself is any council's quantity (a good with one
//     producer, a council alone in a round);
//   - the total less an earlier total of the same side is the quantity
//     of the one human council that submitted in between, if only one did
//     (a council submitting alone, joining late, changing one quantity;
//     consecutive rounds and any two rounds).
//
// It returns the guesses that land within 10% of the true quantity.
func attack(rows []wire.RoundRow, humans map[string]bool, truth []map[side]map[string]float64) []string {
	var hits []string
	close10 := func(guess, q float64) bool { return math.Abs(guess-q) <= 0.1*math.Abs(q) }
	for b, rb := range rows {
		for sd, qs := range truth[b] {
			tb := sd.total(rb)
			if tb == nil {
				continue
			}
			for id, q := range qs {
				if close10(*tb, q) {
					hits = append(hits, fmt.Sprintf("round %d %s of %s = %v: the total is %v", b, sd, id, q, *tb))
				}
			}
			for a := 0; a < b; a++ {
				ta := sd.total(rows[a])
				if ta == nil {
					continue
				}
				changers := map[string]bool{}
				for _, r := range rows[a+1 : b+1] {
					for _, id := range r.Submitted {
						if humans[id] {
							changers[id] = true
						}
					}
				}
				if len(changers) != 1 {
					continue
				}
				d := *tb - *ta
				for id := range changers {
					if q, ok := qs[id]; ok && close10(d, q) {
						hits = append(hits, fmt.Sprintf("round %d %s of %s = %v: round %d's total less round %d's is %v", b, sd, id, q, b, a, d))
					}
				}
			}
		}
	}
	return hits
}

// TestPrivacyAttack: an observer that reads everything an observer may
// (GET /rounds, the CSV, GET /api/plans/{id}, the snapshot, which all
// agree) and attacks the totals cannot work out any council's quantity
// within 10%, while the same attack on the facilitator's full rows does;
// and the engine runs the same rounds, bit for bit, whatever the
// privacy setting.
func TestPrivacyAttack(t *testing.T) {
	ctx := context.Background()
	s, st := testService(t)
	p := playAttack(t, s, `{"k":3}`)
	obs := Principal{Plan: p.ID, Role: RoleObserver}
	pub, err := s.Rounds(ctx, obs, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	full, err := s.Rounds(ctx, p.fac, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	tr := truth(t, s, p.ID)
	humans := map[string]bool{}
	v, err := s.Plan(ctx, obs, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range v.Councils {
		humans[c.ID] = c.Human
	}
	if len(pub.Rounds) != len(attackSchedule) || len(tr) != len(pub.Rounds) {
		t.Fatalf("%d public rows, %d true rounds, want %d", len(pub.Rounds), len(tr), len(attackSchedule))
	}
	// The attack works on what a facilitator who sees all is shown (so
	// it is an attack), and fails on what observers are shown.
	hits := attack(full.Rounds, humans, tr)
	for _, want := range []string{"round 0 bread.supply of bakery", "round 0 veg.demand of h0", "round 1 veg.demand of h1", "round 4 veg.demand of h4"} {
		found := false
		for _, h := range hits {
			found = found || strings.HasPrefix(h, want)
		}
		if !found {
			t.Errorf("the attack on the full rows missed %s: it would not notice that leak (it found %d: %v)", want, len(hits), hits)
		}
	}
	if hits := attack(pub.Rounds, humans, tr); len(hits) > 0 {
		t.Fatalf("an observer worked out %d quantities within 10%%:\n%s", len(hits), strings.Join(hits[:min(len(hits), 10)], "\n"))
	}
	// Something is shown: veg (four farms) once enough consumers are in,
	// labour and land throughout; bread (one bakery) never.
	shown := map[string]int{}
	for _, r := range pub.Rounds {
		for g, x := range r.Supply {
			if x != nil && r.Demand[g] != nil {
				shown[g]++
			}
		}
		if _, ok := r.WithinTolerance["bread"]; !ok || r.Supply["bread"] != nil || r.Gaps["bread"] != nil {
			t.Errorf("round %d: bread, made by one bakery, is shown: %+v", r.Round, r)
		}
		if r.K != 3 || len(r.Withheld)%2 != 0 {
			t.Errorf("round %d: k %d, withheld %v", r.Round, r.K, r.Withheld)
		}
	}
	if shown["veg"] == 0 || shown["labor"] != len(pub.Rounds) || shown["land"] != len(pub.Rounds) || shown["bread"] != 0 {
		t.Errorf("rounds shown per good: %v", shown)
	}
	// Every public path shows the same: the CSV, the plan's view and the
	// snapshot's last round.
	checkPublicPaths(t, s, obs, p.ID, pub.Rounds)
	// A restart replays the same public rows.
	s2 := New(st, s.hub, s.log, Options{})
	if err := s2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := s2.Rounds(ctx, obs, p.ID)
	s2.Close()
	if a, b := mustJSON(t, again.Rounds), mustJSON(t, pub.Rounds); err != nil || a != b {
		t.Errorf("after a restart the public rows differ (%v):\n%s\n%s", err, a, b)
	}

	// The engine is the same whatever observers see: a plan with k 1
	// (everything shown) and one with the facilitator on aggregates run
	// the same rounds bit for bit.
	for _, privacy := range []string{`{"k":1}`, `{"k":5,"facilitator":"aggregates"}`} {
		q := playAttack(t, s, privacy)
		if got, want := fullRows(t, s, q.ID), fullRows(t, s, p.ID); got != want {
			t.Errorf("privacy %s changed the engine's rounds:\n%s\n%s", privacy, got, want)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fullRows returns plan id's full rows as JSON.
func fullRows(t *testing.T, s *Service, id string) string {
	p, err := s.plan(id)
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	p.call(context.Background(), func() { b, _ = json.Marshal(p.results) })
	return string(b)
}

// checkPublicPaths checks that the CSV, GET /api/plans/{id} and the
// snapshot show who the same as rows.
func checkPublicPaths(t *testing.T, s *Service, who Principal, id string, rows []wire.RoundRow) {
	t.Helper()
	ctx := context.Background()
	b, err := s.RoundsCSV(ctx, who, id)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cell := func(x *float64) string {
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'g', -1, 64)
	}
	for _, rec := range recs[1:] {
		n, _ := strconv.Atoi(rec[0])
		r, g := rows[n], rec[1]
		_, withheld := r.WithinTolerance[g]
		if rec[3] != cell(r.Supply[g]) || rec[4] != cell(r.Demand[g]) || rec[5] != cell(r.Gaps[g]) || rec[6] != cell(r.MaxGap) || rec[7] != strconv.FormatBool(withheld) {
			t.Errorf("csv row %v, /rounds row %d %s: %v %v %v %v", rec, n, g, cell(r.Supply[g]), cell(r.Demand[g]), cell(r.Gaps[g]), withheld)
		}
	}
	v, err := s.Plan(ctx, who, id)
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	lb, _ := json.Marshal([]any{last.Supply, last.Demand, last.Gaps, last.MaxGap, last.Withheld, last.WithinTolerance})
	vb, _ := json.Marshal([]any{v.Supply, v.Demand, v.Gaps, v.MaxGap, v.Withheld, v.WithinTolerance})
	if string(lb) != string(vb) {
		t.Errorf("GET /api/plans/{id} shows %s, the last row %s", vb, lb)
	}
	p, _ := s.plan(id)
	var snap wire.Snapshot
	p.call(ctx, func() { snap = p.snapshot(who) })
	lr := snap.LastRound
	sb, _ := json.Marshal([]any{lr.Supply, lr.Demand, lr.Gaps, lr.MaxGap, lr.Withheld, lr.WithinTolerance})
	if string(lb) != string(sb) {
		t.Errorf("the snapshot shows %s, the last row %s", sb, lb)
	}
}

// TestPrivacyRoles: who sees the full rows. A facilitator on "all" does;
// one on "aggregates", councils and observers see the public rows.
func TestPrivacyRoles(t *testing.T) {
	ctx := context.Background()
	s, _ := testService(t)
	for _, tt := range []struct {
		privacy string
		who     string
		full    bool
	}{
		{`{"k":3}`, RoleFacilitator, true},
		{`{"k":3}`, RoleObserver, false},
		{`{"k":3}`, RoleCouncil, false},
		{`{"k":3,"facilitator":"aggregates"}`, RoleFacilitator, false},
	} {
		p := create(t, s, attackScenario(tt.privacy))
		zero := 0
		if err := s.CloseRound(ctx, p.fac, p.ID, &zero, nil, ""); err != nil {
			t.Fatal(err)
		}
		who := Principal{Plan: p.ID, Role: tt.who}
		if tt.who == RoleCouncil {
			who.Council = "h0"
		}
		rows, err := s.Rounds(ctx, who, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		r := rows.Rounds[0]
		if got := r.Supply["bread"] != nil; got != tt.full {
			t.Errorf("%s %s: bread supply shown %v, want %v (%+v)", tt.privacy, tt.who, got, tt.full, r)
		}
		if tt.full != (len(r.Withheld) == 0) {
			t.Errorf("%s %s: withheld %v", tt.privacy, tt.who, r.Withheld)
		}
	}
}
