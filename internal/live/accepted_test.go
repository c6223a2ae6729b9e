package live

import (
	"testing"

	"parecon/councils"
)

// TestAcceptedFrameAsFrame: the typed proposal.accepted is byte for byte
// what frame writes (same keys, same order, same omissions).
func TestAcceptedFrameAsFrame(t *testing.T) {
	x, y := 1.5, 2.0
	for _, a := range []ack{{round: 3, id: 7}, {round: 0, id: 1, verdict: councils.Verdict{SBSC: &x}}, {round: 2, id: 9, verdict: councils.Verdict{Cost: &x, Budget: &y}}} {
		for _, ref := range []string{"", "r1"} {
			got := string(acceptedFrame(ref, a))
			want := string(frame("proposal.accepted", "ref", ref, "round", a.round, "proposalId", a.id, "sbsc", a.verdict.SBSC, "cost", a.verdict.Cost, "budget", a.verdict.Budget))
			if got != want {
				t.Fatalf("got %s want %s", got, want)
			}
		}
	}
}
