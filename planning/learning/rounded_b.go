package learning

import (
	"math"

	"parecon/planning"
)

// A worker that rounds its figures shows its returns to scale b (the sum of
// its inputs' value shares, exact for any technology homogeneous of degree
// b, Cobb–Douglas and CES alike) only within its rounding: an input rounded
// up and an output rounded down by up to a unit of their last figures (the
// fit takes the midpoints, unround) leave b within a few percent of the
// reading. Near constant returns the answer moves with prices by a power
// 1/(1 − b) of them, so the reading's error is the learned economy's
// error many times over: at 2 figures a worker of b = 0.9 may be read as
// 0.85 or 0.95, elasticities of 6.7 or 20 for the true 10, and the first
// leap from cold prices, a factor of e⁵ in some prices, lands with some
// goods supplied twenty times over or not at all.
//
// Two proposals at prices far apart say far more. For any such technology
// the output follows ln y = const + b/(1 − b)·(ln q − ln c), q the net
// unit value of the outputs and c the unit cost of the input aggregate,
// whose change the share-weighted change of the input prices (Törnqvist:
// the mean of the two rounds' shares) follows to second order. The
// change of ln y between two rounds, with rounding errors of a few
// hundredths, against a change of ln q − ln c of a few units after a leap,
// gives b/(1 − b) to within a percent. roundedB keeps, per rounding
// worker, the most precise such reading so far and sets the elasticity the
// fit extrapolates with (bE) to it, kept within the interval the newest
// proposal's figures allow: the fit stays anchored at the proposal (its
// shares and b are the proposal's), only its response to prices changes.

// bTrack is what roundedB keeps of one rounding worker: the previous
// fitted proposal (log output, log net unit value, input goods, shares
// and log prices), and the most precise two-round reading of b so far
// with its error bound (est valid while err > 0).
type bTrack struct {
	ly, lq, b float64
	eps       float64 // relative rounding error bound of the previous ly
	lam       float64 // the previous round's λ̂
	in        []int
	share     []float64 // β_k / b
	pin       []float64
	est, err  float64
	have      bool
}

// roundedB refines worker c's elasticity (w.bE) from its rounded proposal
// pr (the council rounds to relative resolution q; lam is its λ̂, the
// fit's quantities being de-lagged by it) and its previous one. It does
// nothing for a council that does not round.
func (m *fitted) roundedB(c int, w *workerFit, pr *planning.Proposal, q, lam float64) {
	if q == 0 || w.n == 0 || !(w.b > 0) {
		return
	}
	if len(m.bt) != len(m.adj) {
		m.bt = make([]bTrack, len(m.adj))
	}
	t := &m.bt[c]
	if lam <= 0 || lam > 1 {
		lam = 1
	}
	epsOut, epsIn := roundErr(pr.Out, q, nil, false), roundErr(pr.In, q, m.poll, false)
	epsOut, epsIn = epsOut/lam, epsIn/lam
	rel := epsIn + netErr(w, epsOut, roundErr(pr.In, q, m.poll, true)/lam)
	// Only a council that moves the whole way, now and in the round
	// before, shows its answer's move: a partial step read with a λ̂
	// not yet learned would be taken for a stiffer technology.
	same := t.have && len(t.in) == len(w.in) && lam >= wholeLam && t.lam >= wholeLam
	for i := 0; same && i < len(w.in); i++ {
		same = t.in[i] == w.in[i]
	}
	if !same {
		t.err = 0
	} else {
		// E: the change of ln q − ln c; D: the change of ln y.
		e := w.lq - t.lq
		for i := range w.in {
			e -= 0.5 * (t.share[i] + w.beta[i]/w.b) * (w.pin[i] - t.pin[i])
		}
		d := w.ly - t.ly
		m.strayTest(c, w, d, e, epsOut+t.eps, rel)
		if r := d / e; e != 0 && r > 0 && !math.IsInf(r, 0) {
			est := r / (1 + r)
			err := (epsOut + t.eps) / math.Abs(e) / ((1 + r) * (1 + r))
			if t.err == 0 || err < t.err {
				t.est, t.err = est, err
			}
		}
	}
	// The newest proposal's interval for b.
	half := w.b * rel
	if t.err > 0 && t.err < half/4 {
		b := maxOf(w.b-half, minOf(w.b+half, t.est))
		w.bE = minOf(b, maxB)
	}
	t.ly, t.lq, t.b, t.eps, t.lam, t.have = w.ly, w.lq, w.b, epsOut, lam, true
	t.in = append(t.in[:0], w.in...)
	t.share = t.share[:0]
	for i := range w.in {
		t.share = append(t.share, w.beta[i]/w.b)
	}
	t.pin = append(t.pin[:0], w.pin...)
}

