package learning

import "parecon/planning"

// The commons fund (docs/spec/economy.md, "Commons goods") as the board
// knows it: the levy φ and split ω it will publish follow from the votes
// of the standing proposals (planning.Plan.Levy, the board's own rule), so
// the learned economy needs no fitting for them. Consumer councils share
// (1 − φ) of the pool, and the fund buys ω_j·φ·pool/p_j of each commons
// good j: a demand proportional to the pool, like a Cobb–Douglas
// consumer's, which the consumers' aggregate carries (and the Jacobians
// with it).
type commonsState struct {
	on    bool      // the plan has commons goods
	levy  float64   // φ of the next round
	split []float64 // ω of the next round, per good
	k     kState    // the commons K and the workers' response to it (commons_k.go)
	// drive, when set, replaces φ·ω_j as the fund's share of the pool
	// for each commons good j (see solveCommons).
	drive []float64
}

// setCommons sets the levy and split the board will publish after round r:
// those its standing proposals vote.
func (m *fitted) setCommons(plan *planning.Plan, r *planning.Round) {
	if r.K == nil {
		return
	}
	m.commons.on = true
	m.commons.levy, m.commons.split = plan.LevyAt(r.Votes(), r.Number+1)
	m.setK(plan, r)
	m.aggOK = false
}

// budgetShare is the share of the pool council c's budget is:
// s_c·(1 − φ).
func (m *fitted) budgetShare(c int) float64 {
	return m.plan.Councils[c].Share * (1 - m.commons.levy)
}

// addFund adds the commons fund's purchase to the consumers' aggregate:
// φ·ω_j of the pool, spent in full, on each commons good j.
func (m *fitted) addFund() {
	if !m.commons.on {
		return
	}
	for j, w := range m.commons.split {
		a := m.commons.levy * w
		if m.commons.drive != nil {
			a = m.commons.drive[j]
		}
		if a != 0 {
			m.cdFull[j] += a
			m.cdPart[j] += a
		}
	}
}
