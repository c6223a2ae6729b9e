package learning

import (
	"math"
	"testing"

	"parecon/planning"
)

// TestUnround checks the midpoints unround reads from rounded proposals:
// half a unit of the last figure up for a line the spec rounds down (a
// consumer's requests, a worker's outputs), down for one it rounds up (a
// worker's inputs and emissions), zeros kept.
func TestUnround(t *testing.T) {
	line := func(q float64) []planning.Line { return []planning.Line{{Good: 1, Qty: q}} }
	for _, tc := range []struct {
		name    string
		role    planning.Role
		q       float64 // the council's resolution: 0.1 for 2 figures
		out, in float64
		wantOut float64
		wantIn  float64
	}{
		{"consumer, 2 figures", planning.Consumer, 0.1, 0, 1200, 0, 1250},
		{"consumer, 3 figures", planning.Consumer, 0.01, 0, 0.0123, 0, 0.01235},
		{"worker, 2 figures", planning.Worker, 0.1, 1300, 47, 1350, 46.5},
		{"worker, zero input", planning.Worker, 0.1, 9.9, 0, 9.95, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr := &planning.Proposal{In: line(tc.in)}
			if tc.role == planning.Worker {
				pr.Out = line(tc.out)
			}
			var dst planning.Proposal
			got := unround(pr, tc.q, tc.role, &dst)
			if tc.role == planning.Worker && math.Abs(got.Out[0].Qty-tc.wantOut) > 1e-9*tc.wantOut {
				t.Errorf("output %g, want %g", got.Out[0].Qty, tc.wantOut)
			}
			if math.Abs(got.In[0].Qty-tc.wantIn) > 1e-9*math.Max(tc.wantIn, 1e-300) {
				t.Errorf("input %g, want %g", got.In[0].Qty, tc.wantIn)
			}
			if pr.In[0].Qty != tc.in {
				t.Error("unround changed the proposal")
			}
		})
	}
}

// TestLagPrior checks that a council whose rounds teach nothing about its
// speed (no move of its identity) is shrunk towards the prior the rule
// learned across councils, and one that has shown its speed is not.
func TestLagPrior(t *testing.T) {
	var quiet, moving lagFit
	quiet.prior, moving.prior = 0.5, 0.5
	quiet.lam, moving.lam = 1, 1
	for range 5 {
		quiet.add(1e-4, 1e-4*0.3) // a move far below lagPrior's square root
		moving.add(0.5, 0.5*0.9)  // λ = 0.9, clearly shown
	}
	if math.Abs(quiet.speed()-0.5) > 0.05 {
		t.Errorf("a council with nothing to show moves %.3g, want the prior 0.5", quiet.speed())
	}
	if math.Abs(moving.speed()-0.9) > 0.02 {
		t.Errorf("a council that showed λ = 0.9 moves %.3g", moving.speed())
	}
	if quiet.informed || !moving.informed {
		t.Errorf("informed: quiet %v, moving %v", quiet.informed, moving.informed)
	}
}
