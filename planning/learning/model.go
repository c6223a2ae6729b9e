package learning

import (
	"math"

	"parecon/planning"
)

// fitted is the economy the learning rule has inferred from the proposals:
// fitted worker and consumer councils that respond to prices, councils
// whose standing proposal it holds fixed, and the fixed supply. It
// evaluates excess demand, in value, at any log prices, with its Jacobian.
type fitted struct {
	plan  *planning.Plan
	fixed []float64 // endowments and labour supplied
	poll  []bool    // per good: a pollutant

	wf    []*workerFit         // per council, nil if none
	cf    []*consumerFit       // per council, nil if none
	props []*planning.Proposal // per council: the standing proposal

	workers   []int // councils whose fitted technology responds
	consumers []int // councils whose fitted demand responds
	held      []int // councils held at their standing proposal
	// heldW weighs each held council's standing proposal: 1 for a
	// council held at it, 1 − λ̂ for one that moves only part of the way
	// (a responsive council too, whose fitted answer then counts λ̂).
	heldW []float64
	nHeld int                  // the councils held whole: the first nHeld of held
	parts []int                // responsive councils that move only part of the way
	adj   []lagFit             // per council: how far it moves in a round
	bt    []bTrack             // per council: a rounding worker's b (rounded_b.go)
	et    []epsTrack           // per council: a rounding worker's ε (rounded_eps.go)
	delag planning.Proposal    // scratch: a de-lagged proposal
	unr   planning.Proposal    // scratch: a rounded proposal's midpoints
	unrL  [2]planning.Proposal // scratch: lagLines' midpoints
	// scaled is observeScaled's scratch.
	scaled scaledFitter

	// Cobb–Douglas consumers aggregate exactly: each spends the fixed
	// shares w_cj of its budget s_c·f_c·pool, so together they demand
	// (Σ_c s_c·f_c·w_cj)·pool of good j. cdFull and cdPart hold those sums
	// per good (f_c = 1 and f_c the fitted fraction); ces lists the other
	// consumers, evaluated one by one. aggOK is false until they are
	// summed for the current fits (observe clears it).
	cdFull, cdPart []float64
	ces            []int
	aggOK          bool

	// Evaluation at the current point.
	p        []float64 // prices
	supV     []float64 // value supplied per good
	demV     []float64 // value demanded per good
	a        []float64 // ∂(consumer demand value)/∂pool per good
	gradPool []float64 // ∂pool/∂ln p
	surplus  float64   // workers' surplus at p
	pool     float64   // the pool the consumers' budgets share
	lag      bool      // budgets from a given surplus, not from p's
	// fullSpend has every consumer council spend its whole budget. The
	// rule aims at that economy: where councils leave part of their
	// budgets unspent (as noisy ones scaled back within their budgets do)
	// no prices clear every market, and aiming at the n−1 markets other
	// than the numéraire's would pile all the slack onto the numéraire's;
	// spending it all spreads the slack over the markets consumers buy in.
	fullSpend bool

	// gradsOK says the workers' gradients (every line's, for the dense
	// Jacobian) are those of the evaluated point: only the Jacobian needs
	// them, not every evaluation.
	gradsOK bool
	// flat holds the producing workers for the Jacobian's products.
	flat flatWorkers

	// The workers' pass of the last evaluation (prices, the value of
	// fixed supply, supV and demV after the fitted workers, their
	// surplus), at log prices wx: an evaluation at the same log prices
	// (the rule's prediction at the solution it just checked) reuses it.
	// observe clears wOK.
	wOK          bool
	wx           []float64
	wSup, wDem   []float64
	wFixed, wSur float64

	mem *fitMemory // where the fits are carved from, in council order

	commons commonsState // the commons fund (commons.go)
}

// ensureGrads sets every fitted worker's gradients at the evaluated point.
func (m *fitted) ensureGrads() {
	if m.gradsOK {
		return
	}
	for _, c := range m.workers {
		w := m.wf[c]
		w.grads(m.p, w.g, w.h)
	}
	m.gradsOK = true
}

