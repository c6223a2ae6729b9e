package learning

import (
	"math"
	"testing"

	"parecon/planning"
)

// TestHoldRelease checks that holdBest releases a hold once it has
// settled above the largest floor, holds the same prices for good when
// the look beat nothing, and never releases a hold settled within the
// floor.
func TestHoldRelease(t *testing.T) {
	p0, p1 := []float64{1, 2}, []float64{1, 2.1}
	round := func(p []float64, g float64) *planning.Round {
		return &planning.Round{Prices: p, MaxGap: g, Gap: []float64{g, 0}}
	}
	run := func(l *Rule, p []float64, g float64) ([]float64, bool) {
		return l.holdBest(round(p, g))
	}
	for _, tc := range []struct {
		name    string
		settled float64 // the largest gap the hold settles at
		release bool
	}{
		{"above the floor", 0.0305, true},
		{"within the floor", 0.0245, false},
	} {
		l := New()
		l.floor = []float64{0.025, 0.01}
		if _, ok := run(l, p0, tc.settled-0.001); ok {
			t.Fatalf("%s: held the first round", tc.name)
		}
		var held []float64
		var ok bool
		for i := 0; i < holdAfter; i++ {
			held, ok = run(l, p1, 0.035)
		}
		if !ok || !sameFloats(held, p0) {
			t.Fatalf("%s: after %d rounds no better, holds %v %v, want the best round's prices %v", tc.name, holdAfter, held, ok, p0)
		}
		if _, ok := run(l, p0, tc.settled+0.002); !ok {
			t.Fatalf("%s: released a hold still moving", tc.name)
		}
		if _, ok := run(l, p0, tc.settled); !ok {
			t.Fatalf("%s: released a hold that moved by %v", tc.name, 0.002)
		}
		_, ok = run(l, p0, tc.settled)
		if ok == tc.release {
			t.Fatalf("%s: settled at %v (floor 0.025): held %v, want released %v", tc.name, tc.settled, ok, tc.release)
		}
		if !tc.release {
			continue
		}
		if l.bestGap != tc.settled || !sameFloats(l.best, p0) {
			t.Fatalf("released with best %v at %v, want %v at %v", l.bestGap, l.best, tc.settled, p0)
		}
		// The look beats nothing: back to the same prices, held for good.
		for i := 0; i < holdAfter; i++ {
			held, ok = run(l, p1, 0.036)
		}
		if !ok || !sameFloats(held, p0) {
			t.Fatalf("after a look that beat nothing holds %v %v, want %v", held, ok, p0)
		}
		for i := 0; i < 5; i++ {
			if _, ok := run(l, p0, tc.settled); !ok {
				t.Fatalf("released again at round %d without a better best", i)
			}
		}
		if math.IsInf(l.releasedAt, 1) {
			t.Fatal("releasedAt not set")
		}
	}
}
