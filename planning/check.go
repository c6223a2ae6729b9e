package planning

import (
	"fmt"
	"math"
)

// Slack is the relative slack of the SB/SC and budget checks.
const Slack = 1e-9

// Side names the part of a proposal a violation is in.
type Side uint8

// The sides of a proposal.
const (
	SideNone Side = iota
	SideOut       // outputs
	SideIn        // inputs, emissions or requests
)

// Violation is why a proposal fails the board's checks.
type Violation struct {
	Side   Side
	Good   int // the good at fault, or -1 for the proposal as a whole
	Reason string
}

// Error returns the reason.
func (v *Violation) Error() string { return v.Reason }

// Check applies the board's numeric checks to council c's proposal at
// prices p and budget: quantities finite and ≥ 0, a worker council's
// SB/SC ≥ 1 (a proposal of all zeros passes), a consumer council's cost
// within its budget. Both within Slack. It returns nil if the proposal
// passes.
func Check(plan *Plan, c int, pr *Proposal, p []float64, budget float64) *Violation {
	for _, side := range [...]struct {
		s     Side
		lines []Line
	}{{SideOut, pr.Out}, {SideIn, pr.In}} {
		for _, l := range side.lines {
			if l.Good < 0 || l.Good >= len(plan.Goods) {
				return &Violation{side.s, -1, "unknown good"}
			}
			if math.IsNaN(l.Qty) || math.IsInf(l.Qty, 0) {
				return &Violation{side.s, l.Good, "quantity is not a finite number"}
			}
			if l.Qty < 0 {
				return &Violation{side.s, l.Good, "quantity is negative"}
			}
		}
	}
	sb, sc := Value(pr.Out, p), Value(pr.In, p)
	switch plan.Councils[c].Role {
	case Worker:
		if sb < sc*(1-Slack) {
			return &Violation{SideOut, -1, fmt.Sprintf("SB/SC is %.6g, below 1: outputs worth %.6g cost %.6g at this round's prices", sb/sc, sb, sc)}
		}
	case Consumer:
		if len(pr.Out) > 0 {
			return &Violation{SideOut, -1, "a consumer council proposes no outputs"}
		}
		if sc > budget*(1+Slack) {
			return &Violation{SideIn, -1, fmt.Sprintf("cost %.6g exceeds the budget %.6g", sc, budget)}
		}
	}
	return nil
}

// passes reports whether a proposal whose quantities are all finite and
// ≥ 0, with out output lines worth sb and inputs worth sc, passes the value
// checks of a council of role: Check's last tests, without their messages.
func passes(role Role, sb, sc float64, out int, budget float64) bool {
	switch role {
	case Worker:
		return !(sb < sc*(1-Slack))
	case Consumer:
		return out == 0 && !(sc > budget*(1+Slack))
	}
	return true
}
