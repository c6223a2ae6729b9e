package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parecon/councils"
	"parecon/internal/examples"
	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/internal/wire"
	"parecon/planning"
)

// person is a human council on a websocket that plays its model, as a
// person following it would: each round it reads the prices and its
// budget from the frames, computes its proposal with the model (from its
// own standing proposal, for a council that adjusts part of the way) and
// submits it.
type person struct {
	econ  *councils.Economy // its own copy of the plan's economy
	c     int               // its index in the economy
	model councils.Model
	conn  *websocket.Conn
	// late reports whether the person submits round r only after the
	// round's deadline has passed (its stand-in answers for it then).
	late     func(r int) bool
	deadline time.Duration
	// standing is its standing proposal: what it last proposed, or what
	// its stand-in proposed for it (the same model, so the same thing).
	standing *planning.Proposal
	lnp      []float64
	round    int // the last round it proposed in
}

// frame is the part of a server frame a person reads.
type frame struct {
	Type   string             `json:"type"`
	Round  json.RawMessage    `json:"round"`
	Prices map[string]float64 `json:"prices"`
	Budget *float64           `json:"budget"`
	Reason string             `json:"reason"`
}

// prices returns m as a slice in the economy's goods order.
func (p *person) prices(m map[string]float64) ([]float64, error) {
	out := make([]float64, len(p.econ.Plan.Goods))
	for j, g := range p.econ.Plan.Goods {
		x, ok := m[g.ID]
		if !ok {
			return nil, fmt.Errorf("no price for %s", g.ID)
		}
		out[j] = x
	}
	return out, nil
}

// propose computes and sends the person's proposal for round.
func (p *person) propose(round int, prices []float64, budget float64) error {
	for j, x := range prices {
		p.lnp[j] = math.Log(x)
	}
	p.round = round
	pr := &planning.Proposal{}
	p.model.Propose(prices, p.lnp, budget, p.standing, pr)
	p.standing = pr
	if p.late != nil && p.late(round) {
		time.Sleep(p.deadline + p.deadline/2)
	}
	msg, err := wire.EncodeClient(wire.Submit{Ref: fmt.Sprint("r", round), Round: round, Proposal: councils.MarshalDoc(p.econ.Doc(p.c, pr))})
	if err != nil {
		return err
	}
	return p.conn.WriteMessage(websocket.TextMessage, msg)
}

// play reads the snapshot, then proposes in every round until the plan
// ends.
func (p *person) play() error {
	p.conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
	var snap struct {
		Type  string `json:"type"`
		Round struct {
			Number int                `json:"number"`
			Status string             `json:"status"`
			Prices map[string]float64 `json:"prices"`
			Budget *float64           `json:"budget"`
			Own    *struct {
				Proposal json.RawMessage `json:"proposal"`
				Fresh    bool            `json:"fresh"`
			} `json:"own"`
		} `json:"round"`
	}
	if err := p.conn.ReadJSON(&snap); err != nil {
		return err
	}
	if snap.Type != "snapshot" {
		return fmt.Errorf("first frame is %q, not a snapshot", snap.Type)
	}
	if snap.Round.Status != "open" {
		return nil
	}
	if own := snap.Round.Own; own != nil {
		// It connected late: its stand-in has played it in an earlier
		// round (its proposal is carried), or in this one as its deadline
		// closes it (fresh: nothing is left to propose in this round).
		var doc councils.ProposalDoc
		if err := json.Unmarshal(own.Proposal, &doc); err != nil {
			return err
		}
		pr, err := p.econ.ProposalFromDoc(p.c, &doc)
		if err != nil {
			return err
		}
		p.standing = pr
		if own.Fresh {
			p.round = snap.Round.Number
			return p.follow()
		}
	} else if snap.Round.Number > 0 {
		return fmt.Errorf("round %d: no standing proposal in the snapshot", snap.Round.Number)
	}
	prices, err := p.prices(snap.Round.Prices)
	if err != nil {
		return err
	}
	if err := p.propose(snap.Round.Number, prices, deref(snap.Round.Budget)); err != nil {
		return err
	}
	return p.follow()
}

