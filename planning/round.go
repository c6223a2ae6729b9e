package planning

import "math"

// FreePrice is the fraction of the numéraire's price below which a good in
// excess supply is free: its gap counts as zero.
const FreePrice = 1e-9

// Round is one iteration of a plan as the board sees it: the prices and
// budgets it published, the proposals standing when it closed, and the
// totals it computed from them.
type Round struct {
	Number int
	// Prices are the indicative prices published for the round.
	Prices []float64
	// Pool is the value shared among consumer councils as budgets.
	Pool float64
	// Budgets holds each council's budget (zero for worker councils).
	Budgets []float64
	// The commons fund (zero and nil in a plan without commons goods):
	// the levy φ, the fund φ·pool, the split ω (per good, zero for a rival
	// good) and the commons K = stock + the previous round's output (per
	// good, zero for a rival good). See commons.go.
	Levy  float64
	Fund  float64
	Split []float64
	K     []float64
	// Proposals holds each council's standing proposal, nil if none.
	Proposals []*Proposal
	// Fresh reports, per council, whether its proposal was submitted in
	// this round rather than carried from an earlier one.
	Fresh []bool
	// Failing counts the standing proposals that fail their checks at this
	// round's prices and budgets (a carried proposal may).
	Failing int

	// Set when the round closes.
	Closed    bool
	Supply    []float64
	Demand    []float64
	Gap       []float64
	MaxGap    float64
	Worst     int     // the good with the largest gap
	Surplus   float64 // worker councils' total surplus at this round's prices
	Converged bool
}

// Excess returns demand − supply of good j.
func (r *Round) Excess(j int) float64 { return r.Demand[j] - r.Supply[j] }

// Gap returns |z| / max(supply, demand), or 0 where both are 0.
func Gap(supply, demand float64) float64 {
	m := math.Max(supply, demand)
	if m <= 0 {
		return 0
	}
	return math.Abs(demand-supply) / m
}
