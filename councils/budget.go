package councils

import "parecon/planning"

// budgets sets the open round r's budgets by the one rule of Budget: each
// consumer council's and federation's share (net of the federations'
// levies) of the pool, after the commons levy φ. Without commons goods φ
// is 0, and the budgets are the board's share·pool bit for bit.
func (l *Process) budgets(r *planning.Round) {
	const phi = 0.0 // the commons levy φ_t: 0 in a plan without commons goods
	for i, c := range l.plan.Councils {
		if c.Role == planning.Consumer {
			r.Budgets[i] = Budget(c.Share, phi, r.Pool)
		}
	}
}
