package councils

import (
	"parecon/planning"
)

// Person is a simulated council that behaves more like people than its
// model alone (docs/spec/economy.md, "Councils as people"): it moves only
// part of the way from its standing proposal to its model's answer, and it
// types round numbers. The board's checks (planning.Check) decide what a
// council does when its adjusted or rounded proposal would fail them.
type Person struct {
	// Model is the council's answer x* at the round's prices.
	Model Model
	// Adjust is λ in (0, 1]: the council proposes
	// x_{t−1} + λ(x*_t − x_{t−1}); 1 (or 0, the default) moves all the way.
	Adjust float64
	// RoundTo is the significant figures the council rounds to (1 to
	// MaxRoundTo), 0 for none.
	RoundTo int
	plan    *planning.Plan
	council int
}

// NewPerson returns council c of plan playing model with the given
// behaviours.
func NewPerson(plan *planning.Plan, c int, model Model, adjust float64, roundTo int) *Person {
	return &Person{Model: model, Adjust: adjust, RoundTo: roundTo, plan: plan, council: c}
}

// Lines returns the model's lines.
func (m *Person) Lines() (int, int) { return m.Model.Lines() }

// Propose sets dst to the council's proposal at prices p. In its first
// round (prev nil) it is the model's answer x*; after, with Adjust λ < 1,
// x_{t−1} + λ(x* − x_{t−1}) good by good, where a consumer council's result
// that costs more than its budget is scaled down to the budget and a worker
// council's whose SB/SC is below 1 is replaced by x*. With RoundTo n every
// quantity is then rounded to n significant figures: a consumer council's
// requests down; a worker council's outputs down and its inputs and
// emissions up, its outputs up instead if its SB/SC would fall below 1,
// and unrounded if it still would.
func (m *Person) Propose(p, lnp []float64, budget float64, prev, dst *planning.Proposal) {
	m.Model.Propose(p, lnp, budget, prev, dst)
	worker := m.plan.Councils[m.council].Role == planning.Worker
	if m.Adjust > 0 && m.Adjust < 1 && prev != nil {
		var best planning.Proposal
		if worker {
			best = clone(dst)
		}
		dst.Out = adjust(dst.Out, prev.Out, m.Adjust)
		dst.In = adjust(dst.In, prev.In, m.Adjust)
		if m.check(dst, p, budget) != nil {
			if worker {
				copyInto(dst, &best)
			} else if cost := planning.Value(dst.In, p); cost > 0 {
				f := budget / cost
				for i := range dst.In {
					dst.In[i].Qty *= f
				}
			}
		}
	}
	if m.RoundTo > 0 {
		n := m.RoundTo
		exact := clone(dst)
		if !worker {
			roundLines(dst.In, n, false)
			return
		}
		roundLines(dst.Out, n, false)
		roundLines(dst.In, n, true)
		if m.check(dst, p, budget) == nil {
			return
		}
		copy(dst.Out, exact.Out)
		roundLines(dst.Out, n, true)
		if m.check(dst, p, budget) == nil {
			return
		}
		copyInto(dst, &exact)
	}
}

// check is the board's check of the council's proposal.
func (m *Person) check(pr *planning.Proposal, p []float64, budget float64) *planning.Violation {
	return planning.Check(m.plan, m.council, pr, p, budget)
}

// adjust moves each line of to (x*) back towards the same good's quantity
// in from (x_{t−1}), keeping the fraction lambda of the way: x_{t−1} +
// λ(x* − x_{t−1}). A good in from that to lacks (x* = 0) is appended with
// (1 − λ)·x_{t−1}.
func adjust(to, from []planning.Line, lambda float64) []planning.Line {
	n := len(to)
	for i := range to {
		x0, _ := lineQty(from, to[i].Good, i)
		to[i].Qty = x0 + lambda*(to[i].Qty-x0)
	}
	for i, l := range from {
		if _, ok := lineQty(to[:n], l.Good, i); !ok {
			to = append(to, planning.Line{Good: l.Good, Qty: l.Qty - lambda*l.Qty})
		}
	}
	return to
}

// lineQty returns good g's quantity in lines and whether it is there (0 if
// not), looking at position hint first: a council's proposals list their
// goods in the same order round after round.
func lineQty(lines []planning.Line, g, hint int) (float64, bool) {
	if hint < len(lines) && lines[hint].Good == g {
		return lines[hint].Qty, true
	}
	for _, l := range lines {
		if l.Good == g {
			return l.Qty, true
		}
	}
	return 0, false
}

// roundLines rounds every quantity to n significant figures, up or down.
func roundLines(ls []planning.Line, n int, up bool) {
	for i := range ls {
		ls[i].Qty = RoundSig(ls[i].Qty, n, up)
	}
}

// clone returns a copy of pr with lines of its own.
func clone(pr *planning.Proposal) planning.Proposal {
	return planning.Proposal{
		Out: append([]planning.Line(nil), pr.Out...),
		In:  append([]planning.Line(nil), pr.In...),
	}
}

// copyInto makes dst's lines those of src, reusing dst's memory.
func copyInto(dst, src *planning.Proposal) {
	dst.Out = append(dst.Out[:0], src.Out...)
	dst.In = append(dst.In[:0], src.In...)
}
