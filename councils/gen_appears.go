package councils

import (
	"fmt"
	"math/rand/v2"
)

// addAppears makes one produced good of sc, drawn from seed among the
// rival ones, appear at round r (docs/spec/economy.md, "New goods: free
// productive choice"); r = 0 leaves sc as it is. A new good is new to the
// workplaces too: no worker council uses it as an input (its exponent
// goes to the council's labour, so its returns to scale stay), while
// the consumer councils that want it keep their weights.
func addAppears(sc *Scenario, r int, seed uint64) error {
	if r == 0 {
		return nil
	}
	if r < 0 || r > MaxPlanRounds {
		return Problems{{Path: "appears", Message: fmt.Sprintf("%d: a good appears at a round from 0 to %d", r, MaxPlanRounds)}}
	}
	var prod []int
	for i, g := range sc.Goods {
		if g.Kind == "produced" && !g.IsCommons() && g.ID != sc.Numeraire {
			prod = append(prod, i)
		}
	}
	if len(prod) == 0 {
		return Problems{{Path: "appears", Message: "no rival produced good to appear late"}}
	}
	rng := rand.New(rand.NewPCG(seed, 0xa99ea75))
	g := &sc.Goods[prod[rng.IntN(len(prod))]]
	g.Appears = r
	labor := map[string]bool{}
	for _, x := range sc.Goods {
		if x.Kind == "labor" {
			labor[x.ID] = true
		}
	}
	for i := range sc.Councils {
		c := &sc.Councils[i]
		beta, ok := c.Inputs[g.ID]
		if !ok {
			continue
		}
		delete(c.Inputs, g.ID)
		for _, k := range sortedGoods(c.Inputs) {
			if labor[k] {
				c.Inputs[k] += beta
				break
			}
		}
	}
	sc.Name += fmt.Sprintf("-appears%d", r)
	return nil
}