// follow proposes in every round that opens until the plan ends.
func (p *person) follow() error {
	for {
		var f frame
		if err := p.conn.ReadJSON(&f); err != nil {
			return err
		}
		switch f.Type {
		case "round.opened":
			var r int
			if err := json.Unmarshal(f.Round, &r); err != nil {
				return err
			}
			if r <= p.round {
				continue // the round of the snapshot, announced as it connected
			}
			if r != p.round+1 {
				return fmt.Errorf("round %d opened after round %d: a round.opened is missing", r, p.round)
			}
			prices, err := p.prices(f.Prices)
			if err != nil {
				return err
			}
			if err := p.propose(r, prices, deref(f.Budget)); err != nil {
				return err
			}
		case "proposal.rejected":
			var r int
			json.Unmarshal(f.Round, &r)
			// With deadlines a round may close before a proposal
			// arrives, late on purpose or not: its stand-in, the same
			// model, answered for it. Without, nothing may be refused.
			if p.deadline == 0 || !(strings.Contains(f.Reason, "is not open") || strings.Contains(f.Reason, "no round is open")) {
				return fmt.Errorf("round %d: proposal rejected: %s", r, f.Reason)
			}
		case "plan.converged", "plan.stopped":
			return nil
		case "error":
			return fmt.Errorf("error frame: %s", f.Reason)
		}
	}
}

// deref is *x, or 0 for a frame without the field (a worker council's
// budget).
func deref(x *float64) float64 {
	if x == nil {
		return 0
	}
	return *x
}

// crowdCase is a scenario played live by people and headless by the
// same models.
type crowdCase struct {
	name     string
	scenario func(t *testing.T) []byte
	deadline time.Duration // 0: rounds close when every council is in
	// missing and late pick the councils that never connect and the ones
	// that submit round r after its deadline.
	missing func(c int) bool
	late    func(c, r int) bool
	// simulated picks the councils the server plays (nil: none).
	simulated func(c int) bool
}

// isSimulated reports whether the server plays council c.
func (tc crowdCase) isSimulated(c int) bool { return tc.simulated != nil && tc.simulated(c) }

