package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// BenchmarkGroupCommit: 1,000 councils' proposals (a realistic body and
// verdict, each with its audit event) written at once by 1,000
// goroutines, as a round's burst reaches the store; b.N bursts. It
// reports the writer's cost per write and the writes per group.
func BenchmarkGroupCommit(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.UnixMilli(1_700_000_000_000).UTC()
	if err := s.CreatePlan(ctx, Plan{ID: "p", Name: "p", Scenario: []byte(`{}`), Created: now, Status: "open"}, nil,
		Round{PlanID: "p", Number: 0, Prices: []float64{1}, Opened: now}, nil); err != nil {
		b.Fatal(err)
	}
	const n = 1000
	body := []byte(`{"outputs":{"g003":124.5},"inputs":{"labor":80.25,"g001":12.5,"g007":3.75},"emissions":{"co2":1.5}}`)
	verdict := []byte(`{"sbsc":1.0123,"cost":2034.5,"budget":0}`)
	g0, w0 := s.Stats()
	b.ResetTimer()
	for r := 0; r < b.N; r++ {
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := fmt.Sprintf("c%04d", i)
				if _, err := s.AddProposal(ctx, Proposal{PlanID: "p", Round: r, Council: c, Ref: fmt.Sprintf("r%d", r), Body: body, Verdict: verdict, Source: "human", Created: now},
					Event{PlanID: "p", At: now, Type: "proposal.accepted", Round: &r, Council: c, Detail: []byte(`{"ref":"r","verdict":{"sbsc":1.0123}}`)}); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/write")
	if g, w := s.Stats(); g > g0 {
		b.ReportMetric(float64(w-w0)/float64(g-g0), "writes/group")
	}
}
