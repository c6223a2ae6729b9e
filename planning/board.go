package planning

import (
	"errors"
	"fmt"
	"math"
)

// ErrDiverged is returned when prices leave the finite positive numbers.
var ErrDiverged = errors.New("planning: prices diverged")

// Board is the iteration facilitation board of one plan. It opens rounds
// with prices and budgets, takes the standing proposals, closes rounds by
// totalling them, and keeps the history a rule learns from.
type Board struct {
	plan  *Plan
	fixed []float64
	// commons says the plan has commons goods: rounds have a levy, a
	// fund and K (commons.go).
	commons bool
	rounds  []*Round
	tally   tally

	// last is the round from which every good exists (appears.go).
	last int
}

// tally is the open round's totals so far: those of the standing proposals
// of councils 0 to upTo−1, in council order.
type tally struct {
	upTo           int // −1: not started
	supply, demand []float64
	surplus        float64
	failing        int
}

// NewBoard returns a board for plan with round 0 open at prices.
func NewBoard(plan *Plan, prices []float64) (*Board, error) {
	b := &Board{plan: plan, fixed: plan.FixedSupply(), commons: plan.HasCommons(), last: plan.LastAppears()}
	if _, err := b.Open(prices); err != nil {
		return nil, err
	}
	return b, nil
}

// Plan returns the board's plan.
func (b *Board) Plan() *Plan { return b.plan }

// Rounds returns every round so far; the last one is the current round.
func (b *Board) Rounds() []*Round { return b.rounds }

// Current returns the round opened last.
func (b *Board) Current() *Round { return b.rounds[len(b.rounds)-1] }

// Open opens the next round at prices: it publishes the budgets (from the
// value of labour and endowments at these prices plus the previous round's
// worker surplus) and carries every standing proposal. The previous round
// must be closed. Prices must be finite and positive, else ErrDiverged.
func (b *Board) Open(prices []float64) (*Round, error) {
	n := len(b.plan.Goods)
	if len(prices) != n {
		return nil, fmt.Errorf("planning: %d prices for %d goods", len(prices), n)
	}
	for _, p := range prices {
		if !(p > 0) || math.IsInf(p, 0) {
			return nil, ErrDiverged
		}
	}
	var prev *Round
	if len(b.rounds) > 0 {
		prev = b.Current()
		if !prev.Closed {
			return nil, errors.New("planning: the current round is still open")
		}
	}
	nc := len(b.plan.Councils)
	r := &Round{
		Number:    len(b.rounds),
		Prices:    append([]float64(nil), prices...),
		Budgets:   make([]float64, nc),
		Proposals: make([]*Proposal, nc),
		Fresh:     make([]bool, nc),
	}
	r.Pool = Value2(b.fixed, prices)
	if prev != nil {
		r.Pool += prev.Surplus
		copy(r.Proposals, prev.Proposals)
	}
	if b.commons {
		b.openCommons(r, prev)
		r.Fund = r.Levy * r.Pool
	}
	for i := range b.plan.Councils {
		if c := &b.plan.Councils[i]; c.Role == Consumer {
			r.Budgets[i] = c.Budget(r.Levy, r.Pool)
		}
	}
	b.rounds = append(b.rounds, r)
	b.tally.upTo = -1
	return r, nil
}

// Value2 returns Σ q_j·p_j for dense quantities q.
func Value2(q, p []float64) float64 {
	v := 0.0
	for j := range q {
		v += q[j] * p[j]
	}
	return v
}

// Submit records council c's proposal in the open round; it replaces any
// earlier one. The caller checks the proposal first (see Check).
func (b *Board) Submit(c int, pr *Proposal) {
	r := b.Current()
	r.Proposals[c] = pr
	r.Fresh[c] = true
	if c < b.tally.upTo {
		b.tally.upTo = -1
	}
}

// Tally adds the standing proposals of the councils below c that earlier
// calls have not added to the open round's totals, so that a caller
// submitting in council order can total the round while it is still
// proposing; Close adds the rest. The totals are those Close alone would
// compute, bit for bit. Submitting again for a council below c makes Close
// start over; a proposal must not change once submitted.
func (b *Board) Tally(c int) {
	r := b.Current()
	t := &b.tally
	if t.upTo < 0 {
		n := len(b.plan.Goods)
		t.supply = append(make([]float64, 0, n), b.fixed...)
		t.demand = make([]float64, n)
		if r.Split != nil {
			// The commons fund's purchase: a commons good's whole demand
			// but for what proposals (wrongly) add.
			for j := range t.demand {
				t.demand[j] = r.FundDemand(j)
			}
		}
		t.surplus, t.failing, t.upTo = 0, 0, 0
	}
	c = min(c, len(r.Proposals))
	if c <= t.upTo {
		return
	}
	// One pass over each proposal's lines adds them to the totals, values
	// them and checks their quantities: the same sums, in the same order,
	// as Surplus and Check, which this loop must agree with.
	supply, demand, p := t.supply, t.demand, r.Prices
	for i := t.upTo; i < c; i++ {
		pr := r.Proposals[i]
		if pr == nil {
			continue
		}
		sb, sc, bad := 0.0, 0.0, false
		for _, l := range pr.Out {
			supply[l.Good] += l.Qty
			sb += p[l.Good] * l.Qty
			if !(l.Qty >= 0 && l.Qty <= math.MaxFloat64) {
				bad = true
			}
		}
		for _, l := range pr.In {
			demand[l.Good] += l.Qty
			sc += p[l.Good] * l.Qty
			if !(l.Qty >= 0 && l.Qty <= math.MaxFloat64) {
				bad = true
			}
		}
		role := b.plan.Councils[i].Role
		if role == Worker {
			t.surplus += sb - sc
		}
		if bad || !passes(role, sb, sc, len(pr.Out), r.Budgets[i]) {
			t.failing++
		}
	}
	t.upTo = c
}

// Close totals the standing proposals of the open round (those Tally has
// not), computes its gaps and decides whether the plan has converged. It
// re-checks carried proposals at the round's prices and budgets. Totals
// that are not finite return ErrDiverged.
func (b *Board) Close() (*Round, error) {
	r := b.Current()
	n := len(b.plan.Goods)
	b.Tally(len(r.Proposals))
	r.Supply, r.Demand = b.tally.supply, b.tally.demand
	r.Surplus, r.Failing = b.tally.surplus, b.tally.failing
	r.Gap = make([]float64, n)
	free := FreePrice * r.Prices[b.plan.Numeraire]
	r.MaxGap, r.Worst = 0, 0
	for j := range r.Gap {
		if !finite(r.Supply[j]) || !finite(r.Demand[j]) {
			return r, ErrDiverged
		}
		g := Gap(r.Supply[j], r.Demand[j])
		if r.Prices[j] < free && r.Supply[j] > r.Demand[j] {
			g = 0
		}
		r.Gap[j] = g
		if g > r.MaxGap {
			r.MaxGap, r.Worst = g, j
		}
	}
	tol := b.plan.Tolerance
	// A plan cannot converge before its last good has appeared.
	r.Converged = r.MaxGap <= tol && r.Failing == 0 && r.Number >= b.last
	r.Closed = true
	return r, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
