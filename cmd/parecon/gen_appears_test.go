package main

import (
	"strings"
	"testing"

	"parecon/councils"
)

// TestGenAppears: gen --appears R writes a scenario with one good that
// appears at R, the same for the same seed; run plays it to convergence
// after R; a negative R is exit 2 naming appears.
func TestGenAppears(t *testing.T) {
	args := []string{"gen", "--goods", "8", "--councils", "40", "--seed", "2", "--appears", "3"}
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
		if g.Appears != 0 {
			n++
			if g.Appears != 3 || g.Kind != "produced" {
				t.Errorf("good %+v", g)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d goods appear late, want 1", n)
	}
	file := t.TempDir() + "/g.json"
	if code, _, stderr := parecon(t, "gen", "--goods", "8", "--councils", "40", "--seed", "2", "--appears", "3", "-o", file); code != 0 {
		t.Fatalf("gen -o: %s", stderr)
	}
	code, out, stderr := parecon(t, "run", file)
	if code != 0 || !strings.Contains(out, "converged in") {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, _, stderr := parecon(t, "gen", "--appears", "-1"); code != 2 || !strings.Contains(stderr, "appears") {
		t.Errorf("--appears -1: exit %d, %s", code, stderr)
	}
}
