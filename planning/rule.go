package planning

import "math"

// Rule moves the prices between rounds. It sees the plan (the catalogue)
// and the rounds so far, the last one closed; it returns the prices of the
// next round and the step it took, for the log. A rule may keep state
// between calls, so each plan needs its own rule (see package planning/rules).
type Rule interface {
	Name() string
	Next(plan *Plan, rounds []*Round) (prices []float64, step float64)
}

// A SafeStepper is a rule that says whether its last step was a safe
// one: taken by a rule of thumb (a stiffer economy's step, a tâtonnement
// step) because the model it steers by gave no answer at those prices.
// The engine reports it with each round; a plan whose rule takes safe
// steps round after round is one the rule does not yet understand.
type SafeStepper interface {
	Rule
	SafeStep() bool
}

// Tatonnement is the classic rule: p ← p·exp(step·z/(supply+demand)).
type Tatonnement struct{ Step float64 }

// Name returns "tatonnement".
func (*Tatonnement) Name() string { return "tatonnement" }

// Next moves every price but the numéraire's by the relative excess demand.
func (t *Tatonnement) Next(plan *Plan, rounds []*Round) ([]float64, float64) {
	r := rounds[len(rounds)-1]
	p := append([]float64(nil), r.Prices...)
	for j := range p {
		if j == plan.Numeraire {
			continue
		}
		if s := r.Supply[j] + r.Demand[j]; s > 0 {
			p[j] *= math.Exp(t.Step * (r.Demand[j] - r.Supply[j]) / s)
		}
	}
	return p, t.Step
}

// Pequod is the step rule of the Pequod simulations (Hahnel and
// Szczepanczyk): δ = max(0.001, min(step, |step·s|)) with
// s = 2(supply−demand)/(supply+demand); the price rises by the factor 1+δ
// where demand exceeds supply and falls by 1−δ otherwise.
type Pequod struct{ Step float64 }

// Name returns "pequod".
func (*Pequod) Name() string { return "pequod" }

// Next moves every price but the numéraire's by its δ.
func (q *Pequod) Next(plan *Plan, rounds []*Round) ([]float64, float64) {
	r := rounds[len(rounds)-1]
	p := append([]float64(nil), r.Prices...)
	maxd := 0.0
	for j := range p {
		if j == plan.Numeraire {
			continue
		}
		s := 0.0
		if t := r.Supply[j] + r.Demand[j]; t > 0 {
			s = 2 * (r.Supply[j] - r.Demand[j]) / t
		}
		d := math.Max(0.001, math.Min(q.Step, math.Abs(q.Step*s)))
		maxd = math.Max(maxd, d)
		if r.Demand[j] > r.Supply[j] {
			p[j] *= 1 + d
		} else {
			p[j] *= 1 - d
		}
	}
	return p, maxd
}