// flatWorkers lays out the fitted workers in flat arrays for the
// Jacobian's products and diagonal, which GMRES applies dozens of times a
// Newton iteration: worker k's outputs and emissions are lines
// io[k]:io[k+1] (good ioGood, ∂ln q/∂ln p ioH, signed weighted value
// ioWa), its inputs in[k]:in[k+1] (good inGood, value share inBeta); kb,
// ks, qy and s are its factors at the evaluated point (see
// workerFit.scalars), its q·y and its surplus. The goods and shares change
// only when the fits do (observe clears built); the rest at every
// evaluation (eval clears ok).
type flatWorkers struct {
	built, ok      bool
	wd, ws         *float64 // the row weights ioWa was set with
	io, in         []int32
	ioGood, inGood []int32
	ioSign         []float64 // −1 for an output, 1 for an emission
	inBeta         []float64
	ioH, ioWa      []float64
	kb, ks, qy, s  []float64
	// es is each worker's 1 − σ (0 for Cobb–Douglas; worker_sigma.go),
	// ib its 1/b; a worker with es ≠ 0 has its inBeta reset to its
	// current shares at every evaluation.
	es, ib []float64
	// shaped lists, in m.workers' order, the workers whose shape is on
	// (their k), which the flat loops skip and shape_terms.go's loops
	// visit, without going through every worker's fit.
	shaped []int32
}

// ensureFlat sets m.flat for the evaluated point and row weights wd, ws.
func (m *fitted) ensureFlat(wd, ws []float64) {
	f := &m.flat
	if !f.built {
		f.io, f.in = append(f.io[:0], 0), append(f.in[:0], 0)
		f.ioGood, f.inGood, f.ioSign, f.inBeta = f.ioGood[:0], f.inGood[:0], f.ioSign[:0], f.inBeta[:0]
		for _, c := range m.workers {
			w := m.wf[c]
			for _, g := range w.out {
				f.ioGood = append(f.ioGood, int32(g))
				f.ioSign = append(f.ioSign, -1)
			}
			for _, g := range w.em {
				f.ioGood = append(f.ioGood, int32(g))
				f.ioSign = append(f.ioSign, 1)
			}
			for i, g := range w.in {
				f.inGood = append(f.inGood, int32(g))
				f.inBeta = append(f.inBeta, w.beta[i])
			}
			f.io = append(f.io, int32(len(f.ioGood)))
			f.in = append(f.in, int32(len(f.inGood)))
		}
		nw := len(m.workers)
		f.kb, f.ks, f.qy, f.s = resize(f.kb, nw), resize(f.ks, nw), resize(f.qy, nw), resize(f.s, nw)
		f.es, f.ib = resize(f.es, nw), resize(f.ib, nw)
		for k, c := range m.workers {
			w := m.wf[c]
			f.es[k], f.ib[k] = w.subst(), 0
			if w.b > 0 {
				f.ib[k] = 1 / w.b
			}
		}
		f.ioH, f.ioWa = resize(f.ioH, len(f.ioGood)), resize(f.ioWa, len(f.ioGood))
		f.built, f.ok = true, false
	}
	if f.ok && len(wd) > 0 && f.wd == &wd[0] && f.ws == &ws[0] {
		return
	}
	f.shaped = f.shaped[:0]
	for k, c := range m.workers {
		w := m.wf[c]
		f.kb[k], f.ks[k] = w.scalars(m.p)
		f.qy[k], f.s[k] = w.q*w.y, w.s
		if w.shape.on {
			// Its terms are shape_terms.go's: the flat loops skip it.
			f.qy[k] = 0
			f.shaped = append(f.shaped, int32(k))
		} else if f.es[k] != 0 {
			copy(f.inBeta[f.in[k]:f.in[k+1]], w.cur)
		}
		lo := int(f.io[k])
		for i := range len(w.out) + len(w.em) {
			g := f.ioGood[lo+i]
			wt := ws[g]
			if f.ioSign[lo+i] > 0 {
				wt = wd[g]
			}
			f.ioH[lo+i] = w.h[i]
			f.ioWa[lo+i] = f.ioSign[lo+i] * wt * w.val[i]
		}
	}
	f.ok = true
	f.wd, f.ws = nil, nil
	if len(wd) > 0 && len(ws) > 0 {
		f.wd, f.ws = &wd[0], &ws[0]
	}
}

// holdPart notes that responsive council c moves only lam of the way to
// its answer (nothing if lam is 1): the part 1 − lam of its standing
// proposal stays.
func (m *fitted) holdPart(c int, lam float64) {
	if lam < 1 {
		m.parts = append(m.parts, c)
	}
}

