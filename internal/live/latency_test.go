package live

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parecon/councils"
	"parecon/internal/wire"
)

var (
	latGoods    = flag.Int("lat.goods", 80, "TestSlowCloseDoesNotDelayAcks: goods of the large plan")
	latCouncils = flag.Int("lat.councils", 800, "TestSlowCloseDoesNotDelayAcks: councils of the large plan")
	latSlow     = flag.Duration("lat.slow", time.Second, "TestSlowCloseDoesNotDelayAcks: time added to the large plan's close (0: the engine's own)")
)

// TestSlowCloseDoesNotDelayAcks: while a large plan's round 0 closes (the
// engine's cold leap, made at least -lat.slow long so that the test does
// not depend on the machine's speed), another plan's councils keep
// submitting and are acknowledged as fast as without it, and reads of the
// large plan answer at once from the frozen round. It logs the figures
// docs/performance.md quotes (run it without -race for those).
func TestSlowCloseDoesNotDelayAcks(t *testing.T) {
	s, _ := testService(t)
	sc, err := councils.Generate(councils.GenOptions{Goods: *latGoods, Councils: *latCouncils, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	big := create(t, s, data)
	small := create(t, s, crowd(20))
	if *latSlow > 0 {
		setCloseHook(t, func(round int, row *wire.RoundRow) {
			if len(row.Submitted) > 100 { // the large plan's
				time.Sleep(*latSlow)
			}
		})
	}

	type sample struct {
		at  time.Time
		lat time.Duration
	}
	var mu sync.Mutex
	var samples []sample
	var stop atomic.Bool
	var wg sync.WaitGroup
	var failed atomic.Value
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("h%02d", i)
			for n := 0; !stop.Load(); n++ {
				v, err := s.Plan(context.Background(), small.fac, small.ID)
				if err != nil {
					failed.Store(err)
					return
				}
				start := time.Now()
				if err := submit(s, small, id, v.Round, fmt.Sprintf("%s-%d", id, n)); err != nil {
					failed.Store(err)
					return
				}
				mu.Lock()
				samples = append(samples, sample{start, time.Since(start)})
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Second) // the baseline: nothing else runs
	closeStart := time.Now()
	closed := make(chan error, 1)
	go func() { closed <- s.CloseRound(context.Background(), big.fac, big.ID, nil, nil, "") }()
	// Reads of the large plan while it closes.
	var readMax time.Duration
	reads := 0
	for done := false; !done; {
		select {
		case err := <-closed:
			if err != nil {
				t.Fatal(err)
			}
			done = true
		default:
			start := time.Now()
			v, err := s.Plan(context.Background(), big.fac, big.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > readMax {
				readMax = d
			}
			if v.Round != 0 && reads == 0 {
				t.Fatalf("the first read during the close shows round %d", v.Round)
			}
			reads++
			time.Sleep(5 * time.Millisecond)
		}
	}
	closeDur := time.Since(closeStart)
	time.Sleep(200 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		t.Fatal(err)
	}
	var base, during []time.Duration
	for _, x := range samples {
		switch {
		case x.at.Before(closeStart):
			base = append(base, x.lat)
		case x.at.Before(closeStart.Add(closeDur)):
			during = append(during, x.lat)
		}
	}
	p := func(ds []time.Duration, q float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
		return ds[min(len(ds)-1, int(q*float64(len(ds))))]
	}
	t.Logf("large plan (%d goods, %d councils, %v added): round 0 closed in %v; %d reads of it meanwhile, slowest %v",
		*latGoods, *latCouncils, *latSlow, closeDur.Round(time.Millisecond), reads, readMax.Round(time.Microsecond))
	t.Logf("other plan's acks: before the close %d, p50 %v p99 %v max %v; during it %d, p50 %v p99 %v max %v",
		len(base), p(base, .5), p(base, .99), p(base, 1), len(during), p(during, .5), p(during, .99), p(during, 1))
	if len(during) < 20 {
		t.Fatalf("only %d acknowledgements during a %v close: the other plan was held up", len(during), closeDur)
	}
	if worst := p(during, 1); worst > closeDur/2 {
		t.Fatalf("an acknowledgement took %v during a %v close of another plan", worst, closeDur)
	}
	if readMax > closeDur/2 {
		t.Fatalf("a read of the closing plan took %v of its %v close", readMax, closeDur)
	}
}
