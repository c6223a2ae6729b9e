package councils

import (
	"math"
	"runtime"
	"testing"

	"parecon/planning"
)

// TestRunParallelSame checks that proposing in parallel (with buffers made
// ahead) gives the board what one goroutine gives it, bit for bit, with
// noise and stubborn councils, for Cobb–Douglas and CES consumers and for
// a crowd of councils that behave as people.
func TestRunParallelSame(t *testing.T) {
	for _, gen := range []GenOptions{{}, {CES: true}, {People: 0.5}} {
		gen.Goods, gen.Councils, gen.Seed = 60, 6000, 3
		sc, err := Generate(gen)
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEconomy(sc)
		if err != nil {
			t.Fatal(err)
		}
		opt := RunOptions{Rule: "tatonnement", MaxRounds: 4, Noise: 0.2, Seed: 9, Stubborn: 0.1, Tolerance: 1e-12}
		prev := runtime.GOMAXPROCS(1)
		if s := newSimulator(e.Models, e.Plan); s.procs != 1 {
			t.Fatalf("one goroutine: %d", s.procs)
		}
		one, err := Run(e, opt)
		runtime.GOMAXPROCS(max(prev, 2))
		if s := newSimulator(e.Models, e.Plan); s.procs < 2 || len(s.chunks) < 8 {
			t.Fatalf("parallel: %d goroutines, %d chunks; the economy is too small to test it", s.procs, len(s.chunks)-1)
		}
		par, err2 := Run(e, opt)
		runtime.GOMAXPROCS(prev)
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		a, b := one.Board.Rounds(), par.Board.Rounds()
		if len(a) != len(b) || one.Rounds != 4 {
			t.Fatalf("%s: %d rounds against %d", sc.Name, len(a), len(b))
		}
		for k := range a {
			ra, rb := a[k], b[k]
			same := sameFloats(ra.Prices, rb.Prices) && sameFloats(ra.Budgets, rb.Budgets) &&
				sameFloats(ra.Supply, rb.Supply) && sameFloats(ra.Demand, rb.Demand) &&
				bits(ra.Surplus) == bits(rb.Surplus) && ra.Failing == rb.Failing
			for c := range ra.Proposals {
				same = same && ra.Fresh[c] == rb.Fresh[c] && sameLines(ra.Proposals[c], rb.Proposals[c])
			}
			if !same {
				t.Fatalf("%s: round %d differs", sc.Name, k)
			}
		}
	}
}

// TestCloseCountsCheck checks that the board's count of failing proposals
// agrees with Check on proposals that fail each of its tests.
func TestCloseCountsCheck(t *testing.T) {
	sc, err := Generate(GenOptions{Goods: 10, Councils: 40, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEconomy(sc)
	if err != nil {
		t.Fatal(err)
	}
	board, err := planning.NewBoard(e.Plan, e.Prices)
	if err != nil {
		t.Fatal(err)
	}
	r := board.Current()
	sim := newSimulator(e.Models, e.Plan)
	sim.propose(board, r, nil, 0)
	spoil := []func(pr *planning.Proposal){
		func(pr *planning.Proposal) { pr.In[0].Qty = math.NaN() },
		func(pr *planning.Proposal) { pr.In[0].Qty = math.Inf(1) },
		func(pr *planning.Proposal) { pr.In[0].Qty = -1 },
		func(pr *planning.Proposal) { pr.In[0].Qty = math.Copysign(0, -1) },
		func(pr *planning.Proposal) { pr.In[0].Qty *= 1e6 },
		func(pr *planning.Proposal) { pr.In[0].Qty *= 1 + 1e-12 },
		func(pr *planning.Proposal) { pr.Out = append(pr.Out, planning.Line{Good: 0, Qty: 1}) },
		func(pr *planning.Proposal) { pr.Out = append(pr.Out, planning.Line{Good: 0, Qty: math.Inf(-1)}) },
	}
	for c := range r.Proposals {
		pr := r.Proposals[c]
		if pr == nil || len(pr.In) == 0 {
			continue
		}
		cp := &planning.Proposal{Out: append([]planning.Line(nil), pr.Out...), In: append([]planning.Line(nil), pr.In...)}
		spoil[c%len(spoil)](cp)
		board.Submit(c, cp)
	}
	want := 0
	for c, pr := range r.Proposals {
		if pr != nil && planning.Check(e.Plan, c, pr, r.Prices, r.Budgets[c]) != nil {
			want++
		}
	}
	if _, err := board.Close(); err != nil && err != planning.ErrDiverged {
		t.Fatal(err)
	}
	if r.Failing != want || want == 0 {
		t.Fatalf("Close counts %d failing proposals, Check %d", r.Failing, want)
	}
}

func bits(x float64) uint64 { return math.Float64bits(x) }

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if bits(a[i]) != bits(b[i]) {
			return false
		}
	}
	return true
}

func sameLines(a, b *planning.Proposal) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	if a == nil {
		return true
	}
	if len(a.Out) != len(b.Out) || len(a.In) != len(b.In) {
		return false
	}
	for i := range a.Out {
		if a.Out[i].Good != b.Out[i].Good || bits(a.Out[i].Qty) != bits(b.Out[i].Qty) {
			return false
		}
	}
	for i := range a.In {
		if a.In[i].Good != b.In[i].Good || bits(a.In[i].Qty) != bits(b.In[i].Qty) {
			return false
		}
	}
	return true
}

// TestRunSafeSteps checks that a headless run reports the rounds whose
// step the learning rule took by a rule of thumb (planning.SafeStepper):
// none for reference councils, which it learns exactly from round 0; some
// for workers a hundred times as productive, whose cold prices leave its
// learned economy unsolvable for the first rounds; none for tâtonnement,
// which does not say.
func TestRunSafeSteps(t *testing.T) {
	for _, tc := range []struct {
		name  string
		scale float64
		rule  string
		safe  bool
	}{
		{"reference councils", 1, "learning", false},
		{"workers a hundred times as productive", 100, "learning", true},
		{"tatonnement", 100, "tatonnement", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Generate(GenOptions{Goods: 15, Councils: 60, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			for i := range sc.Councils {
				sc.Councils[i].Scale *= tc.scale
			}
			e, err := NewEconomy(sc)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(e, RunOptions{Rule: tc.rule, Tolerance: 1e-8, MaxRounds: 40})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Safe) != res.Rounds {
				t.Fatalf("%d safe flags for %d rounds", len(res.Safe), res.Rounds)
			}
			if n := res.SafeSteps(); (n > 0) != tc.safe || res.Safe[res.Rounds-1] {
				t.Errorf("%d safe steps in %d rounds (last %v), want some: %v", n, res.Rounds, res.Safe[res.Rounds-1], tc.safe)
			}
			if tc.rule == "learning" && !res.Converged {
				t.Errorf("not converged in %d rounds", res.Rounds)
			}
		})
	}
}
