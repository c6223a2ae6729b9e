package councils

import (
	"strings"
	"testing"
)

const mixedScenario = `{"name": "mixed", "numeraire": "labor",
 "goods": [
  {"id": "labor", "kind": "labor"},
  {"id": "land", "kind": "resource", "endowment": 1000},
  {"id": "co2", "kind": "pollutant", "endowment": 80},
  {"id": "bread", "kind": "produced", "price": 2}
 ],
 "councils": [
  {"id": "bakery", "type": "worker", "output": "bread", "scale": 2, "inputs": {"labor": 0.5, "land": 0.3}, "emissions": {"co2": 0.1}},
  {"id": "mill", "type": "worker"},
  {"id": "north", "type": "consumer", "members": 100, "hours": 40}
 ]}`

func mixedEconomy(t testing.TB) *Economy {
	t.Helper()
	return mustEconomy(t, mustParse(t, mixedScenario))
}

// TestParseProposal checks every rule a proposal must pass and the field
// each failure names, at prices labor 1, land 1, co2 1, bread 2 and a
// consumer budget of 100.
func TestParseProposal(t *testing.T) {
	e := mixedEconomy(t)
	tests := []struct {
		name, council, body string
		field               string // "" = accepted
		reason              string
	}{
		{"consumer ok", "north", `{"requests":{"bread":10,"land":50}}`, "", ""},
		{"consumer empty", "north", `{"requests":{}}`, "", ""},
		{"consumer over budget", "north", `{"requests":{"bread":40,"land":30}}`, "requests", "exceeds the budget"},
		{"consumer budget with slack", "north", `{"requests":{"bread":50.0000000001}}`, "", ""},
		{"consumer negative", "north", `{"requests":{"bread":-1}}`, "requests.bread", "negative"},
		{"consumer unknown good", "north", `{"requests":{"cake":1}}`, "requests.cake", "unknown good"},
		{"consumer requests labour", "north", `{"requests":{"labor":1}}`, "requests.labor", "produced good or a resource"},
		{"consumer requests pollutant", "north", `{"requests":{"co2":1}}`, "requests.co2", "produced good or a resource"},
		{"consumer outputs", "north", `{"outputs":{"bread":1}}`, "outputs", "unknown field"},
		{"consumer not number", "north", `{"requests":{"bread":"ten"}}`, "requests.bread", "want a number"},
		{"consumer huge", "north", `{"requests":{"bread":1e400}}`, "requests.bread", "finite"},
		{"not an object", "north", `[1]`, "proposal", "want an object"},
		{"malformed", "north", `{"requests":`, "proposal", "malformed JSON"},
		{"worker ok", "mill", `{"outputs":{"bread":10},"inputs":{"labor":5,"land":5},"emissions":{"co2":1}}`, "", ""},
		{"worker zero", "mill", `{"outputs":{"bread":0}}`, "", ""},
		{"worker SB/SC below 1", "mill", `{"outputs":{"bread":10},"inputs":{"labor":15,"land":5},"emissions":{"co2":1}}`, "proposal", "SB/SC"},
		{"worker outputs a resource", "mill", `{"outputs":{"land":10}}`, "outputs.land", "produced good"},
		{"worker input pollutant", "mill", `{"outputs":{"bread":10},"inputs":{"co2":1}}`, "inputs.co2", "not a pollutant"},
		{"worker emits labour", "mill", `{"outputs":{"bread":10},"emissions":{"labor":1}}`, "emissions.labor", "a pollutant"},
		{"worker requests", "mill", `{"requests":{"bread":1}}`, "requests", "unknown field"},
		{"worker negative input", "mill", `{"outputs":{"bread":10},"inputs":{"labor":-1}}`, "inputs.labor", "negative"},
		{"worker output too large", "mill", `{"outputs":{"bread":1e308}}`, "outputs.bread", "above 1e+12"},
		{"worker input too large", "mill", `{"outputs":{"bread":1e12},"inputs":{"labor":1.0000001e12}}`, "inputs.labor", "largest quantity"},
		{"worker at the bound", "mill", `{"outputs":{"bread":1e12},"inputs":{"labor":1e12}}`, "", ""},
		{"consumer request too large", "north", `{"requests":{"land":2e12}}`, "requests.land", "largest quantity"},
		{"long unknown good", "north", `{"requests":{"` + strings.Repeat("x", 5000) + `":1}}`, "requests." + strings.Repeat("x", 5000), "…"},
		{"worker unknown field", "mill", `{"outputs":{"bread":1},"extra":1}`, "extra", "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := e.Council(tt.council)
			pr, doc, v, err := e.ParseProposal(c, []byte(tt.body), e.Prices, 100)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				if pr == nil || doc == nil {
					t.Fatal("accepted without a proposal")
				}
				if back, err := e.ProposalFromDoc(c, e.Doc(c, pr)); err != nil || len(back.In) != len(pr.In) || len(back.Out) != len(pr.Out) {
					t.Fatalf("Doc does not round-trip: %v", err)
				}
				if tt.council == "north" && (v.Cost == nil || v.Budget == nil || *v.Budget != 100) {
					t.Fatalf("consumer verdict %+v", v)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted %s", tt.body)
			}
			ce := AsError(err)
			if ce.Kind != Invalid || ce.Field != tt.field || !strings.Contains(ce.Message, tt.reason) {
				t.Fatalf("got %s %q %q, want invalid %q containing %q", ce.Kind, ce.Field, ce.Message, tt.field, tt.reason)
			}
		})
	}
}