// setLag has the fitted economy predict the partial adjustment the
// councils make (on: what the next round will propose) or their answers
// (off: where they are going, the de-lagged economy).
func (m *fitted) setLag(on bool) {
	m.held, m.heldW = m.held[:m.nHeld], m.heldW[:m.nHeld]
	for _, c := range m.parts {
		lam := 1.0
		if on {
			lam = m.adj[c].predSpeed()
			m.held, m.heldW = append(m.held, c), append(m.heldW, 1-lam)
		}
		if w := m.wf[c]; m.plan.Councils[c].Role == planning.Worker && w != nil {
			w.lam = lam
		} else if f := m.cf[c]; f != nil {
			f.lam = lam
		}
	}
	m.aggOK, m.wOK, m.gradsOK, m.flat.ok = false, false, false, false
}

// spent returns the fraction of its budget consumer fit f spends in the
// model.
func (m *fitted) spent(f *consumerFit) float64 {
	if m.fullSpend {
		return f.speed()
	}
	return f.f * f.speed()
}

func newFitted(plan *planning.Plan) *fitted {
	n, nc := len(plan.Goods), len(plan.Councils)
	m := &fitted{
		plan: plan, fixed: plan.FixedSupply(),
		wf: make([]*workerFit, nc), cf: make([]*consumerFit, nc), props: make([]*planning.Proposal, nc),
		adj: make([]lagFit, nc),
		p:   make([]float64, n), supV: make([]float64, n), demV: make([]float64, n),
		a: make([]float64, n), gradPool: make([]float64, n),
		cdFull: make([]float64, n), cdPart: make([]float64, n),
		poll: make([]bool, n), mem: newFitMemory(),
	}
	for j, g := range plan.Goods {
		m.poll[j] = g.Kind == planning.Pollutant
	}
	return m
}

// aggregate sums the Cobb–Douglas consumers' demand shares (at log prices
// x, which they do not depend on) and lists the others in m.ces.
func (m *fitted) aggregate(x []float64) {
	m.startAggregate()
	for _, c := range m.consumers {
		m.addConsumer(c, x)
	}
	m.addFund()
	m.aggOK = true
}

// startAggregate empties the Cobb–Douglas consumers' sums and m.ces.
func (m *fitted) startAggregate() {
	m.ces = m.ces[:0]
	for j := range m.cdFull {
		m.cdFull[j], m.cdPart[j] = 0, 0
	}
}

// addConsumer adds the fitted consumer c to the Cobb–Douglas sums, or to
// m.ces if its elasticity is not 1.
func (m *fitted) addConsumer(c int, x []float64) {
	f := m.cf[c]
	if f.sigma != 1 {
		m.ces = append(m.ces, c)
		return
	}
	f.predict(x)
	share := m.budgetShare(c) * f.speed()
	fs := f.f * share
	for i, g := range f.goods {
		m.cdFull[g] += share * f.w[i]
		m.cdPart[g] += fs * f.w[i]
	}
}

// eval evaluates the fitted economy at log prices x. With lag, consumer
// budgets share the value of fixed supply plus lagSurplus (the spec's
// budgets, which use the previous round's surplus); without, they share the
// value of fixed supply plus the surplus at x itself (full equilibrium).
func (m *fitted) eval(x []float64, lag bool, lagSurplus float64) {
	m.lag = lag
	m.flat.ok = false
	var fixedValue, s float64
	if m.wOK && sameFloats(x, m.wx) {
		// The workers' predictions (and their gradients) at x stand.
		copy(m.supV, m.wSup)
		copy(m.demV, m.wDem)
		for j := range m.a {
			m.a[j] = 0
		}
		fixedValue, s = m.wFixed, m.wSur
	} else {
		fixedValue, s = m.evalWorkers(x)
	}
	m.heldAndConsumers(x, lag, lagSurplus, fixedValue, s)
}

