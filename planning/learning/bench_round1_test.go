package learning_test

import (
	"context"
	"runtime/pprof"
	"testing"

	"parecon/planning/rules"
)

// BenchmarkLearningRound1 times the learning rule's second call, the round
// in which prices first moved (round 1 of parecon run): each iteration
// plays round 0's leap on a fresh rule untimed, then times its call on
// round 1's proposals. Sizes as for BenchmarkLearningSteadyRound.
func BenchmarkLearningRound1(b *testing.B) {
	e := benchEconomy(b)
	plan, board := closedRound0(b, e)
	plan.Tolerance = 1e-6
	rule, _ := rules.New("learning", 0)
	next, _ := rule.Next(plan, board.Rounds())
	if _, err := board.Open(next); err != nil {
		b.Fatal(err)
	}
	closeOpen(b, board, e)
	rounds := board.Rounds()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		rule, _ := rules.New("learning", 0)
		rule.Next(plan, rounds[:1])
		b.StartTimer()
		pprof.Do(context.Background(), pprof.Labels("round", "one"), func(context.Context) {
			rule.Next(plan, rounds)
		})
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/round")
}
