package councils

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"parecon/planning"
)

// newGoodBase is a small economy whose cheese appears at round 2 and
// whose commons good, a recipe book, at round 3; the cases below break
// one thing each.
const newGoodBase = `{
 "name": "n", "numeraire": "labor",
 "goods": [
  {"id": "labor", "kind": "labor"},
  {"id": "land", "kind": "resource", "endowment": 500},
  {"id": "bread", "kind": "produced", "price": 2},
  {"id": "cheese", "kind": "produced", "appears": 2},
  {"id": "design", "kind": "produced", "rival": false, "stock": 10},
  {"id": "recipes", "kind": "produced", "rival": false, "stock": 4, "appears": 3}
 ],
 "councils": [
  {"id": "bakery", "type": "worker", "output": "bread", "scale": 3,
   "inputs": {"labor": 0.5, "land": 0.2}, "commons": {"design": 0.1, "recipes": 0.05}},
  {"id": "dairy", "type": "worker", "output": "cheese", "scale": 2, "inputs": {"labor": 0.4, "land": 0.3}},
  {"id": "deli", "type": "worker", "output": "bread", "scale": 1, "inputs": {"labor": 0.3, "cheese": 0.2}},
  {"id": "lab", "type": "worker", "output": "design", "scale": 0.5, "inputs": {"labor": 0.6}},
  {"id": "cooks", "type": "worker", "output": "recipes", "scale": 0.5, "inputs": {"labor": 0.6}},
  {"id": "north", "type": "consumer", "members": 100, "hours": 40,
   "weights": {"bread": 0.5, "cheese": 0.3, "land": 0.2}, "commons_share": 0.04, "commons_weights": {"design": 0.5, "recipes": 0.5}},
  {"id": "south", "type": "consumer", "members": 60, "hours": 35,
   "weights": {"cheese": 1}, "commons_share": 0.06}
 ],
 "facilitation": {"tolerance": 0.001, "max_rounds": 300}
}`

