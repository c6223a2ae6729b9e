package councils

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"parecon/planning"
)

// peopleEconomy is the bundled economy-12-people: CES workers, Stone–Geary
// consumers, councils that adjust halfway and councils that round to 3
// figures.
func peopleEconomy(t *testing.T) *Economy {
	t.Helper()
	e, err := loadExample(t, "economy-12-people")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// heldAtExpected returns the equilibrium prices an independent solver
// computed for economy-12-people (economy-12-people.expected.json) and
// the largest gap of e's councils held there for 16 rounds, until its
// partial adjusters have caught up: the floor its rounding leaves,
// measured without the code under test's own equilibrium.
func heldAtExpected(t *testing.T, e *Economy) (map[string]float64, float64) {
	t.Helper()
	data, err := os.ReadFile("../internal/examples/scenarios/economy-12-people.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct{ Prices map[string]float64 }
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	p := make([]float64, len(e.Plan.Goods))
	for id, v := range want.Prices {
		j, ok := e.Good(id)
		if !ok {
			t.Fatalf("expected price of unknown good %s", id)
		}
		p[j] = v
	}
	hold, err := Run(e, RunOptions{Rule: "tatonnement", Step: 1e-300, Tolerance: 1e-12, MaxRounds: 16, Prices: p})
	if err != nil {
		t.Fatal(err)
	}
	return want.Prices, hold.Last().MaxGap
}

// TestPeopleConverges checks that the default rule plans economy-12-people
// to the equilibrium an independent solver computed for it (the economy
// without adjust and round_to), prices within 1e-2, in at most 15 rounds.
// The plan's tolerance is 1.5 times the floor its rounding leaves at that
// equilibrium (the largest gap of its councils held there, about 1.5e-3:
// a tolerance of 1e-3, below it, was met only by prices that happened to
// cancel the rounding); gaps within 1e-2 would not put every price within
// 1e-2 of it (a pollutant's price moves its market little).
func TestPeopleConverges(t *testing.T) {
	e := peopleEconomy(t)
	want, floor := heldAtExpected(t, e)
	if floor > 5e-3 {
		t.Fatalf("the floor at the expected prices is %g: not the equilibrium", floor)
	}
	e = peopleEconomy(t)
	res, err := Run(e, RunOptions{Tolerance: 1.5 * floor})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged || res.Rounds > 15 {
		t.Fatalf("%s: converged %v in %d rounds to %.3g (max gap %g), want ≤ 15", res.Rule, res.Converged, res.Rounds, 1.5*floor, res.Last().MaxGap)
	}
	t.Logf("%s converged in %d rounds to %.3g (floor %.3g)", res.Rule, res.Rounds, 1.5*floor, floor)
	last := res.Last()
	num := last.Prices[e.Plan.Numeraire]
	for id, p := range want {
		j, _ := e.Good(id)
		if got := last.Prices[j] / num; math.Abs(got/p-1) > 1e-2 {
			t.Errorf("price of %s: %v, want %v", id, got, p)
		}
	}
}

// TestPeopleProcess plays two rounds of economy-12-people under each
// baseline rule and checks the behaviours in the proposals the board got:
// in round 0 an adjusting council proposes its answer x*(p0); in round 1
// exactly x0 + λ(x*(p1) − x0) (or x* where that fails the board's check);
// a rounding council's quantities are decimals of at most n figures,
// within one unit of its last figure of the unrounded answer, on the side
// the spec says.
func TestPeopleProcess(t *testing.T) {
	for _, rule := range []string{"tatonnement", "pequod"} {
		e := peopleEconomy(t)
		res, err := Run(e, RunOptions{Rule: rule, MaxRounds: 2})
		if err != nil {
			t.Fatal(err)
		}
		rs := res.Board.Rounds()
		if len(rs) != 2 {
			t.Fatalf("%s: %d rounds", rule, len(rs))
		}
		adjusted, rounded, scaled := 0, 0, 0
		for i, c := range e.Scenario.Councils {
			person, ok := e.Models[i].(*Person)
			if !ok {
				continue
			}
			if c.RoundTo == 0 {
				adjusted++
				x0 := propose(person.Model, rs[0].Prices, rs[0].Budgets[i], nil)
				if !sameLines(x0, rs[0].Proposals[i]) {
					t.Fatalf("%s: %s: round 0 is not x*", rule, c.ID)
				}
				star := propose(person.Model, rs[1].Prices, rs[1].Budgets[i], x0)
				want := &planning.Proposal{Out: halfway(x0.Out, star.Out, c.Adjust), In: halfway(x0.In, star.In, c.Adjust)}
				if planning.Check(e.Plan, i, want, rs[1].Prices, rs[1].Budgets[i]) != nil {
					if c.Type == "worker" {
						want = star
					} else { // scaled down to the budget
						f := rs[1].Budgets[i] / planning.Value(want.In, rs[1].Prices)
						for k := range want.In {
							want.In[k].Qty *= f
						}
						scaled++
					}
				}
				if !sameLines(want, rs[1].Proposals[i]) {
					t.Fatalf("%s: %s: round 1 proposal %v, want x0 + λ(x* − x0) = %v", rule, c.ID, rs[1].Proposals[i], want)
				}
				continue
			}
			rounded++
			for _, r := range rs {
				prev := (*planning.Proposal)(nil)
				if r.Number > 0 {
					prev = rs[r.Number-1].Proposals[i]
				}
				exact := propose(&Person{Model: person.Model, Adjust: person.Adjust, plan: e.Plan, council: i}, r.Prices, r.Budgets[i], prev)
				got := r.Proposals[i]
				worker := c.Type == "worker"
				for side, ls := range [][]planning.Line{got.Out, got.In} {
					ex := [][]planning.Line{exact.Out, exact.In}[side]
					for k, l := range ls {
						x := ex[k].Qty
						up := worker && side == 1
						if worker && side == 0 && l.Qty > x {
							up = true // outputs rounded up to keep SB/SC ≥ 1
						}
						if n := sigFigs(l.Qty); n > c.RoundTo {
							t.Errorf("%s: %s round %d: %v has %d figures, want ≤ %d", rule, c.ID, r.Number, l.Qty, n, c.RoundTo)
						}
						unit := math.Pow(10, math.Floor(math.Log10(x))-float64(c.RoundTo)+1)
						d := l.Qty - x
						if up && !(d >= 0 && d < unit*(1+1e-12)) || !up && !(d <= 0 && -d < unit*(1+1e-12)) {
							t.Errorf("%s: %s round %d: %v rounds %v the wrong way or too far (up=%v)", rule, c.ID, r.Number, l.Qty, x, up)
						}
					}
				}
			}
		}
		if adjusted < 5 || rounded < 3 {
			t.Fatalf("%s: %d adjusting and %d rounding councils; the scenario should have more", rule, adjusted, rounded)
		}
		t.Logf("%s: %d adjusting councils (%d scaled to their budget in round 1), %d rounding", rule, adjusted, scaled, rounded)
	}
}

// halfway returns from + λ(to − from), line by line (the same goods).
func halfway(from, to []planning.Line, lambda float64) []planning.Line {
	out := make([]planning.Line, len(to))
	for k := range to {
		out[k] = planning.Line{Good: to[k].Good, Qty: from[k].Qty + lambda*(to[k].Qty-from[k].Qty)}
	}
	return out
}
