package councils

import (
	"math"

	"parecon/planning"
)

// Model is a simulated council: it proposes in response to prices. lnp
// holds the logarithms of p and, in a plan with commons goods, then those
// of the round's commons K (lnp[len(p)+j] = ln K_j, 0 for a rival good);
// budget is a consumer council's budget; prev
// is the council's standing proposal as the round opened (nil in its
// first round), which a council that adjusts only part of the way moves
// from (see Person). Propose must not modify the model nor prev: a
// headless run calls the models of different councils from several
// goroutines at once.
type Model interface {
	Propose(p, lnp []float64, budget float64, prev, dst *planning.Proposal)
	// Lines returns how many output and input lines a proposal has.
	Lines() (out, in int)
}

// CobbDouglas is the reference worker council: y = scale · Π x_k^β_k with
// Σβ = b < 1, emitting ε per unit of output, maximising SB − SC.
type CobbDouglas struct {
	Output    int
	Scale     float64
	B         float64
	Inputs    []planning.Line // Qty holds β_k
	Emissions []planning.Line // Qty holds ε
	// Commons holds the commons goods it draws on, Qty γ_j: its scale is
	// scale·Π K_j^γ_j at the round's K.
	Commons []planning.Line
	lnConst float64 // ln scale + Σ β ln β
}

func newCobbDouglas(out int, scale float64, inputs, emissions map[string]float64, goods map[string]int) *CobbDouglas {
	w := &CobbDouglas{Output: out, Scale: scale, Inputs: lines(inputs, goods), Emissions: lines(emissions, goods)}
	w.lnConst = math.Log(scale)
	for _, l := range w.Inputs {
		w.B += l.Qty
		w.lnConst += l.Qty * math.Log(l.Qty)
	}
	return w
}

// Lines returns one output line and a line per input and emission.
func (w *CobbDouglas) Lines() (int, int) { return 1, len(w.Inputs) + len(w.Emissions) }

// Propose sets dst to the surplus-maximising plan at prices p: with
// q = p_out − Σ ε·p_pollutant, nothing if q ≤ 0, else
// y = (scale·q^b·Π(β_k/p_k)^β_k)^(1/(1−b)) and x_k = β_k·q·y/p_k.
// It has no memory: prev is ignored.
func (w *CobbDouglas) Propose(p, lnp []float64, _ float64, _, dst *planning.Proposal) {
	q := p[w.Output]
	for _, e := range w.Emissions {
		q -= e.Qty * p[e.Good]
	}
	y := 0.0
	if q > 0 {
		ln := w.lnConst + w.B*math.Log(q)
		if w.Commons != nil {
			ln += lnCommons(w.Commons, lnp, len(p))
		}
		for _, l := range w.Inputs {
			ln -= l.Qty * lnp[l.Good]
		}
		y = math.Exp(ln / (1 - w.B))
	}
	dst.Out = append(dst.Out[:0], planning.Line{Good: w.Output, Qty: y})
	dst.In = dst.In[:0]
	for _, l := range w.Inputs {
		x := 0.0
		if y > 0 {
			x = l.Qty * q * y / p[l.Good]
		}
		dst.In = append(dst.In, planning.Line{Good: l.Good, Qty: x})
	}
	for _, e := range w.Emissions {
		dst.In = append(dst.In, planning.Line{Good: e.Good, Qty: e.Qty * y})
	}
}

// Consumer is the reference consumer council: Cobb–Douglas (σ = 1) or CES
// preferences over produced goods and resources, spending its budget,
// with Stone–Geary needs where Subsistence is set.
type Consumer struct {
	Weights []planning.Line // Qty holds α_j
	Sigma   float64
	// Subsistence, nil for none, holds the need γ_j ≥ 0 of each weighted
	// good, in the order of Weights.
	Subsistence []float64
	// Vote is its vote for the commons fund, in every proposal (nil: it
	// abstains).
	Vote    *planning.Vote
	lnAlpha []float64
}

func newConsumer(weights map[string]float64, sigma float64, subsistence map[string]float64, goods map[string]int) *Consumer {
	c := &Consumer{Weights: lines(weights, goods), Sigma: sigma}
	for _, l := range c.Weights {
		c.lnAlpha = append(c.lnAlpha, math.Log(l.Qty))
	}
	need := false
	for _, g := range subsistence {
		need = need || g > 0
	}
	if need {
		byGood := make(map[int]float64, len(subsistence))
		for id, g := range subsistence {
			byGood[goods[id]] = g
		}
		for _, l := range c.Weights {
			c.Subsistence = append(c.Subsistence, byGood[l.Good])
		}
	}
	return c
}

// Lines returns a request line per weighted good.
func (c *Consumer) Lines() (int, int) { return 0, len(c.Weights) }

// Propose sets dst to the requests that maximise the council's utility
// within budget: α_j·budget/p_j (Cobb–Douglas) or
// α_j^σ·p_j^(−σ)·budget / Σ_k α_k^σ·p_k^(1−σ) (CES). With subsistence
// needs γ costing m = Σ p_k·γ_k, a budget B > m buys γ_j plus that answer
// to B − m, a smaller one γ_j·B/m. It has no memory: prev is ignored.
func (c *Consumer) Propose(p, lnp []float64, budget float64, _, dst *planning.Proposal) {
	dst.Vote = c.Vote
	if c.Subsistence == nil {
		c.propose(p, lnp, budget, dst)
		return
	}
	m := 0.0
	for i, l := range c.Weights {
		m += p[l.Good] * c.Subsistence[i]
	}
	if budget <= m {
		dst.Out = dst.Out[:0]
		dst.In = dst.In[:0]
		for i, l := range c.Weights {
			dst.In = append(dst.In, planning.Line{Good: l.Good, Qty: c.Subsistence[i] * budget / m})
		}
		return
	}
	c.propose(p, lnp, budget-m, dst)
	for i := range dst.In {
		dst.In[i].Qty += c.Subsistence[i]
	}
}

// propose is the answer without subsistence needs.
func (c *Consumer) propose(p, lnp []float64, budget float64, dst *planning.Proposal) {
	dst.Out = dst.Out[:0]
	dst.In = dst.In[:0]
	if c.Sigma == 1 {
		for _, l := range c.Weights {
			dst.In = append(dst.In, planning.Line{Good: l.Good, Qty: l.Qty * budget / p[l.Good]})
		}
		return
	}
	s := c.Sigma
	den := 0.0
	for i, l := range c.Weights {
		den += math.Exp(s*c.lnAlpha[i] + (1-s)*lnp[l.Good])
	}
	for i, l := range c.Weights {
		dst.In = append(dst.In, planning.Line{Good: l.Good, Qty: math.Exp(s*c.lnAlpha[i]-s*lnp[l.Good]) * budget / den})
	}
}
