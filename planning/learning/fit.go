package learning

import (
	"math"

	"parecon/planning"
)

// This file holds what the learning rule learns of each council from its
// proposals alone: a worker council's Cobb–Douglas technology, anchored at
// its recent proposals, and a consumer council's budget shares and
// elasticity of substitution.

// maxB caps the returns to scale the fit assumes when it extrapolates: a
// council that looks close to constant returns would otherwise look
// infinitely elastic. It was 0.97, which read a valid worker of returns
// 0.98 as two thirds as elastic as it is (the plan's gap then halved
// each round, or the learned economy had no solution: TestLearningHighReturns).
const maxB = 0.995

// Every fit is anchored at the council's newest (de-lagged) proposal: its
// level, shares and prices are that proposal's, so the fit is exact at the
// prices of the last round whatever the council's true form, and its form
// only sets how the answer moves from there. Averaging over earlier
// proposals would tell noise apart from signal only if the form were
// right; where it is wrong it anchors the fit away from where the council
// now is, and the plan stalls short of the equilibrium.

// workerFit is a worker council's technology as the board infers it. With
// y the quantity of its first output and q(p) = Σ p_o·r_o − Σ p_e·ε_e its
// net value per unit of y, it predicts
//
//	ln y(p) = Ly + [b·(ln q(p) − Lq) − Σ β_k·(ln p_k − P_k)] / (1 − b)
//
// and inputs x_k = β_k·q·y/p_k: the Cobb–Douglas response, exact for the
// reference councils, anchored at the newest proposal.
type workerFit struct {
	n    int // proposals fitted
	out  []int
	r    []float64 // output per unit of the first output
	em   []int
	eps  []float64 // emission per unit of the first output
	in   []int
	beta []float64 // value share of each input in q·y
	pin  []float64 // log price of each input
	b    float64   // Σ β
	bE   float64   // b capped at maxB, for the elasticities
	ly   float64   // log output
	lq   float64   // log net unit value
	// ev is the value of the emissions per unit of y at the proposal's
	// prices (Σ p·ε): with q, the gross unit value q + ev (shape.go's
	// margin over inputs and emissions together).
	ev float64
	// sigma is the elasticity of substitution between the inputs,
	// identified from how their value shares move with their relative
	// prices across proposals (workerSigma; 1, Cobb–Douglas, until
	// identified), from the regression sums sxx, sxy, syy with dof
	// degrees of freedom.
	sigma         float64
	sxx, sxy, syy float64
	dof           int
	sigmaT        float64 // see subst: 1 but while solveSigma solves
	// pending holds the regression sums of the newest pair of
	// proposals (sxx, sxy, syy, dof), until learnSigmas reads whether
	// they show σ; havePending says there are some.
	pending     [3]float64
	pendingDof  int
	havePending bool
	// lam is how far the council moves towards its answer in a round
	// (λ̂, see lag.go; 0 stands for 1): the fit's values count λ̂.
	lam float64
	// shape is the technology's shape read from its proposals, where it
	// is not Cobb–Douglas (shape.go).
	shape shapeFit
	// idle says the council's newest proposal produced nothing (the fit
	// is still that of its last proposal that did).
	idle bool
	// idleN counts the proposals running that produced nothing.
	idleN int

	// Scratch at the model's current prices.
	q, y, s float64   // net unit value, output, surplus
	val     []float64 // value of each line
	cur     []float64 // each input's value share of q·y (Σ b; beta if σ = 1)
	g, h    []float64 // ∂ln y/∂ln p and ∂ln q/∂ln p of each line's good

	fbuf []float64 // the block the float slices above are carved from
	ibuf []int     // the block of the goods
	mem  *fitMemory
}

