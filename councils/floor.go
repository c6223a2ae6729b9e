package councils

import (
	"fmt"
	"math"
)

// FloorReach is how far above the rounding floor a gap still counts as
// down to it: a plan of rounding councils is "at the floor" once every gap
// is within FloorReach × RoundingFloor. The floor is measured at one point
// (the smooth equilibrium) and a rounded line jumps by a whole unit of its
// last figure with a tiny move of the prices, so the gaps the rounding
// leaves near the equilibrium scatter around it.
const FloorReach = 1.25

// RoundingFloor returns the floor that e's rounding councils (and
// federations) leave: the largest gap they leave when held at the
// equilibrium of the same economy with nobody rounding or moving part of
// the way (for FloorHold rounds, so that partial adjusters, the commons and
// the surplus pool have caught up with those prices). It is the gap at one
// point: a line of two significant figures supplies 1,200 or 1,300 and
// nothing between, so prices near the equilibrium leave gaps above it or,
// by luck, below it, and a rule cannot count on closing every gap below
// it; a plan of such councils needs a tolerance above it (FloorReach ×
// floor). It is 0 where nobody rounds. It needs every council simulated
// (Run's condition) and fails if the default rule does not solve the
// smooth economy in floorRounds rounds.
func RoundingFloor(e *Economy) (float64, error) {
	rounds := false
	for _, c := range e.Scenario.Councils {
		rounds = rounds || c.RoundTo > 0
	}
	for _, f := range e.Scenario.Federations {
		rounds = rounds || f.RoundTo > 0
	}
	if !rounds {
		return 0, nil
	}
	sc := *e.Scenario
	sc.Councils = append([]CouncilSpec(nil), sc.Councils...)
	for i := range sc.Councils {
		sc.Councils[i].RoundTo, sc.Councils[i].Adjust = 0, 0
	}
	sc.Federations = append([]FederationSpec(nil), sc.Federations...)
	for i := range sc.Federations {
		sc.Federations[i].RoundTo, sc.Federations[i].Adjust = 0, 0
	}
	smooth, err := NewEconomy(&sc)
	if err != nil {
		return 0, err
	}
	ref, err := Run(smooth, RunOptions{Tolerance: floorTolerance, MaxRounds: floorRounds})
	if err != nil {
		return 0, err
	}
	if !ref.Converged {
		return 0, fmt.Errorf("the rounding floor: the default rule did not solve the economy without rounding and partial adjustment in %d rounds (gap %.3g)", floorRounds, ref.Last().MaxGap)
	}
	// Prices held: a tâtonnement step too small to move them.
	at, err := Run(e, RunOptions{Rule: "tatonnement", Step: math.SmallestNonzeroFloat64, Tolerance: floorTolerance, MaxRounds: FloorHold, Prices: ref.Last().Prices})
	if err != nil {
		return 0, err
	}
	return at.Last().MaxGap, nil
}

// floorTolerance and floorRounds are the smooth solve of RoundingFloor: a
// gap far below any rounding's, in rounds far more than the default rule
// needs on economies without rounding and partial adjustment.
const (
	floorTolerance = 1e-10
	floorRounds    = 200
)

// FloorHold is how many rounds RoundingFloor holds the councils at the
// smooth solve's prices. Round 0 is not the held state even at the
// equilibrium's prices (its budgets have no surplus to share yet, and the
// commons stand at their stock), and a council of λ 0.3 then closes 0.3 of
// what is left each round: a gap of 0.27 at round 0, 10⁻⁴ after 23 rounds.
// (Six rounds, first used by the tests, left a gap of 0.008 of partial
// adjusters in some crowds, more than many floors.)
const FloorHold = 24
