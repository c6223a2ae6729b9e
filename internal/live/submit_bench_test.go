package live

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkSubmitRounds: 500 human councils of one plan submit together,
// round after round (the round closes when the last is in), through
// Service.Submit with no sockets: the cost per acknowledged proposal of
// the plan goroutine, the store's group commits and the closes. b.N is
// the number of rounds.
func BenchmarkSubmitRounds(b *testing.B) {
	s, _ := testService(b)
	out, err := s.Create(context.Background(), CreateRequest{Scenario: crowd(500)})
	if err != nil {
		b.Fatal(err)
	}
	p := created{out, Principal{Plan: out.ID, Role: RoleFacilitator}}
	b.ResetTimer()
	for r := 0; r < b.N; r++ {
		var wg sync.WaitGroup
		for i := 0; i < 500; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := submit(s, p, fmt.Sprintf("h%02d", i), r, fmt.Sprintf("r%d", r)); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
		for {
			v, _ := s.Plan(context.Background(), p.fac, p.ID)
			if v.Round > r {
				break
			}
			time.Sleep(50 * time.Microsecond)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*500), "µs/proposal")
	if g, w := s.store.Stats(); g > 0 {
		b.ReportMetric(float64(w)/float64(g), "writes/group")
	}
}