// observe fits the worker's proposal pr made at prices p (logs lnp);
// poll says which goods are pollutants. It
// returns false if the proposal teaches nothing (it produces nothing, or
// its outputs are worth no more than its emissions).
func (w *workerFit) observe(pr *planning.Proposal, poll []bool, p, lnp []float64) bool {
	w.havePending = false
	// The structure (positive outputs, emissions, inputs) and the net value
	// per unit of the first output, in one pass over the lines.
	var y, q float64
	nOut, nEm, nIn := 0, 0, 0
	same := w.n > 0
	for _, l := range pr.Out {
		if l.Qty > 0 {
			if nOut == 0 {
				y = l.Qty
			}
			q += p[l.Good] * l.Qty / y
			if same && (nOut >= len(w.out) || w.out[nOut] != l.Good) {
				same = false
			}
			nOut++
		}
	}
	w.idle = nOut == 0
	if nOut == 0 {
		w.idleN++
	} else {
		w.idleN = 0
	}
	if nOut == 0 {
		return false
	}
	for _, l := range pr.In {
		if poll[l.Good] {
			q -= p[l.Good] * l.Qty / y
			if same && (nEm >= len(w.em) || w.em[nEm] != l.Good) {
				same = false
			}
			nEm++
		} else {
			if same && (nIn >= len(w.in) || w.in[nIn] != l.Good) {
				same = false
			}
			nIn++
		}
	}
	same = same && nOut == len(w.out) && nEm == len(w.em) && nIn == len(w.in)
	if !(q > 0) {
		return false
	}
	if !same {
		w.n = 0
		w.carve(nOut, nEm, nIn)
		w.sigma, w.sxx, w.sxy, w.syy, w.dof, w.sigmaT = 1, 0, 0, 0, 0, 1
	}
	lnq, lny := math.Log(q), math.Log(y)
	inv := 1 / (q * y) // turns an input's value into its share of q·y
	if same {
		w.sigmaPair(pr, poll, p, lnp, inv)
	}
	w.n++
	invY := 1 / y
	io, ie, ii := 0, 0, 0
	for _, l := range pr.Out {
		if l.Qty > 0 {
			w.out[io] = l.Good
			w.r[io] = l.Qty * invY
			io++
		}
	}
	b, ev := 0.0, 0.0
	em, eps, in, beta, pin := w.em, w.eps, w.in, w.beta, w.pin
	for _, l := range pr.In {
		if poll[l.Good] {
			em[ie] = l.Good
			eps[ie] = l.Qty * invY
			ev += p[l.Good] * eps[ie]
			ie++
		} else {
			in[ii] = l.Good
			beta[ii] = p[l.Good] * l.Qty * inv
			pin[ii] = lnp[l.Good]
			b += beta[ii]
			ii++
		}
	}
	w.b, w.ev = b, ev
	w.ly, w.lq = lny, lnq
	w.bE = minOf(w.b, maxB)
	copy(w.cur, w.beta)
	return true
}

// speed returns λ̂, 1 if unset.
func (w *workerFit) speed() float64 {
	if w.lam == 0 {
		return 1
	}
	return w.lam
}

// speed returns λ̂, 1 if unset.
func (c *consumerFit) speed() float64 {
	if c.lam == 0 {
		return 1
	}
	return c.lam
}

// carve lays out the fit's slices for nOut outputs, nEm emissions and nIn
// inputs in one block of numbers and one of goods, zeroed: the rule reads
// every worker's lines at each evaluation, and one block per worker keeps
// them together in memory.
func (w *workerFit) carve(nOut, nEm, nIn int) {
	nl := nOut + nEm + nIn
	w.fbuf = w.mem.floatSlice(w.fbuf, nOut+nEm+3*nIn+3*nl)
	w.ibuf = w.mem.intSlice(w.ibuf, nl)
	f, g := w.fbuf, w.ibuf
	take := func(k int) []float64 {
		s := f[:k:k]
		f = f[k:]
		return s
	}
	takeInt := func(k int) []int {
		s := g[:k:k]
		g = g[k:]
		return s
	}
	w.out, w.em, w.in = takeInt(nOut), takeInt(nEm), takeInt(nIn)
	w.r, w.eps = take(nOut), take(nEm)
	w.beta, w.pin, w.cur = take(nIn), take(nIn), take(nIn)
	w.val, w.g, w.h = take(nl), take(nl), take(nl)
}

