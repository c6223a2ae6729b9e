package main

import (
	"testing"

	"parecon/councils"
)

// TestGenCommons checks gen --commons M: M commons goods with stocks, the
// same seed the same economy, and a bad M exit 2.
func TestGenCommons(t *testing.T) {
	args := []string{"gen", "--goods", "8", "--councils", "40", "--seed", "2", "--commons", "3"}
	code, a, stderr := parecon(t, args...)
	_, b, _ := parecon(t, args...)
	if code != 0 || a != b {
		t.Fatalf("exit %d or not deterministic: %s", code, stderr)
	}
	sc, err := councils.ParseScenario([]byte(a))
	if err != nil {
		t.Fatalf("gen wrote a bad scenario: %v", err)
	}
	n := 0
	for _, g := range sc.Goods {
		if g.IsCommons() && g.Stock > 0 {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d commons goods with a stock, want 3", n)
	}
	if code, _, stderr := parecon(t, "gen", "--goods", "3", "--councils", "10", "--commons", "3"); code != 2 || stderr == "" {
		t.Errorf("--commons 3 of 3 goods: exit %d, stderr %q", code, stderr)
	}
}
