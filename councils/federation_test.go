package councils

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"parecon/planning"
	"strings"
	"testing"
)

// federated is a small economy with a federation tree; each test case
// replaces its "federations".
const federatedHead = `{"name": "fed", "goods": [
  {"id": "labor", "kind": "labor"}, {"id": "land", "kind": "resource", "endowment": 100},
  {"id": "co2", "kind": "pollutant", "endowment": 10},
  {"id": "food", "kind": "produced"}, {"id": "parks", "kind": "produced"}],
 "councils": [
  {"id": "farm", "type": "worker", "output": "food", "scale": 2, "inputs": {"labor": 0.5, "land": 0.2}},
  {"id": "parkers", "type": "worker", "output": "parks", "scale": 1, "inputs": {"labor": 0.5}},
  {"id": "a", "type": "consumer", "members": 10, "weights": {"food": 0.8, "land": 0.2}},
  {"id": "b", "type": "consumer", "members": 30, "weights": {"food": 1}},
  {"id": "c", "type": "consumer", "members": 60, "weights": {"food": 1}}],
 "federations": `

func TestFederationErrors(t *testing.T) {
	cases := []struct{ name, feds, field, says string }{
		{"duplicate id", `[{"id": "x"}, {"id": "x"}]`, "federations[1].id", "duplicate federation id"},
		{"council's id", `[{"id": "a"}]`, "federations[0].id", "unique across councils and federations"},
		{"bad id", `[{"id": "X Y"}]`, "federations[0].id", "not an id"},
		{"unknown parent", `[{"id": "x", "parent": "nowhere"}]`, "federations[0].parent", "unknown federation"},
		{"council as parent", `[{"id": "x", "parent": "a"}]`, "federations[0].parent", "is a council"},
		{"self parent", `[{"id": "x", "parent": "x"}]`, "federations[0].parent", "cycle: x → x"},
		{"cycle", `[{"id": "x", "parent": "z"}, {"id": "y", "parent": "x"}, {"id": "z", "parent": "y"}]`,
			"federations[0].parent", "cycle: x → z → y → x"},
		{"unknown member", `[{"id": "x", "members": ["a", "nobody"]}]`, "federations[0].members[1]", "unknown council"},
		{"federation member", `[{"id": "x"}, {"id": "y", "members": ["x"]}]`, "federations[1].members[0]", "is a federation"},
		{"two federations", `[{"id": "x", "members": ["a"]}, {"id": "y", "members": ["b", "a"]}]`,
			"federations[1].members[1]", "already a member at federations[0].members[0]"},
		{"twice in one", `[{"id": "x", "members": ["a", "a"]}]`, "federations[0].members[1]", "already a member"},
		{"levy 1", `[{"id": "x", "levy": 1}]`, "federations[0].levy", "[0, 1)"},
		{"levies along a chain", `[{"id": "city", "levy": 0.6, "weights": {"food": 1}},
			{"id": "ward", "parent": "city", "levy": 0.3, "weights": {"food": 1}},
			{"id": "nb", "parent": "ward", "members": ["a"], "levy": 0.1, "weights": {"food": 1}}]`,
			"federations[2].levy", "nb → ward → city sum to 1"},
		{"weights sum", `[{"id": "x", "levy": 0.1, "weights": {"food": 0.5}}]`, "federations[0].weights", "sum to 1"},
		{"labour weight", `[{"id": "x", "levy": 0.1, "weights": {"labor": 1}}]`, "federations[0].weights.labor", "produced goods and resources"},
		{"pollutant weight", `[{"id": "x", "levy": 0.1, "weights": {"co2": 1}}]`, "federations[0].weights.co2", "produced goods and resources"},
		{"unknown good", `[{"id": "x", "levy": 0.1, "weights": {"gold": 1}}]`, "federations[0].weights.gold", "unknown good"},
		{"human with elasticity", `[{"id": "x", "levy": 0.1, "elasticity": 2}]`, "federations[0].elasticity", "human federation"},
		{"adjust", `[{"id": "x", "levy": 0.1, "weights": {"food": 1}, "adjust": 2}]`, "federations[0].adjust", "(0, 1]"},
		{"round_to", `[{"id": "x", "levy": 0.1, "weights": {"food": 1}, "round_to": 16}]`, "federations[0].round_to", "1 to 15"},
		{"unknown field", `[{"id": "x", "budget": 3}]`, "federations[0].budget", "unknown field"},
		{"not an array", `{"id": "x"}`, "federations", "want an array"},
		{"members not strings", `[{"id": "x", "members": [1]}]`, "federations[0].members[0]", "want a string"},
		{"negative levy", `[{"id": "x", "levy": -0.1}]`, "federations[0].levy", "negative"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseScenario([]byte(federatedHead + tc.feds + "}"))
			ps, ok := err.(Problems)
			if !ok {
				t.Fatalf("got %v, want problems", err)
			}
			for _, p := range ps {
				if p.Path == tc.field && strings.Contains(p.Message, tc.says) {
					return
				}
			}
			t.Errorf("got %v, want %s: …%s…", ps, tc.field, tc.says)
		})
	}
}