// predict sets the scratch of the fit at prices p (logs x): the output y,
// the net unit value q, the surplus s and the value of every line (outputs,
// then emissions, then inputs). The gradients (g, h) wait for grads.
func (w *workerFit) predict(p, x []float64) {
	if w.shape.on {
		w.predictShaped(p, x)
		return
	}
	q := w.netUnitValue(p)
	w.q = q
	if !(q > 0) {
		w.y, w.s = 0, 0
		for i := range w.val {
			w.val[i] = 0
		}
		return
	}
	e := w.bE * (math.Log(q) - w.lq - w.lnCost(x))
	ly := w.ly + e/(1-w.bE)
	if ly > 700 {
		ly = 700
	}
	y := math.Exp(ly) * w.speed()
	w.y = y
	w.s = (1 - w.b) * q * y
	v := w.val
	for i, g := range w.out {
		v[i] = p[g] * w.r[i] * y
	}
	o := len(w.out)
	for i, g := range w.em {
		v[o+i] = p[g] * w.eps[i] * y
	}
	o += len(w.em)
	for i := range w.in {
		v[o+i] = w.cur[i] * q * y
	}
}

// consumerFit is a consumer council's demand as the board infers it: its
// budget shares w_j = p_j·x_j/budget, the fraction f of its budget it
// spends, and its elasticity of substitution σ, identified from how its
// shares move with relative prices. It predicts
//
//	w_j(p) = f · exp(L_j + (1−σ)(ln p_j − P_j)) / Σ_k exp(L_k + (1−σ)(ln p_k − P_k))
//
// exact for the reference (CES, including Cobb–Douglas) councils.
type consumerFit struct {
	n     int
	goods []int
	lw    []float64 // log budget share of the newest proposal
	pj    []float64 // log price of the newest proposal
	last  []float64 // last log share, then last log price, for σ
	f     float64
	sigma float64
	lam   float64 // λ̂ as for workerFit
	// Regression of Δ ln w on Δ ln p, both demeaned across the goods.
	sxx, sxy, syy float64
	dof           int

	// Scratch at the model's current prices: normalised shares.
	w []float64
	// fixedShares says w holds a Cobb–Douglas council's shares, valid at
	// any prices until the next observation.
	fixedShares bool

	raw  []float64 // scratch: the last proposal's budget shares
	fbuf []float64 // one block for lw, pj, w, raw and last
	mem  *fitMemory
}

// minShare stands for the budget share of a zero request, to keep its
// logarithm finite.
const minShare = 1e-30

// observe fits the consumer's proposal pr made at prices p (logs lnp) with
// budget. It returns false if the proposal teaches nothing.
func (c *consumerFit) observe(pr *planning.Proposal, p, lnp []float64, budget float64) bool {
	if !(budget > 0) || len(pr.In) == 0 || len(pr.Out) > 0 {
		return false
	}
	n := len(pr.In)
	same := c.n > 0 && len(c.goods) == n
	inv := 1 / budget
	f := 0.0
	for i, l := range pr.In {
		f += p[l.Good] * l.Qty * inv
		if same && c.goods[i] != l.Good {
			same = false
		}
	}
	if !(f > 0) {
		return false
	}
	if !same {
		c.n = 0
		c.goods = c.mem.intSlice(c.goods, n)
		c.fbuf = c.mem.floatSlice(c.fbuf, 6*n)
		f := c.fbuf
		c.lw, c.pj, c.w, c.raw, c.last = f[:n:n], f[n:2*n:2*n], f[2*n:3*n:3*n], f[3*n:4*n:4*n], f[4*n:]
		c.sxx, c.sxy, c.syy, c.dof = 0, 0, 0, 0
		c.sigma = 1
	}
	// The budget shares and their logs, once each (c.w is scratch until
	// predict), the means of their changes since the last proposal, and
	// the shares' sum (a zero share standing for minShare·f).
	lws, raw, last := c.w, c.raw, c.last
	mx, my, sum := 0.0, 0.0, 0.0
	zero := minShare * f
	for i, l := range pr.In {
		w := p[l.Good] * l.Qty * inv
		switch {
		case w > 0 && c.n > 0 && w == raw[i]:
			// The share of the last proposal, whose log is at hand.
			lws[i] = last[i]
			sum += w
		case w > 0:
			raw[i] = w
			lws[i] = math.Log(w)
			sum += w
		default:
			raw[i] = w
			lws[i] = math.Log(zero)
			sum += zero
		}
		if c.n > 0 {
			mx += lnp[l.Good] - last[n+i]
			my += lws[i] - last[i]
		}
	}
	if c.n > 0 {
		// σ: Δ ln(w_j/w_k) = (1−σ)·Δ ln(p_j/p_k), by least squares over
		// the goods, pooled over pairs of successive proposals.
		mx /= float64(n)
		my /= float64(n)
		// Sums in locals: through c they would be stored and reloaded at
		// every line.
		sxx, sxy, syy := c.sxx, c.sxy, c.syy
		for i, l := range pr.In {
			x := lnp[l.Good]
			dx := x - last[n+i] - mx
			dy := lws[i] - last[i] - my
			sxx += dx * dx
			sxy += dx * dy
			syy += dy * dy
		}
		c.sxx, c.sxy, c.syy = sxx, sxy, syy
		c.dof += n - 1
		c.sigma = c.estimateSigma()
	}
	c.n++
	// A Cobb–Douglas council, anchored at this proposal, keeps this
	// proposal's shares, normalised (what predict would get back from
	// their logarithms, without an exponential per line).
	fixed := c.sigma == 1
	norm := 1 / sum
	goods, lw, pj, cw := c.goods, c.lw, c.pj, c.w
	for i, l := range pr.In {
		goods[i] = l.Good
		a := lws[i]
		x := lnp[l.Good]
		lw[i] = a
		pj[i] = x
		last[i] = a
		last[n+i] = x
		if fixed {
			w := raw[i]
			if !(w > 0) {
				w = zero
			}
			cw[i] = w * norm
		}
	}
	c.f = f
	c.fixedShares = fixed
	return true
}

