package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"parecon/councils"
	"parecon/internal/examples"
	"parecon/internal/hub"
	"parecon/internal/live"
	"parecon/planning"
	"parecon/planning/rules"
)

// e2eTolerance is the tight tolerance the end-to-end plan must reach.
const e2eTolerance = 1e-7

// pickScenario returns the first bundled scenario that converges headless
// under the default rule at e2eTolerance within maxRounds, so the live
// test runs on the fastest one the current default rule can do.
func pickScenario(t *testing.T, maxRounds int) (string, *councils.Economy) {
	for _, name := range []string{"economy-12", "bread-and-land", "fisher-small"} {
		data, err := examples.Scenario(name)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := councils.ParseScenario(data)
		if err != nil {
			t.Fatal(err)
		}
		e, err := councils.NewEconomy(sc)
		if err != nil {
			t.Fatal(err)
		}
		res, err := councils.Run(e, councils.RunOptions{Tolerance: e2eTolerance, MaxRounds: maxRounds})
		if err == nil && res.Converged {
			return name, e
		}
	}
	t.Fatalf("no bundled scenario converges under the default rule %q within %d rounds", rules.Default, maxRounds)
	return "", nil
}

// humanize returns the scenario's JSON with a tight tolerance and the
// models of the first three consumer councils removed: people (here, test
// clients) play them.
func humanize(t *testing.T, name string) ([]byte, []string) {
	data, _ := examples.Scenario(name)
	var sc map[string]any
	if err := json.Unmarshal(data, &sc); err != nil {
		t.Fatal(err)
	}
	fac, _ := sc["facilitation"].(map[string]any)
	if fac == nil {
		fac = map[string]any{}
	}
	fac["tolerance"] = e2eTolerance
	fac["max_rounds"] = 1000
	sc["facilitation"] = fac
	var humans []string
	for _, c := range sc["councils"].([]any) {
		c := c.(map[string]any)
		if c["type"] == "consumer" && len(humans) < 3 {
			delete(c, "weights")
			delete(c, "elasticity")
			humans = append(humans, c["id"].(string))
		}
	}
	if len(humans) < 3 {
		t.Fatalf("%s has fewer than three consumer councils", name)
	}
	out, _ := json.Marshal(sc)
	return out, humans
}

// TestEndToEnd plays a bundled scenario live over real websockets: three
// human councils are test clients that compute their proposals from the
// scenario's models, the rest are simulated in the server; rounds close as
// the last human submits; the plan converges and its final prices match
// the scenario's expected file within 1e-4 relative.
func TestEndToEnd(t *testing.T) {
	name, e := pickScenario(t, 400)
	scenario, humans := humanize(t, name)
	// The test's councils answer within microseconds, so rounds go by far
	// faster than people's; lift the flood limit meant for them.
	ts := newServer(t, live.Options{}, hub.Options{Rate: 1e4, Burst: 1e4})
	plan := ts.create(t, json.RawMessage(scenario))
	if len(plan.CouncilTokens) != 3 {
		t.Fatalf("council tokens for %v, want the three humans %v", plan.CouncilTokens, humans)
	}
	obs := ts.dial(t, plan.ID, plan.ObserverToken)
	if m, _ := obs.read(5 * time.Second); m.str("type") != "snapshot" {
		t.Fatalf("first frame %v, want a snapshot", m)
	}
	errs := make(chan error, len(humans))
	for _, id := range humans {
		conn := ts.dial(t, plan.ID, plan.CouncilTokens[id])
		c, _ := e.Council(id)
		go func() { errs <- playCouncil(conn.c, e, c) }()
	}
	var converged msg
	rounds := 0
	deadline := time.Now().Add(60 * time.Second)
	done := 0
	for converged == nil {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatalf("a council stopped: %v", err)
			}
			done++
		default:
		}
		m, raw := obs.read(time.Until(deadline))
		switch m.str("type") {
		case "round.closed":
			rounds++
		case "plan.converged":
			converged = m
		case "plan.stopped", "error":
			t.Fatalf("observer got %s", raw)
		case "proposal.received", "proposal.accepted":
			t.Fatalf("observer got an individual proposal: %s", raw)
		}
	}
	for ; done < len(humans); done++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var want struct{ Prices map[string]float64 }
	b, _ := examples.Expected(name)
	json.Unmarshal(b, &want)
	got := converged["prices"].(map[string]any)
	num := e.Plan.Goods[e.Plan.Numeraire].ID
	for g, w := range want.Prices {
		p := got[g].(float64) / got[num].(float64)
		wr := w / want.Prices[num]
		if math.Abs(p-wr) > 1e-4*math.Abs(wr) {
			t.Errorf("%s: price %.9g, want %.9g", g, p, wr)
		}
	}
	t.Logf("%s: converged live in %d rounds under %q with humans %v", name, rounds, rules.Default, humans)
	var pv struct{ Status string }
	do(t, "GET", ts.URL+"/api/plans/"+plan.ID, plan.ObserverToken, nil, &pv)
	if pv.Status != "converged" {
		t.Fatalf("plan status %q, want converged", pv.Status)
	}
}

// playCouncil is a human council played by its model: at every round it
// learns (snapshot, round.opened) it submits the model's proposal, until
// the plan converges.
func playCouncil(c *websocket.Conn, e *councils.Economy, council int) error {
	model := e.Models[council]
	id := e.Plan.Councils[council].ID
	n := len(e.Plan.Goods)
	propose := func(round int, prices map[string]any, budget float64) error {
		p, lnp := make([]float64, n), make([]float64, n)
		for j, g := range e.Plan.Goods {
			p[j] = prices[g.ID].(float64)
			lnp[j] = math.Log(p[j])
		}
		var pr planning.Proposal
		model.Propose(p, lnp, budget, nil, &pr)
		return c.WriteJSON(map[string]any{"type": "proposal.submit", "ref": fmt.Sprintf("%s-%d", id, round), "round": round, "proposal": e.Doc(council, &pr)})
	}
	for {
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, b, err := c.ReadMessage()
		if err != nil {
			return fmt.Errorf("%s: %v", id, err)
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		if err := dec.Decode(&m); err != nil {
			return err
		}
		switch m["type"] {
		case "snapshot":
			r := m["round"].(map[string]any)
			if err := propose(int(r["number"].(float64)), r["prices"].(map[string]any), r["budget"].(float64)); err != nil {
				return err
			}
		case "round.opened":
			if err := propose(int(m["round"].(float64)), m["prices"].(map[string]any), m["budget"].(float64)); err != nil {
				return err
			}
		case "proposal.rejected", "error", "plan.stopped":
			return fmt.Errorf("%s got %s", id, b)
		case "proposal.received":
			return fmt.Errorf("%s got another council's proposal: %s", id, b)
		case "plan.converged":
			return nil
		default:
			if strings.Contains(string(b), `"proposal":`) && m["type"] != "proposal.accepted" {
				return fmt.Errorf("%s got a frame with a proposal: %s", id, b)
			}
		}
	}
}
