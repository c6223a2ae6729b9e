package live

import (
	"parecon/councils"
	"parecon/planning"
)

// The commons fund on the wire (docs/spec/protocol.md, version 2: levy,
// fund and commons in round.opened, round.closed and the snapshot); the
// board computes them (planning/commons.go), this only shows them.

// commonsView returns the levy, fund and {good: K} of a round whose K is k
// (nil in a plan without commons goods: then all three are nil).
func commonsView(e *councils.Economy, levy, fund float64, k []float64) (*float64, *float64, map[string]float64) {
	if k == nil {
		return nil, nil, nil
	}
	m := map[string]float64{}
	for j, g := range e.Plan.Goods {
		if g.Commons {
			m[g.ID] = k[j]
		}
	}
	return &levy, &fund, m
}

// usersOf returns how many people use each commons good in round r: the
// uses its standing proposals declare, summed (nil without commons goods).
func usersOf(e *councils.Economy, r *planning.Round) map[string]float64 {
	if r.K == nil {
		return nil
	}
	m := map[string]float64{}
	for j, g := range e.Plan.Goods {
		if g.Commons {
			m[g.ID] = 0
			for _, pr := range r.Proposals {
				if pr != nil {
					m[g.ID] += planning.Qty(pr.Uses, j)
				}
			}
		}
	}
	return m
}