// sigmaSpread is the prior standard deviation of 1−σ around 0 (σ = 1,
// Cobb–Douglas): the regression shrinks towards it as much as the noise in
// the shares asks.
const sigmaSpread = 1.0

// estimateSigma returns σ from the pooled regression, shrunk towards 1 by
// the residual variance (zero for a council that follows CES exactly).
func (c *consumerFit) estimateSigma() float64 {
	return estimateSigma(c.sxx, c.sxy, c.syy, c.dof)
}

// estimateSigma returns σ = 1 − the slope of the regression of demeaned
// Δ ln share on demeaned Δ ln price (sums sxx, sxy, syy, dof degrees of
// freedom), shrunk towards 1 by the residual variance.
func estimateSigma(sxx, sxy, syy float64, dof int) float64 {
	if sxx <= 1e-18 {
		return 1
	}
	slope := sxy / sxx
	s2 := 0.0
	if dof > 1 {
		s2 = maxOf(0, syy-sxy*slope) / float64(dof-1)
	}
	slope = sxy / (sxx + s2/(sigmaSpread*sigmaSpread))
	if math.Abs(slope) < 1e-9 {
		// Indistinguishable from Cobb–Douglas (rounding): take it as such,
		// whose shares do not depend on prices.
		return 1
	}
	return maxOf(0.05, minOf(20, 1-slope))
}

// predict sets the normalised shares (summing to 1) at log prices x.
func (c *consumerFit) predict(x []float64) {
	e := 1 - c.sigma
	if e == 0 && c.fixedShares {
		return // Cobb–Douglas: the shares do not depend on prices
	}
	c.fixedShares = e == 0
	m := math.Inf(-1)
	for i, g := range c.goods {
		a := c.lw[i] + e*(x[g]-c.pj[i])
		c.w[i] = a
		m = maxOf(m, a)
	}
	toShares(c.w, m)
}

// toShares turns w, log shares up to a constant whose largest is m, into
// shares summing to 1 (a softmax, shifted by m so that no exponential
// overflows).
func toShares(w []float64, m float64) {
	s := 0.0
	for i := range w {
		w[i] = math.Exp(w[i] - m)
		s += w[i]
	}
	for i := range w {
		w[i] /= s
	}
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	for i := range s {
		s[i] = 0
	}
	return s
}

// netUnitValue returns the value at prices p of one unit of the worker's
// output less its emissions per unit: Σ p·r over the outputs, less Σ p·ε
// over the emissions.
func (w *workerFit) netUnitValue(p []float64) float64 {
	q := 0.0
	for i, g := range w.out {
		q += p[g] * w.r[i]
	}
	for i, g := range w.em {
		q -= p[g] * w.eps[i]
	}
	return q
}
