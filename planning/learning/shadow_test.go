package learning_test

import (
	"testing"

	"parecon/councils"
	"parecon/planning/learning"
)

// closeShadowed closes pr's open round and, if the plan goes on, asks l —
// a shadow of the process's own rule, fed the same rounds — for the
// prices just published, failing t unless they are the process's: the
// diagnostic tests read the rule's state from l.
func closeShadowed(t *testing.T, pr *councils.Process, l *learning.Rule) *councils.CloseResult {
	t.Helper()
	cr, err := pr.CloseAt(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cr.Status == councils.StatusOpen {
		rs := pr.Board().Rounds()
		next, _ := l.Next(pr.Plan(), rs[:len(rs)-1])
		for j, p := range next {
			if p != rs[len(rs)-1].Prices[j] {
				t.Fatalf("round %d good %d: the shadow rule's price %g, the process's %g", len(rs)-1, j, p, rs[len(rs)-1].Prices[j])
			}
		}
	}
	return cr
}
