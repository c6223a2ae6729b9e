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
	nHeld int               // the councils held whole: the first nHeld of held
	parts []int             // responsive councils that move only part of the way
	adj   []lagFit          // per council: how far it moves in a round
	delag planning.Proposal // scratch: a de-lagged proposal

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
		f.ioH, f.ioWa = resize(f.ioH, len(f.ioGood)), resize(f.ioWa, len(f.ioGood))
		f.built, f.ok = true, false
	}
	if f.ok && len(wd) > 0 && f.wd == &wd[0] && f.ws == &ws[0] {
		return
	}
	for k, c := range m.workers {
		w := m.wf[c]
		f.kb[k], f.ks[k] = w.scalars(m.p)
		f.qy[k], f.s[k] = w.q*w.y, w.s
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

// workerDiagonal adds the producing workers' terms of the weighted
// Jacobian's diagonal (row weights wd, ws) to dg, and their surplus's
// gradient to m.gradPool unless the budgets lag.
func (m *fitted) workerDiagonal(wd, ws, dg []float64) {
	m.ensureFlat(wd, ws)
	f := &m.flat
	lag := m.lag
	for k := range f.kb {
		kb, ks, qy, sk := f.kb[k], f.ks[k], f.qy[k], f.s[k]
		if qy == 0 {
			continue
		}
		// Outputs and emissions: ∂ln y = kb·h; a line's own column lands
		// on the diagonal (a good appears once in a worker's lines).
		for i := f.io[k]; i < f.io[k+1]; i++ {
			g, h := f.ioGood[i], f.ioH[i]
			dg[g] += f.ioWa[i] * (kb*h + 1)
			if !lag {
				m.gradPool[g] += sk * (kb + 1) * h
			}
		}
		// Inputs: ∂ln y = −ks·β, value β·q·y.
		for i := f.in[k]; i < f.in[k+1]; i++ {
			g, b := f.inGood[i], f.inBeta[i]
			dg[g] -= wd[g] * b * qy * ks * b
			if !lag {
				m.gradPool[g] -= sk * ks * b
			}
		}
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
			lam = m.adj[c].speed()
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
	share := m.plan.Councils[c].Share * f.speed()
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

// addWorker adds fitted worker c's lines at log prices x (m.p set by
// startWorkers) to supV and demV and returns its surplus.
func (m *fitted) addWorker(c int, x []float64) float64 {
	w := m.wf[c]
	w.predict(m.p, x)
	v := w.val
	for i, g := range w.out {
		m.supV[g] += v[i]
	}
	o := len(w.out)
	for i, g := range w.em {
		m.demV[g] += v[o+i]
	}
	o += len(w.em)
	for i, g := range w.in {
		m.demV[g] += v[o+i]
	}
	return w.s
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
	for k, c := range m.held {
		pr, wt := m.props[c], m.heldW[k]
		for _, l := range pr.Out {
			v := m.p[l.Good] * l.Qty * wt
			m.supV[l.Good] += v
			if m.plan.Councils[c].Role == planning.Worker {
				s += v
			}
		}
		for _, l := range pr.In {
			v := m.p[l.Good] * l.Qty * wt
			m.demV[l.Good] += v
			if m.plan.Councils[c].Role == planning.Worker {
				s -= v
			}
		}
	}
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
	for _, c := range m.ces {
		f := m.cf[c]
		f.predict(x)
		share := m.plan.Councils[c].Share
		spend := m.spent(f) * share * m.pool
		for i, g := range f.goods {
			m.demV[g] += spend * f.w[i]
			m.a[g] += m.spent(f) * share * f.w[i]
		}
	}
}

// rel returns good j's signed gap at the evaluated point: (demand −
// supply)/max(supply, demand), as the board measures it.
func (m *fitted) rel(j int) float64 {
	d := math.Max(m.supV[j], m.demV[j])
	if d <= 0 {
		return 0
	}
	return (m.demV[j] - m.supV[j]) / d
}

// scale returns the value by which good j's excess is measured.
func (m *fitted) scale(j int) float64 { return math.Max(m.supV[j], m.demV[j]) }

// grads fills gv (over the worker's lines: outputs, emissions, inputs) with
// ∂ln y/∂ln p of each line's good and hv with ∂ln q/∂ln p, at the evaluated
// point. Both are zero if the worker produces nothing.
func (w *workerFit) grads(p []float64, gv, hv []float64) {
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
		gv[o+i] = -sc * w.beta[i] * k
	}
}

// scalars returns the worker's Jacobian factors at the evaluated point,
// kb and ks (∂ln y/∂ln p is kb·h for an output or emission, h its
// ∂ln q/∂ln p, and −ks·β for an input), and sets h of its outputs and
// emissions in w.h; zero if it produces nothing.
func (w *workerFit) scalars(p []float64) (kb, ks float64) {
	if w.y == 0 {
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

// jacobian sets the dense matrix J (n×n) to the Jacobian at the evaluated
// point of the weighted excess: row j is wd_j·∂(demand value of j)/∂ln p −
// ws_j·∂(supply value of j)/∂ln p. With unit weights it is the Jacobian of
// excess demand in value; with wd = 1/demand value and ws = 1/supply value,
// that of ln(demand/supply).
func (m *fitted) jacobian(J [][]float64, wd, ws []float64) {
	m.ensureGrads()
	n := len(m.p)
	for j := 0; j < n; j++ {
		row := J[j]
		for i := range row {
			row[i] = 0
		}
		row[j] -= ws[j] * m.fixed[j] * m.p[j]
		m.gradPool[j] = m.fixed[j] * m.p[j]
	}
	for _, c := range m.workers {
		w := m.wf[c]
		if w.y == 0 {
			continue
		}
		nl := len(w.val)
		g, h, val := w.g[:nl], w.h[:nl], w.val
		goods := w.ibuf[:nl] // outputs, emissions, inputs: the lines' order
		nOut, nio := len(w.out), len(w.out)+len(w.em)
		for a, ga := range goods {
			wt, ua := wd[ga], val[a]
			if a < nOut {
				wt, ua = ws[ga], -ua
			}
			ua *= wt
			row := J[ga]
			for c2, gc := range goods {
				row[gc] += ua * g[c2]
			}
			if a < nio {
				row[ga] += ua
			} else {
				// An input's value moves with q too.
				wv := wt * val[a]
				for c2, gc := range goods[:nio] {
					row[gc] += wv * h[c2]
				}
			}
		}
		if !m.lag {
			for c2, gc := range goods {
				m.gradPool[gc] += w.s * (g[c2] + h[c2])
			}
		}
	}
	for k, c := range m.held {
		pr, wt := m.props[c], m.heldW[k]
		worker := m.plan.Councils[c].Role == planning.Worker
		for _, l := range pr.Out {
			v := m.p[l.Good] * l.Qty * wt
			J[l.Good][l.Good] -= ws[l.Good] * v
			if worker && !m.lag {
				m.gradPool[l.Good] += v
			}
		}
		for _, l := range pr.In {
			v := m.p[l.Good] * l.Qty * wt
			J[l.Good][l.Good] += wd[l.Good] * v
			if worker && !m.lag {
				m.gradPool[l.Good] -= v
			}
		}
	}
	for _, c := range m.ces {
		f := m.cf[c]
		e := 1 - f.sigma
		if e == 0 {
			continue
		}
		spend := m.spent(f) * m.plan.Councils[c].Share * m.pool
		for a, ga := range f.goods {
			dv := wd[ga] * spend * f.w[a] * e
			row := J[ga]
			row[ga] += dv
			for b, gb := range f.goods {
				row[gb] -= dv * f.w[b]
			}
		}
	}
	for j := 0; j < n; j++ {
		if m.a[j] == 0 {
			continue
		}
		row := J[j]
		aj := wd[j] * m.a[j]
		for i := 0; i < n; i++ {
			row[i] += aj * m.gradPool[i]
		}
	}
}

// jv sets out = J·v at the evaluated point without forming J, in
// O(lines); J and the weights are as for jacobian.
func (m *fitted) jv(v, out, wd, ws []float64) {
	n := len(m.p)
	gp := 0.0 // ∇pool·v
	for j := 0; j < n; j++ {
		fp := m.fixed[j] * m.p[j]
		out[j] = -ws[j] * fp * v[j]
		gp += fp * v[j]
	}
	// The producing workers: per worker, H = Σ h·v over its outputs and
	// emissions and B = Σ β·v over its inputs give ∇ln y·v = kb·H − ks·B
	// and ∇ln q·v = H.
	m.ensureFlat(wd, ws)
	f := &m.flat
	lag := m.lag
	for k := range f.kb {
		qy := f.qy[k]
		if qy == 0 {
			continue
		}
		ioLo, ioHi, inLo, inHi := f.io[k], f.io[k+1], f.in[k], f.in[k+1]
		ioGood, ioH, ioWa := f.ioGood[ioLo:ioHi], f.ioH[ioLo:ioHi], f.ioWa[ioLo:ioHi]
		ioH, ioWa = ioH[:len(ioGood)], ioWa[:len(ioGood)]
		inGood, inBeta := f.inGood[inLo:inHi], f.inBeta[inLo:inHi]
		inBeta = inBeta[:len(inGood)]
		H := 0.0
		for i, g := range ioGood {
			H += ioH[i] * v[g]
		}
		// Two sums, to overlap the additions' latency.
		B0, B1 := 0.0, 0.0
		i := 0
		for ; i+1 < len(inGood); i += 2 {
			B0 += inBeta[i] * v[inGood[i]]
			B1 += inBeta[i+1] * v[inGood[i+1]]
		}
		if i < len(inGood) {
			B0 += inBeta[i] * v[inGood[i]]
		}
		B := B0 + B1
		gdot := f.kb[k]*H - f.ks[k]*B
		for i, g := range ioGood {
			out[g] += ioWa[i] * (gdot + v[g])
		}
		gh := gdot + H
		t := qy * gh
		for i, g := range inGood {
			out[g] += wd[g] * inBeta[i] * t
		}
		if !lag {
			gp += f.s[k] * gh
		}
	}
	for k, c := range m.held {
		pr, wt := m.props[c], m.heldW[k]
		worker := m.plan.Councils[c].Role == planning.Worker
		for _, l := range pr.Out {
			x := m.p[l.Good] * l.Qty * wt * v[l.Good]
			out[l.Good] -= ws[l.Good] * x
			if worker && !m.lag {
				gp += x
			}
		}
		for _, l := range pr.In {
			x := m.p[l.Good] * l.Qty * wt * v[l.Good]
			out[l.Good] += wd[l.Good] * x
			if worker && !m.lag {
				gp -= x
			}
		}
	}
	for _, c := range m.ces {
		f := m.cf[c]
		e := 1 - f.sigma
		if e == 0 {
			continue
		}
		spend := m.spent(f) * m.plan.Councils[c].Share * m.pool
		wv := 0.0
		for b, gb := range f.goods {
			wv += f.w[b] * v[gb]
		}
		for a, ga := range f.goods {
			out[ga] += wd[ga] * spend * f.w[a] * e * (v[ga] - wv)
		}
	}
	for j := 0; j < n; j++ {
		out[j] += wd[j] * m.a[j] * gp
	}
}