func example(name string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		b, err := examples.Scenario(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

// peopleCrowd is a generated economy of 16 councils, shares of them given
// the behaviours of "Councils as people" (CES technology, Stone–Geary
// needs, adjusting part of the way, rounding).
func peopleCrowd(t *testing.T) []byte {
	sc, err := councils.Generate(councils.GenOptions{Goods: 4, Councils: 16, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if err := councils.AddPeople(sc, councils.PeopleOptions{Seed: 7, Substitution: 0.5, Subsistence: 0.5, Adjust: 0.5, RoundTo: 0.3, People: 0.5}); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPeopleLiveMatchHeadless plays plans whose every council (or every
// other, the server simulating the rest) is human, each person on a
// websocket proposing what its model says, and checks that the live plan
// goes through the same rounds as the headless run of
// the same models bit for bit: prices, supply, demand and gaps of every
// round, and the same outcome. With deadlines, the councils that are late
// or missing are played by their stand-ins, which are the same models, so
// the rounds are still the same.
func TestPeopleLiveMatchHeadless(t *testing.T) {
	never := func(int) bool { return false }
	cases := []crowdCase{
		{name: "economy-12/all-in", scenario: example("economy-12"), missing: never},
		{name: "economy-12-people/all-in", scenario: example("economy-12-people"), missing: never},
		{name: "generated-people/all-in", scenario: peopleCrowd, missing: never},
		{name: "economy-12-people/half-simulated", scenario: example("economy-12-people"), missing: never,
			simulated: func(c int) bool { return c%2 == 0 }},
		{name: "economy-12-people/deadline", scenario: example("economy-12-people"), deadline: 150 * time.Millisecond,
			missing: func(c int) bool { return c%5 == 1 }, late: func(c, r int) bool { return c%5 == 2 && r%3 == 1 }},
		{name: "generated-people/deadline", scenario: peopleCrowd, deadline: 150 * time.Millisecond,
			missing: func(c int) bool { return c%4 == 3 }, late: func(c, r int) bool { return c%4 == 0 && r%2 == 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.scenario(t)
			econ := economy(t, data)
			head, err := councils.Run(econ, councils.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !head.Converged {
				t.Fatalf("the headless run did not converge: %s", head.Reason)
			}
			if tc.deadline > 0 && head.Rounds > 60 {
				t.Fatalf("the headless run takes %d rounds: too many for a deadline test", head.Rounds)
			}

			ts := newServer(t, live.Options{RoundDeadline: tc.deadline}, hub.Options{})
			var ids, humans []string
			for c, cs := range econ.Plan.Councils {
				ids = append(ids, cs.ID)
				if !tc.isSimulated(c) {
					humans = append(humans, cs.ID)
				}
			}
			out, err := ts.svc.Create(context.Background(), live.CreateRequest{Scenario: data,
				Options: councils.LiveOptions{Humans: humans, StandIn: tc.deadline > 0}})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.CouncilTokens) != len(humans) {
				t.Fatalf("%d council tokens for %d human councils", len(out.CouncilTokens), len(humans))
			}
			var wg sync.WaitGroup
			errs := make([]error, len(ids))
			played := 0
			for c, id := range ids {
				if tc.missing(c) || tc.isSimulated(c) {
					continue
				}
				played++
				own := economy(t, data) // each person has its own model
				p := &person{econ: own, c: c, model: own.Models[c], deadline: tc.deadline, lnp: make([]float64, len(own.Plan.Goods))}
				if tc.late != nil {
					p.late = func(r int) bool { return tc.late(c, r) }
				}
				p.conn = dialToken(t, ts, out.ID, out.CouncilTokens[id])
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := p.play(); err != nil {
						errs[c] = fmt.Errorf("%s: %w", id, err)
					}
				}()
			}
			if played == 0 {
				t.Fatal("nobody plays")
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			fac := live.Principal{Plan: out.ID, Role: live.RoleFacilitator}
			rs, err := ts.svc.Rounds(context.Background(), fac, out.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameRounds(t, econ, head, rs.Rounds)
			v, err := ts.svc.Plan(context.Background(), fac, out.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != string(councils.StatusConverged) {
				t.Errorf("live plan is %s, the headless run converged", v.Status)
			}
			standIns(t, ts, out.ID, ids, tc, len(rs.Rounds))
		})
	}
}

// economy compiles a scenario.
func economy(t *testing.T, data []byte) *councils.Economy {
	t.Helper()
	sc, err := councils.ParseScenario(data)
	if err != nil {
		t.Fatal(err)
	}
	e, err := councils.NewEconomy(sc)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// sameRounds checks that the live rounds are the headless ones, bit for
// bit.
func sameRounds(t *testing.T, e *councils.Economy, head *councils.RunResult, got []wire.RoundRow) {
	t.Helper()
	var want []*planning.Round
	for _, r := range head.Board.Rounds() {
		if r.Closed {
			want = append(want, r)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("live plan closed %d rounds, the headless run %d", len(got), len(want))
	}
	var bad []string
	for k, w := range want {
		g := got[k]
		if g.Round != w.Number {
			t.Fatalf("row %d is round %d, want %d", k, g.Round, w.Number)
		}
		for j, good := range e.Plan.Goods {
			price := g.Prices[good.ID]
			for _, f := range []struct {
				name string
				got  *float64
				want float64
			}{{"price", &price, w.Prices[j]}, {"supply", g.Supply[good.ID], w.Supply[j]}, {"demand", g.Demand[good.ID], w.Demand[j]}, {"gap", g.Gaps[good.ID], w.Gap[j]}} {
				if f.got == nil || math.Float64bits(*f.got) != math.Float64bits(f.want) {
					bad = append(bad, fmt.Sprintf("round %d %s of %s: live %v, headless %v", w.Number, f.name, good.ID, f.got, f.want))
				}
			}
		}
		if g.MaxGap == nil || math.Float64bits(*g.MaxGap) != math.Float64bits(w.MaxGap) || g.Converged != w.Converged {
			bad = append(bad, fmt.Sprintf("round %d: live max gap %v converged %v, headless %v %v", w.Number, g.MaxGap, g.Converged, w.MaxGap, w.Converged))
		}
	}
	if len(bad) > 0 {
		if len(bad) > 10 {
			bad = append(bad[:10], fmt.Sprintf("… and %d more", len(bad)-10))
		}
		t.Fatalf("the live rounds differ from the headless ones:\n%s", strings.Join(bad, "\n"))
	}
}

// dialToken opens plan's websocket as token's holder.
func dialToken(t *testing.T, ts *testServer, plan, token string) *websocket.Conn {
	t.Helper()
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?plan="+plan, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// standIns checks who the stand-ins played: in every round each missing
// council and no one who submitted on time; none when rounds close only
// when every council is in.
func standIns(t *testing.T, ts *testServer, plan string, ids []string, tc crowdCase, rounds int) {
	t.Helper()
	ps, err := ts.st.Proposals(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]int{} // council → stand-ins
	for _, p := range ps {
		if p.Source == "standin" {
			by[p.Council]++
		}
	}
	lateStood := 0
	for c, id := range ids {
		if tc.late != nil && !tc.missing(c) && !tc.isSimulated(c) && by[id] > 0 {
			lateStood++
		}
		switch {
		case tc.deadline == 0 && by[id] > 0:
			t.Errorf("%s: %d stand-ins with no deadline", id, by[id])
		case tc.isSimulated(c) && by[id] > 0:
			t.Errorf("%s is simulated but has %d stand-ins", id, by[id])
		case tc.deadline > 0 && tc.missing(c) && by[id] != rounds:
			t.Errorf("%s never connects but its stand-in played %d of %d rounds", id, by[id], rounds)
		}
	}
	if tc.late != nil && lateStood == 0 {
		t.Error("no council that connects was ever stood in for: the late ones were not late")
	}
}
