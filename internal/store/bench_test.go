package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"parecon/internal/store/storetest"
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

// BenchmarkCloseLeaves: a round's close storing its commitment with
// 10,000 kept leaves (every council human), b.N closes, on each engine;
// the leaves batched (PostgreSQL: one statement; SQLite: 100 rows a
// statement) against one INSERT a leaf (the baseline, same run). Reports
// ms per close.
func BenchmarkCloseLeaves(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		for _, perRow := range []bool{true, false} {
			name := e.Name + "/batched"
			if perRow {
				name = e.Name + "/per-row"
			}
			b.Run(name, func(b *testing.B) {
				leafPerRow = perRow
				defer func() { leafPerRow = false }()
				benchCloseLeaves(b, e.New(b))
			})
		}
	}
}

func benchCloseLeaves(b *testing.B, db string) {
	ctx := context.Background()
	s, err := Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.UnixMilli(1_700_000_000_000).UTC()
	if err := s.CreatePlan(ctx, Plan{ID: "p", Name: "p", Scenario: []byte(`{}`), Created: now, Status: "open"}, nil,
		Round{PlanID: "p", Number: 0, Prices: []float64{1}, Opened: now}, nil); err != nil {
		b.Fatal(err)
	}
	const n = 10_000
	c := &Commit{Size: n, Root: make([]byte, 32), Chain: make([]byte, 32), Hashes: make([]byte, 32*n)}
	for i := range n {
		c.Leaves = append(c.Leaves, Leaf{Council: fmt.Sprintf("c%05d", i), Index: i, Data: []byte(fmt.Sprintf(`{"council":"c%05d","round":0,"salt":"0123456789abcdef0123456789abcdef","proposal":{"requests":{"bread":1.5}}}`, i))})
	}
	b.ResetTimer()
	for r := 0; r < b.N; r++ {
		if err := s.CloseRound(ctx, Round{PlanID: "p", Number: r, Closed: now, Result: []byte(`{}`), Commit: c}, nil,
			&Round{PlanID: "p", Number: r + 1, Prices: []float64{1}, Opened: now}, "open", nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/close")
}