func TestAppearsProblems(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           string // one expected problem line; "" for none
	}{
		{"valid", `"name": "n"`, `"name": "n"`, ``},
		{"zero", `"appears": 2}`, `"appears": 0}`, ``},
		{"not whole", `"appears": 2}`, `"appears": 2.5}`, `goods[3].appears: want a whole number, got 2.5`},
		{"negative", `"appears": 2}`, `"appears": -1}`, `goods[3].appears: -1 is negative`},
		{"not a number", `"appears": 2}`, `"appears": "soon"}`, `goods[3].appears: want a number, got a string`},
		{"too late", `"appears": 2}`, `"appears": 2000000}`, `goods[3].appears: 2000000 is above 1000000`},
		{"numeraire", `{"id": "labor", "kind": "labor"}`, `{"id": "labor", "kind": "labor", "appears": 1}`, `goods[0].appears: "labor" is the numéraire`},
		{"default numeraire", `"numeraire": "labor",`, `"numeraire": "",`, ``},
		{"resource", `"endowment": 500}`, `"endowment": 500, "appears": 1}`, `goods[1].appears: a resource good is there from the start`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(newGoodBase, tc.old) {
				t.Fatalf("base has no %q", tc.old)
			}
			_, err := ParseScenario([]byte(strings.Replace(newGoodBase, tc.old, tc.new, 1)))
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

// TestAppearsBefore checks the rounds before each good appears against
// what the spec says of them, worked out from newGoodBase: cheese has no
// totals before round 2, dairy and deli (which uses cheese) propose
// nothing, north spreads cheese's 0.3 over bread and land (bread 5/7,
// land 2/7 of its budget), south (cheese only) proposes nothing; the
// recipes get no fund weight before round 3 (the split is design's) and
// K = stock; no round before 3 converges; from round 3 the split is the
// votes' (north's 1/2 each, south's equal weights). The baselines follow
// the same round process.
func TestAppearsBefore(t *testing.T) {
	for _, rule := range []string{"learning", "tatonnement", "pequod"} {
		t.Run(rule, func(t *testing.T) { appearsBefore(t, rule) })
	}
}

func appearsBefore(t *testing.T, rule string) {
	e := mustEconomy(t, mustParse(t, newGoodBase))
	p, err := NewProcess(e, ProcessOptions{Rule: rule})
	if err != nil {
		t.Fatal(err)
	}
	cheese, _ := e.Good("cheese")
	bread, _ := e.Good("bread")
	land, _ := e.Good("land")
	design, _ := e.Good("design")
	recipes, _ := e.Good("recipes")
	dairy, _ := e.Council("dairy")
	deli, _ := e.Council("deli")
	north, _ := e.Council("north")
	south, _ := e.Council("south")
	for n := 0; n < 6; n++ {
		r := p.Round()
		if r.Number != n {
			t.Fatalf("round %d open, want %d", r.Number, n)
		}
		pn := r.Proposals[north]
		if n < 2 {
			if r.Proposals[dairy] != nil || r.Proposals[deli] != nil || r.Proposals[south] != nil {
				t.Errorf("round %d: dairy, deli or south proposed before cheese appeared", n)
			}
			spent := map[int]float64{}
			for _, l := range pn.In {
				spent[l.Good] += l.Qty * r.Prices[l.Good]
			}
			b := r.Budgets[north]
			if spent[cheese] != 0 || !near(spent[bread], b*5/7, 1e-12) || !near(spent[land], b*2/7, 1e-12) {
				t.Errorf("round %d: north spends %v of %v, want bread 5/7, land 2/7", n, spent, b)
			}
		} else if r.Proposals[dairy] == nil || r.Proposals[south] == nil {
			t.Errorf("round %d: dairy or south proposed nothing after cheese appeared", n)
		}
		if n < 3 {
			if r.Split[recipes] != 0 || !near(r.Split[design], 1, 1e-15) {
				t.Errorf("round %d: split %v, want all to design", n, r.Split)
			}
			if r.K[recipes] != 4 {
				t.Errorf("round %d: K of recipes %v, want the stock 4", n, r.K[recipes])
			}
			if r.Prices[recipes] != 1 || r.Prices[cheese] != 1 && n < 2 {
				t.Errorf("round %d: a good not yet there moved its price: %v", n, r.Prices)
			}
		} else {
			sn, ss := r.Budgets[north]/(r.Budgets[north]+r.Budgets[south]), r.Budgets[south]/(r.Budgets[north]+r.Budgets[south])
			want := sn*0.5 + ss*0.5
			if !near(r.Split[recipes], want, 1e-9) {
				t.Errorf("round %d: split of recipes %v, want %v", n, r.Split[recipes], want)
			}
		}
		cr, err := p.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n < 2 && (cr.Closed.Supply[cheese] != 0 || cr.Closed.Demand[cheese] != 0) {
			t.Errorf("round %d: cheese's totals %v, %v before it appeared", n, cr.Closed.Supply[cheese], cr.Closed.Demand[cheese])
		}
		if n < 3 && cr.Closed.Converged {
			t.Errorf("round %d converged before the last good appeared", n)
		}
		if cr.Status != StatusOpen {
			if n < 3 {
				t.Fatalf("round %d: the plan is %s", n, cr.Status)
			}
			return
		}
	}
}

// TestAppearsConverges runs newGoodBase under the default rule (the
// baselines do not converge on it, new goods or not) and checks that it
// converges after the last good appeared, at a round whose every gap is
// within the tolerance.
func TestAppearsConverges(t *testing.T) {
	for _, rule := range []string{"learning"} {
		t.Run(rule, func(t *testing.T) {
			e := mustEconomy(t, mustParse(t, newGoodBase))
			res, err := Run(e, RunOptions{Rule: rule, MaxRounds: 3000})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged || res.Rounds <= 3 {
				t.Fatalf("converged %v in %d rounds: %s", res.Converged, res.Rounds, res.Reason)
			}
			last := res.Last()
			if last.MaxGap > 0.001 {
				t.Errorf("max gap %v", last.MaxGap)
			}
			cheese, _ := e.Good("cheese")
			if !(last.Supply[cheese] > 0) || !(last.Prices[cheese] > 0) || math.IsInf(last.Prices[cheese], 0) {
				t.Errorf("cheese at the end: supply %v, price %v", last.Supply[cheese], last.Prices[cheese])
			}
		})
	}
}

// TestNewGoodExpected: economy-40-newgood (g018 appears at round 3),
// run at tolerance 1e-6 with the default rule, converges to its
// independently solved equilibrium within 1e-4, and is back within 3% at
// most 3 rounds after g018 appears.
func TestNewGoodExpected(t *testing.T) {
	e, err := loadExample(t, "economy-40-newgood")
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
	checkCommonsExpected(t, e, res.Last(), "economy-40-newgood")
	R := e.Plan.LastAppears()
	if R != 3 {
		t.Fatalf("the last good appears at %d, want 3", R)
	}
	rs := res.Board.Rounds()
	back := -1
	for k := 0; k <= 3 && R+k < len(rs); k++ {
		if rs[R+k].Closed && rs[R+k].MaxGap <= 0.03 {
			back = k
			break
		}
	}
	if back < 0 {
		t.Errorf("not within 3%% in the 3 rounds after round %d", R)
	}
	for _, r := range rs[:R] {
		if r.Converged {
			t.Errorf("round %d converged before g018 appeared", r.Number)
		}
	}
	t.Logf("%d rounds; back within 3%% %d rounds after g018 appeared", res.Rounds, back)
}

// TestAppearsHumanProposal: a human council's proposal may not name a good
// before it appears (an error naming the field), and may from its round.
func TestAppearsHumanProposal(t *testing.T) {
	e := mustEconomy(t, mustParse(t, newGoodBase))
	p, err := NewProcess(e, ProcessOptions{Rule: "learning", Humans: []string{"north", "dairy"}})
	if err != nil {
		t.Fatal(err)
	}
	north, _ := e.Council("north")
	dairy, _ := e.Council("dairy")
	tests := []struct {
		name    string
		council int
		body    string
		field   string // "" where accepted from round 2
	}{
		{"request", north, `{"requests": {"bread": 1, "cheese": 1}}`, "requests.cheese"},
		{"output", dairy, `{"outputs": {"cheese": 1000}, "inputs": {"labor": 1, "land": 1}}`, "outputs.cheese"},
		{"input", dairy, `{"outputs": {"bread": 1e12}, "inputs": {"cheese": 0.1, "labor": 1}}`, "inputs.cheese"},
	}
	for n := 0; n < 3; n++ {
		r := p.Round()
		for _, tc := range tests {
			_, _, _, err := p.CheckProposal(tc.council, r.Number, []byte(tc.body))
			got := ""
			if ae := AsError(err); err != nil && ae != nil {
				got = ae.Field
			}
			if n < 2 && got != tc.field {
				t.Errorf("round %d, %s: error field %q (%v), want %q", n, tc.name, got, err, tc.field)
			}
			if n >= 2 && got == tc.field {
				t.Errorf("round %d, %s: refused once cheese is in the catalogue: %v", n, tc.name, err)
			}
		}
		if _, err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAppearsFederations: in federation-city with parks appearing at round
// 4, ward-east (whose weights name parks only) requests nothing before
// round 4 and ward-west spends on land alone (its parks weight spread
// onto land); the plan then converges to the whole economy's independently
// solved prices (federation-city.expected.json) within 1e-4.
func TestAppearsFederations(t *testing.T) {
	f, err := os.Open("../internal/examples/scenarios/federation-city.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc, err := DecodeScenario(f)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sc.Goods {
		if sc.Goods[i].ID == "parks" {
			sc.Goods[i].Appears = 4
		}
	}
	e := mustEconomy(t, sc)
	east, _ := e.Council("ward-east")
	west, _ := e.Council("ward-west")
	land, _ := e.Good("land")
	rounds := 0
	res, err := Run(e, RunOptions{Tolerance: 1e-6, Each: func(r *planning.Round, _ float64, _ time.Duration) {
		rounds++
		if r.Number >= 4 {
			return
		}
		if r.Proposals[east] != nil {
			t.Errorf("round %d: ward-east requests %v before parks appear", r.Number, r.Proposals[east].In)
		}
		pw := r.Proposals[west]
		if pw == nil || len(pw.In) != 1 || pw.In[0].Good != land || !near(pw.In[0].Qty*r.Prices[land], r.Budgets[west], 1e-12) {
			t.Errorf("round %d: ward-west requests %+v with a budget of %v, want land for all of it", r.Number, pw, r.Budgets[west])
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged || res.Rounds <= 4 {
		t.Fatalf("converged %v in %d rounds: %s", res.Converged, res.Rounds, res.Reason)
	}
	data, err := os.ReadFile("../internal/examples/scenarios/federation-city.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct{ Prices map[string]float64 }
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	last := res.Last()
	num := e.Plan.Numeraire
	for j, g := range e.Plan.Goods {
		if got, w := last.Prices[j]/last.Prices[num], want.Prices[g.ID]; !near(got, w, 1e-4) {
			t.Errorf("price of %s: %v, want %v", g.ID, got, w)
		}
	}
	t.Logf("%d rounds", res.Rounds)
}

// TestAppearsCommons: in economy-40-commons with one commons good
// appearing at round 3, rounds before 3 give it no fund weight and K =
// stock, and the plan converges to the whole economy's independently
// solved prices, levy, fund and K (economy-40-commons.expected.json).
func TestAppearsCommons(t *testing.T) {
	f, err := os.Open("../internal/examples/scenarios/economy-40-commons.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc, err := DecodeScenario(f)
	if err != nil {
		t.Fatal(err)
	}
	late := -1
	for i := range sc.Goods {
		if sc.Goods[i].IsCommons() {
			sc.Goods[i].Appears, late = 3, i
			break
		}
	}
	if late < 0 {
		t.Fatal("no commons good")
	}
	e := mustEconomy(t, sc)
	res, err := Run(e, RunOptions{Tolerance: 1e-6, Each: func(r *planning.Round, _ float64, _ time.Duration) {
		if r.Number < 3 && (r.Split[late] != 0 || r.K[late] != sc.Goods[late].Stock || r.Supply[late] != 0) {
			t.Errorf("round %d: %s has split %v, K %v, supply %v before it appears", r.Number, sc.Goods[late].ID, r.Split[late], r.K[late], r.Supply[late])
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged || res.Rounds <= 3 {
		t.Fatalf("converged %v in %d rounds: %s", res.Converged, res.Rounds, res.Reason)
	}
	checkCommonsExpected(t, e, res.Last(), "economy-40-commons")
	t.Logf("%d rounds", res.Rounds)
}
