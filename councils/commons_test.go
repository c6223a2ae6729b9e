package councils

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"parecon/planning"
)

// commonsBase is a small valid commons economy; the cases below break one
// thing each.
const commonsBase = `{
 "name": "c", "numeraire": "labor",
 "goods": [
  {"id": "labor", "kind": "labor"},
  {"id": "land", "kind": "resource", "endowment": 500},
  {"id": "bread", "kind": "produced", "price": 2},
  {"id": "design", "kind": "produced", "rival": false, "stock": 10},
  {"id": "code", "kind": "produced", "rival": false, "stock": 5}
 ],
 "councils": [
  {"id": "bakery", "type": "worker", "output": "bread", "scale": 3,
   "inputs": {"labor": 0.5, "land": 0.2}, "commons": {"design": 0.1}},
  {"id": "lab", "type": "worker", "output": "design", "scale": 0.5, "inputs": {"labor": 0.6}},
  {"id": "hackers", "type": "worker", "output": "code", "scale": 0.5, "inputs": {"labor": 0.6}},
  {"id": "north", "type": "consumer", "members": 100, "hours": 40,
   "weights": {"bread": 0.8, "land": 0.2}, "commons_share": 0.04},
  {"id": "south", "type": "consumer", "members": 60, "hours": 35,
   "weights": {"bread": 0.9, "land": 0.1}, "commons_share": 0.06, "commons_weights": {"design": 1}}
 ],
 "facilitation": {"tolerance": 0.01, "max_rounds": 200}
}`

func TestCommonsScenarioProblems(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           string // one expected problem line; "" for none
	}{
		{"valid", `"name": "c"`, `"name": "c"`, ``},
		{"rival true", `"price": 2}`, `"price": 2, "rival": true}`, ``},
		{"rival not bool", `"rival": false, "stock": 10`, `"rival": "no", "stock": 10`, `goods[3].rival: want true or false, got a string`},
		{"rival labour", `{"id": "labor", "kind": "labor"}`, `{"id": "labor", "kind": "labor", "rival": false}`, `goods[0].rival: a labor good is always rival`},
		{"stock on rival", `"price": 2}`, `"price": 2, "stock": 3}`, `goods[2].stock: only a commons good (rival: false) has a stock`},
		{"negative stock", `"stock": 10`, `"stock": -1`, `goods[3].stock: -1 is negative`},
		{"no stock drawn on", `"stock": 10`, `"stock": 0`, `councils[0].commons.design: "design" has no stock`},
		{"commons rival", `"commons": {"design": 0.1}`, `"commons": {"land": 0.1}`, `councils[0].commons.land: "land" is a rival good`},
		{"commons unknown", `"commons": {"design": 0.1}`, `"commons": {"wiki": 0.1}`, `councils[0].commons.wiki: unknown good "wiki"`},
		{"commons zero", `"commons": {"design": 0.1}`, `"commons": {"design": 0}`, `councils[0].commons.design: a commons exponent must be a positive finite number`},
		{"commons returns", `"commons": {"design": 0.1}`, `"commons": {"design": 0.3}`, `councils[0].commons: the input and commons exponents sum to 1; they must sum to less than 1`},
		{"commons as input", `"inputs": {"labor": 0.5, "land": 0.2}`, `"inputs": {"labor": 0.5, "land": 0.2, "code": 0.1}`, `councils[0].inputs.code: "code" is a commons good`},
		{"commons weighted", `"weights": {"bread": 0.8, "land": 0.2}`, `"weights": {"bread": 0.8, "design": 0.2}`, `councils[3].weights.design: "design" is a commons good`},
		{"commons on consumer", `"commons_share": 0.04}`, `"commons_share": 0.04, "commons": {"design": 0.1}}`, `councils[3].commons: a consumer council has no commons`},
		{"share on worker", `"inputs": {"labor": 0.6}},`, `"inputs": {"labor": 0.6}, "commons_share": 0.1},`, `councils[1].commons_share: a worker council has no commons_share`},
		{"share one", `"commons_share": 0.04`, `"commons_share": 1`, `councils[3].commons_share: 1 is not a share of income in [0, 1)`},
		{"share negative", `"commons_share": 0.04`, `"commons_share": -0.1`, `councils[3].commons_share: -0.1 is negative`},
		{"share zero", `"commons_share": 0.04`, `"commons_share": 0`, ``},
		{"weights without share", `"commons_share": 0.04}`, `"commons_weights": {"design": 1}}`, `councils[3].commons_weights: commons_weights without commons_share`},
		{"weights rival", `"commons_weights": {"design": 1}`, `"commons_weights": {"bread": 1}`, `councils[4].commons_weights.bread: "bread" is a rival good`},
		{"weights sum", `"commons_weights": {"design": 1}`, `"commons_weights": {"design": 0.5, "code": 0.4}`, `councils[4].commons_weights: the weights sum to 0.9; they must sum to 1`},
		{"weights empty", `"commons_weights": {"design": 1}`, `"commons_weights": {}`, `councils[4].commons_weights: the weights split the fund over at least one commons good`},
		{"human consumer share", `"weights": {"bread": 0.8, "land": 0.2}, "commons_share": 0.04`, `"commons_share": 0.04`, `councils[3].commons_share: a human consumer (no weights) council has no commons_share`},
		{"human worker commons", `"output": "bread", "scale": 3,
   "inputs": {"labor": 0.5, "land": 0.2}, "commons": {"design": 0.1}`, `"commons": {"design": 0.1}`, `councils[0].commons: a human worker (no output) council has no commons`},
		{"facilitation share", `"max_rounds": 200`, `"max_rounds": 200, "commons_share": 1.5`, `facilitation.commons_share: 1.5 is not a share of income in [0, 1)`},
		{"facilitation share ok", `"max_rounds": 200`, `"max_rounds": 200, "commons_share": 0.1`, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(commonsBase, tc.old) {
				t.Fatalf("base has no %q", tc.old)
			}
			src := strings.Replace(commonsBase, tc.old, tc.new, 1)
			_, err := ParseScenario([]byte(src))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %v, want problems", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("problems\n%v\nwant a line containing %q", err, tc.want)
			}
		})
	}
}