// sameFloats reports whether a and b hold the same numbers, bit for bit.
func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i, v := range a {
		if math.Float64bits(v) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// evalWorkers sets the prices at log prices x, the supply of fixed goods
// and the fitted workers' lines in supV and demV, and returns the value of
// fixed supply and the workers' surplus; it keeps them for a later
// evaluation at the same x.
func (m *fitted) evalWorkers(x []float64) (float64, float64) {
	fixedValue := m.startWorkers(x)
	s := 0.0
	for _, c := range m.workers {
		s += m.addWorker(c, x)
	}
	m.finishWorkers(x, fixedValue, s)
	return fixedValue, s
}

// startWorkers begins a workers' pass at log prices x: the prices, and the
// fixed supply in supV. It returns the value of fixed supply.
func (m *fitted) startWorkers(x []float64) float64 {
	m.gradsOK = false
	m.flat.ok = false
	m.wOK = false
	for j := range m.p {
		m.p[j] = math.Exp(x[j])
		v := m.fixed[j] * m.p[j]
		m.supV[j] = v
		m.demV[j] = 0
		m.a[j] = 0
	}
	return planning.Value2(m.fixed, m.p)
}

// finishWorkers keeps the workers' pass at x (fixed value and surplus s)
// for a later evaluation at the same x.
func (m *fitted) finishWorkers(x []float64, fixedValue, s float64) {
	n := len(m.p)
	if len(m.wx) != n {
		m.wx = make([]float64, n)
		m.wSup = make([]float64, n)
		m.wDem = make([]float64, n)
	}
	copy(m.wx, x)
	copy(m.wSup, m.supV)
	copy(m.wDem, m.demV)
	m.wFixed, m.wSur = fixedValue, s
	m.wOK = true
}

// heldAndConsumers adds the held councils and the consumers to an
// evaluation whose workers' pass is done (fixedValue, s as evalWorkers
// returns them).
func (m *fitted) heldAndConsumers(x []float64, lag bool, lagSurplus, fixedValue, s float64) {
	s = m.heldValue(s)
	m.surplus = s
	m.pool = fixedValue + s
	if lag {
		m.pool = fixedValue + lagSurplus
	}
	if !m.aggOK {
		m.aggregate(x)
	}
	cd := m.cdPart
	if m.fullSpend {
		cd = m.cdFull
	}
	for j, a := range cd {
		if a != 0 {
			m.demV[j] += a * m.pool
			m.a[j] += a
		}
	}
	m.cesValue(x)
}

// rel returns good j's signed gap at the evaluated point: (demand −
// supply)/max(supply, demand), as the board measures it.
func (m *fitted) rel(j int) float64 {
	d := maxOf(m.supV[j], m.demV[j])
	if d <= 0 {
		return 0
	}
	return (m.demV[j] - m.supV[j]) / d
}

// grads fills gv (over the worker's lines: outputs, emissions, inputs) with
// ∂ln y/∂ln p of each line's good and hv with ∂ln q/∂ln p, at the evaluated
// point. Both are zero if the worker produces nothing.
func (w *workerFit) grads(p []float64, gv, hv []float64) {
	if w.shape.on {
		return // predictShaped set what shape_terms.go needs
	}
	for i := range gv {
		gv[i], hv[i] = 0, 0
	}
	if w.y == 0 {
		return
	}
	sc := 0.0
	if w.b > 0 {
		sc = w.bE / w.b
	}
	k := 1 / (1 - w.bE)
	for i, g := range w.out {
		hv[i] = p[g] * w.r[i] / w.q
		gv[i] = w.bE * hv[i] * k
	}
	o := len(w.out)
	for i, g := range w.em {
		hv[o+i] = -p[g] * w.eps[i] / w.q
		gv[o+i] = w.bE * hv[o+i] * k
	}
	o += len(w.em)
	for i := range w.in {
		gv[o+i] = -sc * w.cur[i] * k
	}
}

// scalars returns the worker's Jacobian factors at the evaluated point,
// kb and ks (∂ln y/∂ln p is kb·h for an output or emission, h its
// ∂ln q/∂ln p, and −ks·β for an input), and sets h of its outputs and
// emissions in w.h; zero if it produces nothing.
func (w *workerFit) scalars(p []float64) (kb, ks float64) {
	if w.y == 0 || w.shape.on {
		return 0, 0
	}
	k := 1 / (1 - w.bE)
	kb = w.bE * k
	if w.b > 0 {
		ks = w.bE / w.b * k
	}
	for i, g := range w.out {
		w.h[i] = p[g] * w.r[i] / w.q
	}
	o := len(w.out)
	for i, g := range w.em {
		w.h[o+i] = -p[g] * w.eps[i] / w.q
	}
	return kb, ks
}
