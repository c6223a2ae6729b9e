package learning_test

import (
	"testing"

	"parecon/councils"
	"parecon/planning/learning"
)

// TestLearningSolveBack plays the people-1 crowd on the 300 × 900
// economy of seed 6 (Cobb–Douglas consumers), where round 0's step made a
// worker with returns near constant plan 2·10⁷ units and the learned
// economy could not be solved from round 1's prices: every round after
// took a safe step, the largest gap stayed at 1, and the plan ended 40
// rounds at 0.52. From halfway back to round 0's prices it solves: the
// first five rounds take no safe step and leave a largest gap of 0.40.
func TestLearningSolveBack(t *testing.T) {
	if testing.Short() {
		t.Skip("300 × 900 economy")
	}
	e := crowdEconomy(t, 300, 900, 6, false, crowdNamed(t, "people-1"))
	pr := coldProcess(t, e, 5)
	l := learning.New()
	var gaps []float64
	for {
		cr := closeShadowed(t, pr, l)
		gaps = append(gaps, cr.Closed.MaxGap)
		if cr.Status != councils.StatusOpen {
			break
		}
	}
	if l.Fallbacks != 0 {
		t.Errorf("%d safe steps in %d rounds, want none (largest gaps %.3g)", l.Fallbacks, len(gaps), gaps)
	}
	if g := gaps[len(gaps)-1]; !(g < 0.5) {
		t.Errorf("largest gap %.3g after %d rounds, want below 0.5 (%.3g)", g, len(gaps), gaps)
	}
}
