package councils

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestHeadlessIsTheProcess plays the same plans headless (Run) and through
// a Process in which a third of the councils are human, driven by the
// test: each round each of them submits, as JSON through CheckProposal and
// Accept, exactly what its model proposes from its standing proposal. The
// rounds must agree bit for bit: prices, budgets, totals, gaps, surplus
// and convergence.
func TestHeadlessIsTheProcess(t *testing.T) {
	big, err := Generate(GenOptions{Goods: 40, Councils: 5000, Seed: 8, People: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	bigEcon, err := NewEconomy(big)
	if err != nil {
		t.Fatal(err)
	}
	prev := runtime.GOMAXPROCS(max(runtime.GOMAXPROCS(0), 2))
	defer runtime.GOMAXPROCS(prev)
	tests := []struct {
		name      string
		e         *Economy
		rule      string
		maxRounds int
	}{
		{"people, default rule", peopleEconomy(t), "", 300},
		{"people, pequod", peopleEconomy(t), "pequod", 40},
		{"generated crowd, tatonnement", bigEcon, "tatonnement", 6},
		{"generated crowd, default rule", bigEcon, "", 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if s := newSimulator(tc.e.Models, tc.e.Plan); tc.e == bigEcon && s.procs < 2 {
				t.Fatalf("the generated economy proposes on %d goroutines; the test wants it parallel", s.procs)
			}
			head, err := Run(tc.e, RunOptions{Rule: tc.rule, MaxRounds: tc.maxRounds})
			if err != nil {
				t.Fatal(err)
			}
			var humans []string
			for i, c := range tc.e.Plan.Councils {
				if i%3 == 1 {
					humans = append(humans, c.ID)
				}
			}
			p, err := NewProcess(tc.e, ProcessOptions{Rule: tc.rule, MaxRounds: tc.maxRounds, Humans: humans})
			if err != nil {
				t.Fatal(err)
			}
			for {
				r := p.Round()
				for _, c := range p.Waiting() {
					pr := propose(tc.e.Models[c], r.Prices, r.Budgets[c], r.Proposals[c])
					got, _, _, err := p.CheckProposal(c, r.Number, MarshalDoc(tc.e.Doc(c, pr)))
					if err != nil {
						t.Fatalf("round %d: %s's model's proposal refused: %v", r.Number, tc.e.Plan.Councils[c].ID, err)
					}
					p.Accept(c, got)
				}
				if !p.AllHumansIn() {
					t.Fatalf("round %d: humans still waiting: %v", r.Number, p.Waiting())
				}
				res, err := p.Close()
				if err != nil {
					t.Fatal(err)
				}
				if res.Status != StatusOpen {
					break
				}
			}
			a, b := head.Board.Rounds(), p.Board().Rounds()
			if len(a) != len(b) || head.Rounds != len(b) {
				t.Fatalf("headless %d rounds (%d reported), the process %d", len(a), head.Rounds, len(b))
			}
			for k := range a {
				ra, rb := a[k], b[k]
				if !sameFloats(ra.Prices, rb.Prices) || !sameFloats(ra.Budgets, rb.Budgets) || !sameFloats(ra.Supply, rb.Supply) ||
					!sameFloats(ra.Demand, rb.Demand) || !sameFloats(ra.Gap, rb.Gap) || bits(ra.Surplus) != bits(rb.Surplus) ||
					ra.Failing != rb.Failing || ra.Converged != rb.Converged {
					t.Fatalf("round %d differs: max gap %v headless, %v through the process", k, ra.MaxGap, rb.MaxGap)
				}
				for c := range ra.Proposals {
					if !sameLines(ra.Proposals[c], rb.Proposals[c]) {
						t.Fatalf("round %d: %s's proposal differs", k, tc.e.Plan.Councils[c].ID)
					}
				}
			}
			st, _ := p.Status()
			if head.Converged != (st == StatusConverged) {
				t.Fatalf("headless converged %v, the process %s", head.Converged, st)
			}
			t.Logf("%d rounds alike, converged %v", len(a), head.Converged)
		})
	}
}

// TestProcessStops checks the ways a process ends and what Close says
// after: converged, out of rounds, and diverged (a rule whose prices leave
// the finite numbers), each a status with its reason, then a conflict.
func TestProcessStops(t *testing.T) {
	tests := []struct {
		name   string
		opt    ProcessOptions
		status Status
		reason string
		rounds int
	}{
		{"converged", ProcessOptions{}, StatusConverged, "", 0},
		{"out of rounds", ProcessOptions{Rule: "tatonnement", MaxRounds: 3}, StatusStopped, "out of rounds", 3},
		{"prices diverge", ProcessOptions{Rule: "tatonnement", Step: 1e308}, StatusStopped, "the prices diverged: the next price of ", 0},
		{"totals diverge", ProcessOptions{}, StatusStopped, "the totals diverged: round 0's supply of labor is 4000 and its demand +Inf", 1},
	}
	for _, tc := range tests {
		e := peopleEconomy(t)
		if tc.name == "totals diverge" {
			e = overflowing(t)
		}
		p, err := NewProcess(e, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			res, err := p.Close()
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			n++
			if res.Status != StatusOpen {
				if res.Next != nil || res.Took <= 0 {
					t.Errorf("%s: next %v, took %v", tc.name, res.Next, res.Took)
				}
				break
			}
		}
		st, why := p.Status()
		if st != tc.status || !strings.HasPrefix(why, tc.reason) || (why == "") != (tc.reason == "") || tc.rounds > 0 && n != tc.rounds {
			t.Errorf("%s: %s (%q) after %d rounds, want %s (%q)", tc.name, st, why, n, tc.status, tc.reason)
		}
		if p.diverged() != strings.Contains(tc.reason, "diverged") {
			t.Errorf("%s: diverged %v", tc.name, p.diverged())
		}
		if _, err := p.Close(); KindOf(err) != Conflict {
			t.Errorf("%s: closing an ended plan: %v", tc.name, err)
		}
		var ce *Error
		if _, _, _, err := p.CheckProposal(0, p.Round().Number, []byte(`{}`)); !errors.As(err, &ce) || ce.Kind != Conflict {
			t.Errorf("%s: a proposal to an ended plan: %v", tc.name, err)
		}
	}
	// A headless run reports the divergence as Diverged, not an error.
	res, err := Run(peopleEconomy(t), RunOptions{Rule: "tatonnement", Step: 1e308})
	if err != nil || !res.Diverged || res.Converged || len(res.Times) != res.Rounds {
		t.Fatalf("diverging run: %+v, %v", res, err)
	}
}

// overflowing is a scenario within every bound whose bakery's returns,
// b = 0.999, raise its answer to the 1000th power: round 0's output is
// +Inf.
func overflowing(t *testing.T) *Economy {
	t.Helper()
	sc := mustParse(t, strings.Replace(base, `"inputs": {"labor": 0.5, "land": 0.3}`, `"inputs": {"labor": 0.699, "land": 0.3}`, 1))
	sc.Councils[0].Scale = MaxScale
	return mustEconomy(t, sc)
}

// TestStandInBehaves checks that a human council's stand-in plays its
// behaviours: in round 1 an adjusting council's stand-in moves from its
// standing proposal (its round-0 stand-in) by λ, as the headless run has
// it do.
func TestStandInBehaves(t *testing.T) {
	e := peopleEconomy(t)
	c, _ := e.Council("c005") // adjust 0.5
	person, ok := e.Models[c].(*Person)
	if !ok || person.Adjust != 0.5 {
		t.Fatalf("c005 is %T", e.Models[c])
	}
	p, err := NewProcess(e, ProcessOptions{Rule: "pequod", Humans: []string{"c005"}, StandIn: true})
	if err != nil {
		t.Fatal(err)
	}
	head, err := Run(e, RunOptions{Rule: "pequod", MaxRounds: 2})
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		if w := p.Waiting(); len(w) != 1 || w[0] != c {
			t.Fatalf("round %d: waiting for %v", round, w)
		}
		pr := p.StandIn(c)
		if !sameLines(pr, head.Board.Rounds()[round].Proposals[c]) {
			t.Fatalf("round %d: the stand-in proposes %v, the headless council %v", round, pr, head.Board.Rounds()[round].Proposals[c])
		}
		p.Accept(c, pr)
		if _, err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
	r1 := head.Board.Rounds()[1]
	star := propose(person.Model, r1.Prices, r1.Budgets[c], nil)
	if sameLines(star, r1.Proposals[c]) {
		t.Fatal("in round 1 the council proposes x* itself: the test shows nothing about adjust")
	}
}
