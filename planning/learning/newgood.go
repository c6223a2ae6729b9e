package learning

import "parecon/planning"

// New goods (docs/new-goods.md): a good joins the catalogue at a round of
// the plan (planning.Good.Appears). The round it first shows is a round of
// a different economy: its makers and the councils that use it propose for
// the first time, and the others move their requests onto it. What the
// rule had learned of the others still holds, but its trust region, shrunk
// while the smaller economy converged, would crawl to a price it has never
// seen. So the round a good appears in opens the region again, as in the
// plan's first round; the new good, whose makers may make nothing at its
// opening price, is priced by the partial solve (tâtonnement for goods
// without supply, Newton steps for the rest) until its makers show how they
// answer.

// appeared reports whether a good joins the catalogue in round r (after
// round 0).
func appeared(plan *planning.Plan, r *planning.Round) bool {
	if r.Number == 0 {
		return false
	}
	for _, g := range plan.Goods {
		if g.Appears == r.Number {
			return true
		}
	}
	return false
}

// welcome opens the trust region in the round a good appears.
func (l *Rule) welcome(plan *planning.Plan, r *planning.Round) {
	if appeared(plan, r) {
		l.radius = radiusInit
		l.swings = 0
	}
}