// TestCommonsRoundZero checks round 0's levy, split, fund, K and budgets
// against numbers worked out by hand from commonsBase.
func TestCommonsRoundZero(t *testing.T) {
	e := mustEconomy(t, mustParse(t, commonsBase))
	p, err := NewProcess(e, ProcessOptions{Rule: "tatonnement"})
	if err != nil {
		t.Fatal(err)
	}
	r := p.Round()
	// north 4000, south 2100 of income: weights 40/61 and 21/61. Sorted
	// by share north (0.04) first, whose weight passes 1/2: levy 0.04.
	if r.Levy != 0.04 {
		t.Errorf("levy %v, want 0.04", r.Levy)
	}
	wn, ws := 4000.0/6100, 2100.0/6100
	design, code := 3, 4
	// north without weights splits equally; south all to design.
	if want := wn/2 + ws; !near(r.Split[design], want, 1e-12) {
		t.Errorf("split of design %v, want %v", r.Split[design], want)
	}
	if want := wn / 2; !near(r.Split[code], want, 1e-12) {
		t.Errorf("split of code %v, want %v", r.Split[code], want)
	}
	pool := 6100.0 + 500 // labour and land at price 1
	if !near(r.Pool, pool, 1e-12) || !near(r.Fund, 0.04*pool, 1e-12) {
		t.Errorf("pool %v fund %v, want %v and %v", r.Pool, r.Fund, pool, 0.04*pool)
	}
	if r.K[design] != 10 || r.K[code] != 5 || r.K[0] != 0 {
		t.Errorf("K %v, want the stocks", r.K)
	}
	sum := r.Fund
	for _, b := range r.Budgets {
		sum += b
	}
	if !near(sum, r.Pool, 1e-12) {
		t.Errorf("budgets and fund add to %v, not the pool %v", sum, r.Pool)
	}
	if !near(r.Budgets[3], wn*0.96*pool, 1e-12) {
		t.Errorf("north's budget %v, want %v", r.Budgets[3], wn*0.96*pool)
	}
	// The bakery draws on K = 10: its output is that of scale 3·10^0.1.
	bak := p.Board().Current().Proposals[0]
	y := bak.Out[0].Qty
	// y = (A·q^b·Π(β/p)^β)^(1/(1−b)), q = 2, b = 0.7, p = 1.
	A := 3 * math.Pow(10, 0.1)
	want := math.Pow(A*math.Pow(2, 0.7)*math.Pow(0.5, 0.5)*math.Pow(0.2, 0.2), 1/0.3)
	if !near(y, want, 1e-12) {
		t.Errorf("bakery's output %v, want %v", y, want)
	}
	cr, err := p.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The fund's purchase is the commons goods' demand.
	if got, want := cr.Closed.Demand[design], r.Split[design]*r.Fund/r.Prices[design]; !near(got, want, 1e-12) {
		t.Errorf("demand of design %v, want the fund's %v", got, want)
	}
	// Round 1: K = stock + round 0's output.
	out := cr.Closed.Supply[design]
	if got := cr.Next.K[design]; !near(got, 10+out, 1e-12) {
		t.Errorf("round 1's K of design %v, want %v", got, 10+out)
	}
}

