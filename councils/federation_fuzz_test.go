package councils

import (
	"fmt"
	"math"
	"strconv"
	"testing"
)

// FuzzCloseFederation drives the round process with a human federation's
// adversarial collective requests (huge, tiny, negative, any JSON number),
// round after round, next to simulated councils and a simulated
// federation: nothing panics, a request is refused with an invalid field
// or counted within the federation's budget, every open round's budgets
// add up to its pool, and every close has finite totals and next prices
// or stops the plan with a reason.
func FuzzCloseFederation(f *testing.F) {
	f.Add(1.0, 0.5, 0.1, uint8(3))
	f.Add(1e308, 0.0, 1e308, uint8(2))
	f.Add(1e12, 1e-300, 1e-12, uint8(4))
	f.Add(math.MaxFloat64, math.SmallestNonzeroFloat64, -1.0, uint8(5))
	e := mustEconomy(f, mustParse(f, federatedHead+`[
	  {"id": "city", "levy": 0.1, "weights": {"parks": 0.5, "food": 0.5}, "elasticity": 2},
	  {"id": "east", "parent": "city", "members": ["a", "b", "farm"], "levy": 0.2},
	  {"id": "west", "parent": "city", "members": ["c", "parkers"]}]}`))
	east, _ := e.Council("east")
	f.Fuzz(func(t *testing.T, food, land, parks float64, rounds uint8) {
		p, err := NewProcess(e, ProcessOptions{MaxRounds: 8})
		if err != nil {
			t.Fatal(err)
		}
		num := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
		for k := 0; k < int(rounds%6)+1; k++ {
			if st, _ := p.Status(); st != StatusOpen {
				return
			}
			r := p.Round()
			sum := 0.0
			for _, b := range r.Budgets {
				sum += b
			}
			if math.Abs(sum-r.Pool) > 1e-9*r.Pool {
				t.Fatalf("round %d: budgets %v, pool %v", r.Number, sum, r.Pool)
			}
			body := fmt.Sprintf(`{"requests":{"food":%s,"land":%s,"parks":%s}}`, num(food*float64(k+1)), num(land), num(parks))
			pr, _, v, err := p.CheckProposal(east, r.Number, []byte(body))
			if err != nil {
				if ce := AsError(err); ce.Kind != Invalid || ce.Field == "" {
					t.Fatalf("%s refused without an invalid field: %v", body, err)
				}
			} else {
				if v.Cost == nil || *v.Cost > r.Budgets[east]*(1+1e-9) {
					t.Fatalf("%s accepted at cost %v over the budget %v", body, v.Cost, r.Budgets[east])
				}
				p.Accept(east, pr)
			}
			res, err := p.Close()
			if err != nil {
				t.Fatalf("close: %v", err)
			}
			st, reason := p.Status()
			if st == StatusStopped && reason == "" {
				t.Fatal("stopped without a reason")
			}
			if st == StatusStopped {
				continue
			}
			closed := res.Closed
			for j := range closed.Supply {
				for _, x := range []float64{closed.Supply[j], closed.Demand[j], closed.Gap[j], closed.Prices[j]} {
					if math.IsNaN(x) || math.IsInf(x, 0) {
						t.Fatalf("round %d of an open plan has a non-finite number for %s", closed.Number, e.Plan.Goods[j].ID)
					}
				}
			}
			if res.Next != nil {
				for j, x := range res.Next.Prices {
					if !(x > 0) || math.IsInf(x, 0) {
						t.Fatalf("round %d opens with price %v for %s", res.Next.Number, x, e.Plan.Goods[j].ID)
					}
				}
			}
			_ = e.RollUps(closed, 3)
		}
	})
}
