package councils

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"testing"

	"parecon/planning/rules"
)

var benchOnce sync.Map // size → *Economy

// benchEconomy returns a generated economy, made once per size.
func benchEconomy(b *testing.B, goods, councils int) *Economy {
	key := fmt.Sprint(goods, councils)
	if e, ok := benchOnce.Load(key); ok {
		return e.(*Economy)
	}
	sc, err := Generate(GenOptions{Goods: goods, Councils: councils, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	e, err := NewEconomy(sc)
	if err != nil {
		b.Fatal(err)
	}
	benchOnce.Store(key, e)
	return e
}

// BenchmarkRound measures one steady round of the engine as Run plays it
// through a Process: every simulated proposal, the totals and the rule's
// price update. It plays rounds from round 0, two to warm up and then b.N,
// reporting ns, CPU milliseconds (cpu-ms/round, all goroutines: steadier
// than wall time on a shared machine) and bytes per round and bytes per
// council.
func BenchmarkRound(b *testing.B) {
	for _, size := range []struct{ goods, councils int }{{100, 10000}, {200, 20000}, {1000, 100000}} {
		for _, rule := range []string{"tatonnement", rules.Default} {
			b.Run(fmt.Sprintf("goods=%d/councils=%d/rule=%s", size.goods, size.councils, rule), func(b *testing.B) {
				e := benchEconomy(b, size.goods, size.councils)
				benchRounds(b, e, rule)
			})
		}
	}
}

func benchRounds(b *testing.B, e *Economy, ruleName string) {
	// A tolerance no plan meets: every round is a full round.
	p, err := NewProcess(e, ProcessOptions{Rule: ruleName, Tolerance: 1e-300, MaxRounds: math.MaxInt32})
	if err != nil {
		b.Fatal(err)
	}
	step := func() {
		res, err := p.Close()
		if err != nil {
			b.Fatal(err)
		}
		if res.Status != StatusOpen {
			_, why := p.Status()
			b.Fatalf("the plan stopped after round %d: %s", res.Closed.Number, why)
		}
	}
	step()
	step()
	var before, after runtime.MemStats
	settle(p.sim)
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		step()
	}
	cpu := cpuTime() - cpu0
	b.StopTimer()
	settle(p.sim)
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/round")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/round")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(e.Plan.Councils)), "B/council")
}

// settle waits until the buffers sim is making ahead are made, so the
// allocations counted between two settles are a round's each.
func settle(sim *simulator) {
	if sim.ahead != nil {
		b := <-sim.ahead
		sim.ahead = make(chan buffers, 1)
		sim.ahead <- b
	}
}