// TestCommonsSmallExpected checks that the tatonnement baseline, which
// follows the round process to the letter, reaches commons-small's
// independently solved equilibrium: prices, levy, fund and K.
func TestCommonsSmallExpected(t *testing.T) {
	e, err := loadExample(t, "commons-small")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(e, RunOptions{Rule: "tatonnement", Step: 0.5, Tolerance: 1e-6, MaxRounds: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged {
		t.Fatalf("not converged in %d rounds: %s", res.Rounds, res.Reason)
	}
	checkCommonsExpected(t, e, res.Last(), "commons-small")
}

// checkCommonsExpected compares round r with NAME.expected.json within
// 1e-4: prices (as ratios to the numéraire), levy, fund and K.
func checkCommonsExpected(t *testing.T, e *Economy, r *planning.Round, name string) {
	t.Helper()
	data, err := os.ReadFile("../internal/examples/scenarios/" + name + ".expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Prices  map[string]float64
		Levy    float64
		Fund    float64
		Commons map[string]float64
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	num := e.Plan.Numeraire
	nid := e.Plan.Goods[num].ID
	for j, g := range e.Plan.Goods {
		got, w := r.Prices[j]/r.Prices[num], want.Prices[g.ID]/want.Prices[nid]
		if !near(got, w, 1e-4) {
			t.Errorf("price of %s %.9g, want %.9g", g.ID, got, w)
		}
		if g.Commons && !near(r.K[j], want.Commons[g.ID], 1e-4) {
			t.Errorf("K of %s %.9g, want %.9g", g.ID, r.K[j], want.Commons[g.ID])
		}
	}
	if math.Abs(r.Levy-want.Levy) > 1e-4 {
		t.Errorf("levy %v, want %v", r.Levy, want.Levy)
	}
	if !near(r.Fund/r.Prices[num], want.Fund/want.Prices[nid], 1e-4) {
		t.Errorf("fund %v, want %v", r.Fund, want.Fund)
	}
}

func TestCommonsProposals(t *testing.T) {
	// north (council 3) is human: no weights, and no scenario vote.
	sc := mustParse(t, strings.Replace(commonsBase, `"weights": {"bread": 0.8, "land": 0.2}, "commons_share": 0.04`, `"labor": "labor"`, 1))
	e := mustEconomy(t, sc)
	p, err := NewProcess(e, ProcessOptions{Rule: "tatonnement"})
	if err != nil {
		t.Fatal(err)
	}
	r := p.Round()
	tests := []struct {
		name, proposal string
		council        int
		field          string // "" for accepted
	}{
		{"vote and uses", `{"requests": {"bread": 10}, "commons": {"share": 0.2, "weights": {"design": 0.25, "code": 0.75}}, "uses": {"design": 40, "code": 3}}`, 3, ""},
		{"vote without weights", `{"requests": {}, "commons": {"share": 0}}`, 3, ""},
		{"request a commons good", `{"requests": {"design": 1}}`, 3, "requests.design"},
		{"share missing", `{"requests": {}, "commons": {"weights": {"design": 1}}}`, 3, "commons.share"},
		{"share one", `{"requests": {}, "commons": {"share": 1}}`, 3, "commons.share"},
		{"share negative", `{"requests": {}, "commons": {"share": -0.1}}`, 3, "commons.share"},
		{"share string", `{"requests": {}, "commons": {"share": "a lot"}}`, 3, "commons.share"},
		{"weights sum", `{"requests": {}, "commons": {"share": 0.1, "weights": {"design": 0.5}}}`, 3, "commons.weights"},
		{"weights rival", `{"requests": {}, "commons": {"share": 0.1, "weights": {"bread": 1}}}`, 3, "commons.weights.bread"},
		{"weights unknown", `{"requests": {}, "commons": {"share": 0.1, "weights": {"wiki": 1}}}`, 3, "commons.weights.wiki"},
		{"commons unknown field", `{"requests": {}, "commons": {"share": 0.1, "levy": 2}}`, 3, "commons.levy"},
		{"uses rival", `{"requests": {}, "uses": {"bread": 3}}`, 3, "uses.bread"},
		{"uses negative", `{"requests": {}, "uses": {"design": -3}}`, 3, "uses.design"},
		{"worker votes", `{"outputs": {"bread": 0}, "commons": {"share": 0.1}}`, 0, "commons"},
		{"worker inputs a commons good", `{"outputs": {"bread": 5}, "inputs": {"design": 1}}`, 0, "inputs.design"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.council
			pr, doc, _, err := e.ParseProposal(c, []byte(tc.proposal), r.Prices, r.Budgets[c])
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				// The proposal's doc gives the same proposal back.
				back, err := e.ProposalFromDoc(c, e.Doc(c, pr))
				if err != nil {
					t.Fatal(err)
				}
				if (back.Vote == nil) != (pr.Vote == nil) || len(back.Uses) != len(pr.Uses) || (doc.Commons == nil) != (pr.Vote == nil) {
					t.Errorf("round trip: %+v, want %+v", back, pr)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("got %v, want an error at %s", err, tc.field)
			}
		})
	}
	// A human council's vote counts in the next round; uses never touch
	// the totals.
	pr, _, _, err := e.ParseProposal(3, []byte(`{"requests": {"bread": 1}, "commons": {"share": 0.3, "weights": {"code": 1}}, "uses": {"design": 99}}`), r.Prices, r.Budgets[3])
	if err != nil {
		t.Fatal(err)
	}
	p.Accept(3, pr)
	cr, err := p.Close()
	if err != nil {
		t.Fatal(err)
	}
	// north 4000 of 6100 votes 0.3; south 0.06: north's weight passes 1/2.
	if cr.Next.Levy != 0.3 {
		t.Errorf("levy %v, want north's 0.3", cr.Next.Levy)
	}
	if got := cr.Next.Split[4]; !near(got, 4000.0/6100, 1e-12) {
		t.Errorf("split of code %v, want %v", got, 4000.0/6100)
	}
	if u := planning.Qty(cr.Closed.Proposals[3].Uses, 3); u != 99 {
		t.Errorf("uses of design %v, want 99 recorded", u)
	}
}

// TestCommonsNoLevy: a plan whose councils vote no levy leaves its
// commons unfunded; the commons good's price falls until nobody makes it,
// the plan converges with K at the stock, and the workplaces that draw on
// it make less than with the commons sustained.
func TestCommonsNoLevy(t *testing.T) {
	e, err := loadExample(t, "commons-small")
	if err != nil {
		t.Fatal(err)
	}
	sustained, err := Run(e, RunOptions{Tolerance: 1e-6, MaxRounds: 60})
	if err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	for i := range e.Scenario.Councils {
		if e.Scenario.Councils[i].CommonsShare != nil {
			e.Scenario.Councils[i].CommonsShare = &zero
		}
	}
	e = mustEconomy(t, e.Scenario)
	res, err := Run(e, RunOptions{Tolerance: 1e-6, MaxRounds: 60})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged {
		t.Fatalf("not converged: %s", res.Reason)
	}
	last := res.Last()
	design, bread := 3, 2
	if last.Levy != 0 || last.Fund != 0 {
		t.Errorf("levy %v fund %v, want none", last.Levy, last.Fund)
	}
	if p := last.Prices[design] / last.Prices[e.Plan.Numeraire]; p > planning.FreePrice {
		t.Errorf("design's price %v, want a free good's", p)
	}
	if k := last.K[design]; math.Abs(k-10) > 1e-9 {
		t.Errorf("K %v, want the stock 10", k)
	}
	if a, b := last.Supply[bread], sustained.Last().Supply[bread]; !(a < b) {
		t.Errorf("bread %v without the commons, %v with it", a, b)
	}
}
