package loadtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"parecon/councils"
)

// Council is what the load test knows of one human council: its type and,
// for a worker council, the produced good it proposes to make and the
// labour it proposes to use.
type Council struct {
	ID     string
	Worker bool
	Output string // worker: the produced good of its generated model
	Labor  string // worker: the labour good it uses
	Wants  []string
}

// Scenario returns a generated economy (councils.Generate) of n councils
// and goods produced goods in which every council is human: the worker
// councils' technologies and the consumer councils' preferences are
// stripped, so that people (here, the load test's clients) propose for
// them. The facilitation uses tatonnement, a tolerance no random
// proposals meet and room for rounds more rounds, so the plan stays open
// for the whole test. It returns the scenario's JSON and its councils.
func Scenario(n, goods, rounds int, seed uint64) ([]byte, []Council, error) {
	if goods < 2 {
		goods = 2
	}
	if n < goods+1 {
		return nil, nil, fmt.Errorf("loadtest: at least %d councils for %d produced goods", goods+1, goods)
	}
	sc, err := councils.Generate(councils.GenOptions{Goods: goods, Councils: n, Seed: seed})
	if err != nil {
		return nil, nil, err
	}
	sc.Name = fmt.Sprintf("loadtest-%d", n)
	out := make([]Council, 0, len(sc.Councils))
	for i := range sc.Councils {
		c := &sc.Councils[i]
		lc := Council{ID: c.ID, Worker: c.Type == "worker"}
		if lc.Worker {
			lc.Output = c.Output
			lc.Labor = sc.Numeraire
			c.Output, c.Scale, c.Inputs, c.Emissions = "", 0, nil, nil
		} else {
			for _, g := range slices.Sorted(maps.Keys(c.Weights)) {
				if len(lc.Wants) < 3 {
					lc.Wants = append(lc.Wants, g)
				}
			}
			c.Weights, c.Elasticity = nil, 0
		}
		out = append(out, lc)
	}
	sc.Facilitation = &councils.Facilitation{Rule: "tatonnement", Tolerance: 1e-12, MaxRounds: rounds + 10}
	if ps := councils.Validate(sc); len(ps) > 0 {
		return nil, nil, fmt.Errorf("loadtest: the stripped scenario is invalid: %v", ps)
	}
	b, err := json.Marshal(sc)
	return b, out, err
}

// Proposal returns a valid proposal of c at prices (and budget, for a
// consumer council): a worker council makes n units of its good with
// labour worth half their value (SB/SC = 2); a consumer council spends
// about half its budget on up to three goods it wanted. The quantities
// vary with n so that successive proposals differ.
func (c *Council) Proposal(prices map[string]float64, budget float64, n int) map[string]any {
	if c.Worker {
		po, pl := prices[c.Output], prices[c.Labor]
		if po <= 0 || pl <= 0 {
			return map[string]any{"outputs": map[string]float64{}}
		}
		y := 1 + float64(n%7)
		return map[string]any{
			"outputs": map[string]float64{c.Output: y},
			"inputs":  map[string]float64{c.Labor: 0.5 * y * po / pl},
		}
	}
	req := map[string]float64{}
	if len(c.Wants) > 0 && budget > 0 {
		share := (0.4 + 0.01*float64(n%10)) * budget / float64(len(c.Wants))
		for _, g := range c.Wants {
			if p := prices[g]; p > 0 {
				req[g] = share / p
			}
		}
	}
	return map[string]any{"requests": req}
}
