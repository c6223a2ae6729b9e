package councils

import (
	"math"

	"parecon/planning"
)

// CES is a worker council whose technology substitutes its inputs with
// elasticity Sigma (≠ 1; σ = 1 is CobbDouglas): an input aggregate
// X = (Σ a_k x_k^ρ)^(1/ρ), ρ = 1 − 1/σ, with shares a_k = β_k/b, and
// y = scale · X^b, b = Σ β_k < 1, emitting ε per unit of output,
// maximising SB − SC.
type CES struct {
	Output    int
	Scale     float64
	B         float64
	Sigma     float64
	Inputs    []planning.Line // Qty holds β_k
	Emissions []planning.Line // Qty holds ε
	// Commons holds the commons goods it draws on, Qty γ_j: A =
	// scale·Π K_j^γ_j at the round's K.
	Commons []planning.Line
	lnShare []float64 // ln a_k, in the order of Inputs
}

func newCES(out int, scale, sigma float64, inputs, emissions map[string]float64, goods map[string]int) *CES {
	w := &CES{Output: out, Scale: scale, Sigma: sigma, Inputs: lines(inputs, goods), Emissions: lines(emissions, goods)}
	for _, l := range w.Inputs {
		w.B += l.Qty
	}
	for _, l := range w.Inputs {
		w.lnShare = append(w.lnShare, math.Log(l.Qty/w.B))
	}
	return w
}

// Lines returns one output line and a line per input and emission.
func (w *CES) Lines() (int, int) { return 1, len(w.Inputs) + len(w.Emissions) }

// Propose sets dst to the surplus-maximising plan at prices p: with
// q = p_out − Σ ε·p_pollutant, nothing if q ≤ 0; else, with the unit cost
// of the aggregate c = (Σ a_k^σ p_k^(1−σ))^(1/(1−σ)),
// X = (b·q·scale/c)^(1/(1−b)), x_k = X·a_k^σ·(p_k/c)^(−σ) and
// y = scale·X^b. It has no memory: prev is ignored.
func (w *CES) Propose(p, lnp []float64, _ float64, _, dst *planning.Proposal) {
	q := p[w.Output]
	for _, e := range w.Emissions {
		q -= e.Qty * p[e.Good]
	}
	s := w.Sigma
	y, lnX, lnc := 0.0, 0.0, 0.0
	if q > 0 {
		// ln c = ln Σ exp(σ ln a_k + (1−σ) ln p_k) / (1−σ), the sum
		// shifted by its largest term so that it cannot overflow.
		top := math.Inf(-1)
		for k, l := range w.Inputs {
			top = math.Max(top, s*w.lnShare[k]+(1-s)*lnp[l.Good])
		}
		sum := 0.0
		for k, l := range w.Inputs {
			sum += math.Exp(s*w.lnShare[k] + (1-s)*lnp[l.Good] - top)
		}
		lnc = (top + math.Log(sum)) / (1 - s)
		lnA := math.Log(w.Scale)
		if w.Commons != nil {
			lnA += lnCommons(w.Commons, lnp, len(p))
		}
		lnX = (math.Log(w.B) + math.Log(q) + lnA - lnc) / (1 - w.B)
		y = math.Exp(lnA + w.B*lnX)
	}
	dst.Out = append(dst.Out[:0], planning.Line{Good: w.Output, Qty: y})
	dst.In = dst.In[:0]
	for k, l := range w.Inputs {
		x := 0.0
		if y > 0 {
			x = math.Exp(lnX + s*w.lnShare[k] - s*(lnp[l.Good]-lnc))
		}
		dst.In = append(dst.In, planning.Line{Good: l.Good, Qty: x})
	}
	for _, e := range w.Emissions {
		dst.In = append(dst.In, planning.Line{Good: e.Good, Qty: e.Qty * y})
	}
}