// strayTest pools, for worker c read as moving the whole way, how its
// output moves with its prices: for an answer of any technology
// homogeneous of degree b the change d of its log output is b/(1 − b)
// times the change e of ln q − ln c (Törnqvist, to second order), the
// same elasticity η every round, within its rounding (tol, the two
// proposals' relative half units of their outputs). A council that moves
// partway follows a price move by only part of its answer's and keeps
// moving towards its answer where the prices barely move: its rounds
// show no one η, or one below what its figures allow (b within ±rel·b
// of the newest proposal's). At two figures its identities (lag.go)
// scatter by as much as a partial step's trace and read λ̂ = 1; this
// reading, of its output's moves of several percent against a rounding
// of one, does not. Each round weighs by the inverse of its variance:
// tol² and strayRel of the move, for the Törnqvist reading's second
// order after a leap.
func (m *fitted) strayTest(c int, w *workerFit, d, e, tol, rel float64) {
	a := &m.adj[c]
	lo, hi := math.Max(math.Min(w.b*(1-rel), w.bE), 0), math.Min(math.Max(w.b*(1+rel), w.bE), maxB)
	elo, ehi := lo/(1-lo), hi/(1-hi)
	v := tol*tol + strayRel*strayRel*ehi*ehi*e*e
	if !(v > 0) || !finite(d) || !finite(e) {
		return
	}
	a.see += e * e / v
	a.sed += e * d / v
	a.sdd += d * d / v
	a.sn++
	if a.sn < 2 || !(a.see > 0) {
		return
	}
	eta := a.sed / a.see
	chi := a.sdd - eta*a.sed // Σ (d − η̂e)²/v
	below := 0.0
	if eta < elo {
		below = (elo - eta) * (elo - eta) * a.see
	}
	score := math.Max(chi/float64(a.sn-1), below)
	if score > strayChi {
		a.strays++
	}
	if a.strays >= partialAfter {
		a.partial = true
	}
}

// strayRel is the share of its answer's move by which a whole mover's may
// differ from the Törnqvist reading (strayTest): the reading is of second
// order in the price changes, and a leap changes some by several units.
const strayRel = 0.15

// strayChi is the mean square of strayTest's weighed residuals per round
// beyond which a council's rounds show no one elasticity (and the square
// of the standard errors by which its η̂ may fall below its figures'):
// the weights take the rounding's bound, about √3 of its standard
// deviation, so a whole mover's mean square is below 1.
const strayChi = 4.0

// wholeLam is the least λ̂ of a council roundedB takes to move the whole
// way.
const wholeLam = 0.99

// roundErr returns the largest relative half unit of the last figure, at
// relative resolution q, over the lines: every one if mark is nil, else
// those of the goods mark marks (only) or leaves unmarked (not only). A
// line 1,2xx at two figures stands for a quantity within 50 of its
// midpoint, 4% of it.
func roundErr(lines []planning.Line, q float64, mark []bool, only bool) float64 {
	n := math.Round(1 - math.Log10(q))
	eps := 0.0
	for _, l := range lines {
		if l.Qty <= 0 || (mark != nil && mark[l.Good] != only) {
			continue
		}
		u := pow10(math.Floor(math.Log10(l.Qty))-n+1) / 2
		eps = maxOf(eps, u/l.Qty)
	}
	return eps
}

// netErr returns the relative error of worker fit w's net output value
// (its outputs' value less its emissions') that its outputs' rounding
// epsOut and its emissions' epsEm leave. Where the emissions take most of
// the outputs' value (a thin margin q of the gross unit value q + ev),
// the net value's error is the lines' many times over, and so is b's,
// the input value over the net: a worker of b = 0.9 whose emissions cost
// 93% of its output's price, at two figures, read as 0.66 (an ε 2% low
// is a q 30% high), and its interval without this, ±6% of that, kept
// roundedB's two-round reading of 0.91 out (1,000 goods × 3,000
// councils, every council rounding: its good swung between no supply and
// a thousand times its demand).
func netErr(w *workerFit, epsOut, epsEm float64) float64 {
	q := math.Exp(w.lq)
	if !(q > 0) || !(w.ev > 0) || !finite(w.ev/q) {
		return epsOut
	}
	return epsOut*(q+w.ev)/q + epsEm*w.ev/q
}
