package learning_test

import (
	"flag"
	"math"
	"testing"

	"parecon/councils"
	"parecon/planning"
	"parecon/planning/learning"
	"parecon/planning/rules"
)

var benchGoods = flag.Int("bench-goods", 200, "produced goods of BenchmarkLearningSteadyRound's economy")
var benchCouncils = flag.Int("bench-councils", 20000, "councils of BenchmarkLearningSteadyRound's economy")

// BenchmarkLearningSteadyRound times the learning rule's work for one
// steady round (refit every council from its proposal, solve the learned
// economy from the last solution, predict the next round) on a generated
// economy that has converged. Scale it with -bench-goods and
// -bench-councils (issue 2's scale: 1000 and 100000).
func BenchmarkLearningSteadyRound(b *testing.B) {
	e := benchEconomy(b)
	plan := *e.Plan
	plan.Tolerance = 1e-9
	rule, _ := rules.New("learning", 0)
	board, err := planning.NewBoard(&plan, e.Prices)
	if err != nil {
		b.Fatal(err)
	}
	lnp := make([]float64, len(plan.Goods))
	for t := 0; t < 4; t++ {
		r := board.Current()
		for j, p := range r.Prices {
			lnp[j] = math.Log(p)
		}
		submitAll(board, e, r, lnp)
		if _, err := board.Close(); err != nil {
			b.Fatal(err)
		}
		if t == 3 {
			break
		}
		next, _ := rule.Next(&plan, board.Rounds())
		if _, err := board.Open(next); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	n0, g0, _, _ := learning.Stats(rule)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rule.Next(&plan, board.Rounds())
	}
	b.StopTimer()
	n1, g1, _, _ := learning.Stats(rule)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/round")
	b.ReportMetric(float64(n1-n0)/float64(b.N), "newton/round")
	b.ReportMetric(float64(g1-g0)/float64(b.N), "gmres/round")
}

// BenchmarkLearningColdRound times the learning rule's first leap: a fresh
// rule learns every council from round 0's proposals (the scenario's
// prices) and solves the learned economy from there. Sizes as for
// BenchmarkLearningSteadyRound.
func BenchmarkLearningColdRound(b *testing.B) {
	e := benchEconomy(b)
	plan, board := closedRound0(b, e)
	b.ReportAllocs()
	newton, gmres := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rule, _ := rules.New("learning", 0)
		rule.Next(plan, board.Rounds())
		n, g, _, _ := learning.Stats(rule)
		newton += n
		gmres += g
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/round")
	b.ReportMetric(float64(newton)/float64(b.N), "newton/round")
	b.ReportMetric(float64(gmres)/float64(b.N), "gmres/round")
}

// benchEconomy generates the benchmarks' economy, sized by -bench-goods and
// -bench-councils.
func benchEconomy(b *testing.B) *councils.Economy {
	b.Helper()
	sc, err := councils.Generate(councils.GenOptions{Goods: *benchGoods, Councils: *benchCouncils, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	e, err := councils.NewEconomy(sc)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// closedRound0 returns a copy of e's plan and a board on it whose round 0,
// at the scenario's prices, holds every simulated council's proposal and
// is closed: what a rule's cold leap learns from.
func closedRound0(tb testing.TB, e *councils.Economy) (*planning.Plan, *planning.Board) {
	tb.Helper()
	plan := *e.Plan
	board, err := planning.NewBoard(&plan, e.Prices)
	if err != nil {
		tb.Fatal(err)
	}
	closeOpen(tb, board, e)
	return &plan, board
}

// closeOpen has every simulated council of e propose at board's open
// round and closes it.
func closeOpen(tb testing.TB, board *planning.Board, e *councils.Economy) {
	tb.Helper()
	r := board.Current()
	lnp := make([]float64, len(r.Prices))
	for j, p := range r.Prices {
		lnp[j] = math.Log(p)
	}
	submitAll(board, e, r, lnp)
	if _, err := board.Close(); err != nil {
		tb.Fatal(err)
	}
}

// submitAll submits every simulated council's proposal for round r (log
// prices lnp), their lines in one block in council order, as
// councils.Run lays them out.
func submitAll(board *planning.Board, e *councils.Economy, r *planning.Round, lnp []float64) {
	n := 0
	for _, m := range e.Models {
		o, i := m.Lines()
		n += o + i
	}
	props := make([]planning.Proposal, len(e.Models))
	slab := make([]planning.Line, n)
	for i, m := range e.Models {
		o, in := m.Lines()
		pr := &props[i]
		pr.Out, slab = slab[:0:o], slab[o:]
		pr.In, slab = slab[:0:in], slab[in:]
		m.Propose(r.Prices, lnp, r.Budgets[i], nil, pr)
		board.Submit(i, pr)
	}
}
