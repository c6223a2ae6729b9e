package councils

import (
	"fmt"
	"math"
	"strconv"
	"testing"
)

// FuzzClose drives the round process with adversarial human proposals:
// the human worker council (mill) and consumer council (north) of the
// mixed scenario send, round after round, quantities chosen by the
// fuzzer (huge, tiny, negative, written as JSON numbers of any size).
// Whatever they send, nothing panics; a proposal is either refused with a
// field or counted; and every close either yields finite totals, gaps and
// next prices, or stops the plan with a reason. This is the attack of a
// council that submits {"outputs": {"bread": 1e308}}.
func FuzzClose(f *testing.F) {
	f.Add(1.0, 0.5, 0.1, 10.0, 3.0, uint8(3))
	f.Add(1e308, 0.0, 0.0, 1e308, 1e308, uint8(2))
	f.Add(1e12, 1e-300, 1e12, 1e12, 1e-12, uint8(4))
	f.Add(math.MaxFloat64, math.SmallestNonzeroFloat64, 1e11, 5e11, 9.99e11, uint8(5))
	f.Add(-1.0, 2.0, 0.0, 0.0, 1.0, uint8(1))
	e := mixedEconomy(f)
	mill, _ := e.Council("mill")
	north, _ := e.Council("north")
	f.Fuzz(func(t *testing.T, out, labor, co2, bread, land float64, rounds uint8) {
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
			// Scale the fuzzer's numbers a little each round, so that
			// later rounds differ from the first.
			s := float64(k + 1)
			bodies := []struct {
				c    int
				body string
			}{
				{mill, fmt.Sprintf(`{"outputs":{"bread":%s},"inputs":{"labor":%s},"emissions":{"co2":%s}}`, num(out*s), num(labor), num(co2))},
				{north, fmt.Sprintf(`{"requests":{"bread":%s,"land":%s}}`, num(bread/s), num(land))},
			}
			for _, b := range bodies {
				pr, _, _, err := p.CheckProposal(b.c, r.Number, []byte(b.body))
				if err != nil {
					if ce := AsError(err); ce.Kind != Invalid || ce.Field == "" {
						t.Fatalf("%s refused without an invalid field: %v", b.body, err)
					}
					continue
				}
				p.Accept(b.c, pr)
			}
			res, err := p.Close()
			if err != nil {
				t.Fatalf("close: %v", err)
			}
			st, reason := p.Status()
			if st == StatusStopped && reason == "" {
				t.Fatal("stopped without a reason")
			}
			closed := res.Closed
			if st == StatusStopped {
				continue // a stopped plan may hold the totals that stopped it
			}
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
				for c, b := range res.Next.Budgets {
					if math.IsNaN(b) || math.IsInf(b, 0) {
						t.Fatalf("round %d opens with budget %v for %s", res.Next.Number, b, e.Plan.Councils[c].ID)
					}
				}
			}
		}
	})
}
