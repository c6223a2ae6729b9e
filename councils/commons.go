package councils

import (
	"math"

	"parecon/planning"
)

// The commons (docs/spec/economy.md, "Commons goods"): how a scenario's
// commons fields reach the board and the models. The rules of the fund
// (levy, split, fund, budgets, K) are the board's: planning/commons.go.

// compileCommons gives council c (compiled as pc, with model m, nil for a
// human council) its commons fields: a simulated consumer council's vote,
// in pc for round 0 and in its model for every round; a simulated worker
// council's commons inputs.
func (e *Economy) compileCommons(c *CouncilSpec, pc *planning.Council, m Model) {
	switch m := m.(type) {
	case *Consumer:
		if c.CommonsShare != nil {
			v := &planning.Vote{Share: *c.CommonsShare}
			if c.CommonsWeights != nil {
				v.Weights = lines(c.CommonsWeights, e.goods)
			}
			pc.Vote, m.Vote = v, v
		}
	case *CobbDouglas:
		if len(c.Commons) > 0 {
			m.Commons = lines(c.Commons, e.goods)
		}
	case *CES:
		if len(c.Commons) > 0 {
			m.Commons = lines(c.Commons, e.goods)
		}
	}
}

// lnCommons returns Σ γ_j·ln K_j over commons lines, reading ln K_j from
// lnp[n+j] (see Model), n the number of goods.
func lnCommons(commons []planning.Line, lnp []float64, n int) float64 {
	s := 0.0
	for _, l := range commons {
		s += l.Qty * lnp[n+l.Good]
	}
	return s
}

// setLogs sets lnp to the logarithms of round r's prices followed, in a
// plan with commons goods (lnp twice the goods long), by those of its
// commons K (0 for a rival good).
func setLogs(lnp []float64, r *planning.Round) {
	n := len(r.Prices)
	for j, p := range r.Prices {
		lnp[j] = math.Log(p)
	}
	if len(lnp) < 2*n {
		return
	}
	for j := range n {
		lnp[n+j] = 0
		if r.K != nil && r.K[j] > 0 {
			lnp[n+j] = math.Log(r.K[j])
		}
	}
}

// logsLen is how long a models' lnp is for plan: the goods, twice over
// with commons goods.
func logsLen(plan *planning.Plan) int {
	if plan.HasCommons() {
		return 2 * len(plan.Goods)
	}
	return len(plan.Goods)
}
