package live

import (
	"fmt"
	"math"
	"testing"
	"time"

	"parecon/councils"
	"parecon/planning/rules"
)

// BenchmarkCloseCommit measures, in one run, a round's close by the
// engine (the simulated councils' proposals, the totals and the rule: the
// Process.Close a live close runs) and what privacy adds to it: the
// public view (privacy.go) and the round's Merkle commitment at the close
// (proof.go: the leaves that changed since the round opened and the
// tree's root), the leaves of the proposals standing at the open having
// been made while the round was open (prepare; its time is reported as
// prepare-ns/round: work the close does not wait for while the round
// stays open at least that long). It reports ns per round and ratios to
// the engine's close, the figures docs/performance.md keeps.
func BenchmarkCloseCommit(b *testing.B) {
	for _, size := range []struct{ goods, councils int }{{100, 10000}, {1000, 100000}} {
		for _, rule := range []string{"tatonnement", rules.Default} {
			b.Run(fmt.Sprintf("goods=%d/councils=%d/rule=%s", size.goods, size.councils, rule), func(b *testing.B) {
				sc, err := councils.Generate(councils.GenOptions{Goods: size.goods, Councils: size.councils, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				e, err := councils.NewEconomy(sc)
				if err != nil {
					b.Fatal(err)
				}
				lv, err := councils.NewProcess(e, councils.ProcessOptions{Rule: rule, Tolerance: 1e-300, MaxRounds: math.MaxInt32})
				if err != nil {
					b.Fatal(err)
				}
				p := &plan{econ: e, human: make([]bool, len(e.Plan.Councils))}
				p.setPriv(newPrivacy(e, e.Privacy()))
				p.leaves = newLeafMaker(e, p.human)
				var engine, view, commit, prep time.Duration
				step := func(timed bool) {
					p.prepare(lv.Round())
					t := time.Now()
					<-p.pre.done // the round is open meanwhile
					tp := time.Since(t)
					t0 := time.Now()
					res, err := lv.Close()
					if err != nil || res.Status != councils.StatusOpen {
						b.Fatalf("close: %v %v", err, res.Status)
					}
					t1 := time.Now()
					p.priv.public(e, res.Closed, result(e, res.Closed))
					t2 := time.Now()
					c, err := p.commit(res.Closed)
					if err != nil {
						b.Fatal(err)
					}
					p.chain = c.Chain
					t3 := time.Now()
					if timed {
						engine, view, commit, prep = engine+t1.Sub(t0), view+t2.Sub(t1), commit+t3.Sub(t2), prep+tp
					}
				}
				step(false)
				step(false)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					step(true)
				}
				n := float64(b.N)
				b.ReportMetric(float64(engine.Nanoseconds())/n, "close-ns/round")
				b.ReportMetric(float64(view.Nanoseconds())/n, "view-ns/round")
				b.ReportMetric(float64(commit.Nanoseconds())/n, "commit-ns/round")
				b.ReportMetric(float64(prep.Nanoseconds())/n, "prepare-ns/round")
				b.ReportMetric(float64(view)/float64(engine), "view/close")
				b.ReportMetric(float64(commit)/float64(engine), "commit/close")
			})
		}
	}
}