// TestFederationBudgets checks the budgets against the spec's formulas,
// worked by hand, and that they add up to the pool in every round.
func TestFederationBudgets(t *testing.T) {
	e := mustEconomy(t, mustParse(t, federatedHead+`[
	  {"id": "city", "name": "Town", "levy": 0.1, "weights": {"parks": 1}},
	  {"id": "east", "parent": "city", "members": ["a", "b", "farm"], "levy": 0.05},
	  {"id": "west", "parent": "city", "members": ["c", "parkers"]}]}`))
	// s = 0.1, 0.3, 0.6. a and b pay 0.15, c 0.1.
	want := map[string]float64{"a": 0.1 * 0.85, "b": 0.3 * 0.85, "c": 0.6 * 0.9, "city": 0.1, "east": 0.05 * 0.4}
	for id, s := range want {
		c, ok := e.Council(id)
		if !ok {
			t.Fatalf("no proposer %q", id)
		}
		if got := e.Plan.Councils[c].Share; math.Abs(got-s) > 1e-15 {
			t.Errorf("%s's share is %v, want %v", id, got, s)
		}
	}
	if _, ok := e.Council("west"); ok {
		t.Error("west has no levy but is a proposer")
	}
	if len(e.Plan.Councils) != 7 || e.Humans()[0] != 6 {
		t.Fatalf("want 5 councils and 2 federations, east human; got %d, humans %v", len(e.Plan.Councils), e.Humans())
	}
	if f := e.Federations[1]; f.Parent != 0 || len(f.Councils) != 3 || e.Federations[0].Children[1] != 2 || len(e.Federations[0].Councils) != 5 {
		t.Errorf("tree: %+v", e.Federations)
	}
	p, err := NewProcess(e, ProcessOptions{StandIn: false})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		r := p.Round()
		sum := 0.0
		for _, b := range r.Budgets {
			sum += b
		}
		if math.Abs(sum-r.Pool) > 1e-12*r.Pool {
			t.Errorf("round %d: budgets sum to %v, pool %v", r.Number, sum, r.Pool)
		}
		if b, _ := e.Collective(r, 0); b != (&planning.Council{Share: 0.1}).Budget(r.Levy, r.Pool) {
			t.Errorf("round %d: city's budget %v, want %v", r.Number, b, 0.1*r.Pool)
		}
		if b, req := e.Collective(r, 0); math.Abs(req["parks"]*r.Prices[4]-b) > 1e-9*b {
			t.Errorf("round %d: city requests %v parks for %v", r.Number, req, b)
		}
		if _, err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFederationCity runs the bundled federation-city economy to 1e-6
// with the default rule and compares its prices with the independently
// solved equilibrium.
func TestFederationCity(t *testing.T) {
	e, err := loadExample(t, "federation-city")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged {
		t.Fatalf("not converged in %d rounds: %s", res.Rounds, res.Reason)
	}
	data, err := os.ReadFile("../internal/examples/scenarios/federation-city.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct{ Prices, Supply map[string]float64 }
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	last := res.Last()
	num := e.Plan.Numeraire
	for j, g := range e.Plan.Goods {
		got := last.Prices[j] / last.Prices[num]
		if w := want.Prices[g.ID]; math.Abs(got-w) > 1e-4*w {
			t.Errorf("price of %s: %v, want %v", g.ID, got, w)
		}
		if w := want.Supply[g.ID]; math.Abs(last.Supply[j]-w) > 1e-4*w {
			t.Errorf("supply of %s: %v, want %v", g.ID, last.Supply[j], w)
		}
	}
}

// TestFederationBehaviours: a federation that rounds requests to 2
// significant figures, and one that moves half the way, as "Councils as
// people" says for any council or federation.
func TestFederationBehaviours(t *testing.T) {
	e := mustEconomy(t, mustParse(t, federatedHead+`[
	  {"id": "city", "levy": 0.1, "weights": {"parks": 1}, "round_to": 2},
	  {"id": "east", "parent": "city", "members": ["a", "b", "farm"], "levy": 0.05, "weights": {"food": 1}, "adjust": 0.5}]}`))
	p, err := NewProcess(e, ProcessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var prevEast float64
	for round := range 6 {
		r := p.Round()
		b, req := e.Collective(r, 0)
		exact := b / r.Prices[4]
		if want := RoundSig(exact, 2, false); req["parks"] != want {
			t.Errorf("round %d: city requests %v parks, want %v (%v rounded down)", round, req["parks"], want, exact)
		}
		eb, ereq := e.Collective(r, 1)
		star := eb / r.Prices[3]
		want := star
		if round > 0 {
			want = prevEast + 0.5*(star-prevEast)
			if cost := want * r.Prices[3]; cost > eb {
				want = eb / r.Prices[3]
			}
		}
		if math.Abs(ereq["food"]-want) > 1e-12*want {
			t.Errorf("round %d: east requests %v food, want %v (answer %v, before %v)", round, ereq["food"], want, star, prevEast)
		}
		prevEast = ereq["food"]
		cr, err := p.Close()
		if err != nil {
			t.Fatal(err)
		}
		if cr.Status != StatusOpen {
			if round < 2 {
				t.Fatalf("the plan ended after round %d: %s", round, cr.Status)
			}
			break
		}
	}
}

// TestFederationDepth: a chain deeper than MaxFederationDepth is refused at
// the federation that goes over, and a long chain is checked in linear
// time (a quadratic walk of 100,000 federations would not finish).
func TestFederationDepth(t *testing.T) {
	chain := func(n int) *Scenario {
		sc := mustParse(t, federatedHead+`[]}`)
		for i := range n {
			f := FederationSpec{ID: fmt.Sprintf("f%d", i)}
			if i > 0 {
				f.Parent = fmt.Sprintf("f%d", i-1)
			}
			sc.Federations = append(sc.Federations, f)
		}
		return sc
	}
	if ps := Validate(chain(MaxFederationDepth)); len(ps) != 0 {
		t.Errorf("a chain of %d: %v", MaxFederationDepth, ps)
	}
	ps := Validate(chain(MaxFederationDepth + 1))
	if len(ps) != 1 || ps[0].Path != fmt.Sprintf("federations[%d].parent", MaxFederationDepth) || !strings.Contains(ps[0].Message, "more than 64") {
		t.Errorf("a chain of %d: %v", MaxFederationDepth+1, ps)
	}
	long := chain(100_000)
	long.Federations[0].Parent = "f99999" // and a cycle through all of them
	ps = Validate(long)
	if len(ps) != 1 || ps[0].Path != "federations[0].parent" || !strings.Contains(ps[0].Message, "cycle: f0 → f99999 → f99998") ||
		!strings.Contains(ps[0].Message, "(100000 federations)") || len(ps[0].Message) > 200 {
		t.Errorf("a cycle of 100,000: %d problems, first %v", len(ps), ps[0])
	}
}

// TestFederationWeightsNoCommons: a federation requests produced goods
// and resources, never a commons good (docs/spec/economy.md).
func TestFederationWeightsNoCommons(t *testing.T) {
	head := strings.Replace(federatedHead, `{"id": "parks", "kind": "produced"}]`,
		`{"id": "parks", "kind": "produced"}, {"id": "wiki", "kind": "produced", "rival": false, "stock": 5}]`, 1)
	head = strings.Replace(head, `"inputs": {"labor": 0.5}},`,
		`"inputs": {"labor": 0.5}},
  {"id": "editors", "type": "worker", "output": "wiki", "scale": 1, "inputs": {"labor": 0.5}},`, 1)
	_, err := ParseScenario([]byte(head + `[{"id": "x", "levy": 0.1, "weights": {"wiki": 1}}]}`))
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("got %v, want problems", err)
	}
	for _, p := range ps {
		if p.Path == "federations[0].weights.wiki" && strings.Contains(p.Message, "commons good") {
			return
		}
	}
	t.Errorf("got %v, want federations[0].weights.wiki: …commons good…", ps)
}