// TestLiveRounds drives the live state machine: a human council that has
// not submitted keeps its last proposal (carried), rounds close only when
// every human is in, a stale round is refused, a simulated council cannot
// be submitted for, and stand-ins answer only when enabled.
func TestLiveRounds(t *testing.T) {
	e := mixedEconomy(t)
	l, err := NewLive(e, LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mill, _ := e.Council("mill")
	north, _ := e.Council("north")
	bakery, _ := e.Council("bakery")
	if got := l.Submitted(); len(got) != 1 || got[0] != bakery {
		t.Fatalf("round 0 submitted %v, want the simulated bakery", got)
	}
	if l.AllHumansIn() {
		t.Fatal("all humans in before any submitted")
	}
	pr, _, _, cerr := l.CheckProposal(north, 0, []byte(`{"requests":{"bread":10}}`))
	if cerr != nil {
		t.Fatal(cerr)
	}
	l.Accept(north, pr)
	if _, _, _, cerr := l.CheckProposal(bakery, 0, []byte(`{"outputs":{"bread":1}}`)); KindOf(cerr) != Forbidden {
		t.Fatalf("submitting for a simulated council: %v", cerr)
	}
	if _, _, _, cerr := l.CheckProposal(mill, 1, []byte(`{"outputs":{"bread":1}}`)); KindOf(cerr) != Conflict || AsError(cerr).Field != "round" {
		t.Fatalf("submitting for a future round: %v", cerr)
	}
	if w := l.Waiting(); len(w) != 1 || w[0] != mill {
		t.Fatalf("waiting %v, want mill", w)
	}
	if l.StandIn(mill) != nil {
		t.Fatal("stand-in without a model or the option")
	}
	res, err := l.Close()
	if err != nil || res.Next == nil || res.Next.Number != 1 {
		t.Fatalf("close: %+v %v", res, err)
	}
	if c := l.Carried(); len(c) != 1 || c[0] != north {
		t.Fatalf("carried %v, want north", c)
	}
	if l.Round().Proposals[north] != pr {
		t.Fatal("north's proposal was not carried")
	}
	// CloseAt opens the next round at the prices given (a replay's published ones).
	want := []float64{1, 1.5, 0.5, 3}
	res, err = l.CloseAt(want)
	if err != nil || res.Next == nil {
		t.Fatalf("close at: %+v %v", res, err)
	}
	for j, p := range l.Round().Prices {
		if p != want[j] {
			t.Fatalf("round 2 prices %v, want %v", l.Round().Prices, want)
		}
	}
	// With the option and a model, a human council's model stands in.
	l2, _ := NewLive(e, LiveOptions{Humans: []string{"bakery"}, StandIn: true})
	if s := l2.StandIn(bakery); s == nil || len(s.Out) != 1 || s.Out[0].Qty <= 0 {
		t.Fatalf("bakery's stand-in %+v", s)
	}
	if _, err := NewLive(e, LiveOptions{Humans: []string{"nobody"}}); err == nil {
		t.Fatal("unknown human council accepted")
	}
}
