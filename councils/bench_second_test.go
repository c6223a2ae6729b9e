package councils

import (
	"context"
	"runtime/pprof"
	"testing"
)

// BenchmarkSecondRound times round 1 (the second) of parecon run's plan at issue 2's scale
// (1000 goods, 100,000 councils, learning, tolerance 1e-6): each iteration
// closes round 0 of a fresh process untimed, then times closing round 1
// (labelled round=one for a CPU profile's -tagfocus).
func BenchmarkSecondRound(b *testing.B) {
	e := benchEconomy(b, 1000, 100000)
	var took float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := NewProcess(e, ProcessOptions{Rule: "learning", Tolerance: 1e-6})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		pprof.Do(context.Background(), pprof.Labels("round", "one"), func(context.Context) {
			res, err := p.Close()
			if err != nil {
				b.Fatal(err)
			}
			took += float64(res.Took.Microseconds()) / 1000
		})
	}
	b.ReportMetric(took/float64(b.N), "took-ms")
}
