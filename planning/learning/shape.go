package learning

import "math"

// A worker council's technology need not be Cobb–Douglas, and the board
// learns how it actually answers from its proposals. Anchored at its
// newest proposal (output y, net unit value q, inputs of value U·y in
// shares s_k, at log prices P), the fit predicts
//
//	z(p)    = ln q(p) − ln q₀ − ln c(p)
//	ln y(p) = ln y₀ + ε·z(p)
//	ln U(p) = ln U₀ + ln c(p) + γ·z(p)
//	input value k = U·y·s_k(p)
//
// c(p) the CES index of the input prices with elasticity of substitution
// σ (ln c = Σ s_k·(ln p_k − P_k) at σ = 1, where the shares stay put;
// else ln c = ln Σ s_k·(p_k/e^P_k)^(1−σ)/(1−σ) and s_k(p) move with it):
// ε is the supply's elasticity to the margin q/c, γ how the spending per
// unit of output follows it. A Cobb–Douglas worker of returns b (what the
// fit takes until a council's proposals say otherwise) is σ = 1, γ = 1,
// ε = b/(1 − b); a CES worker of returns b is the same with its own σ; a
// worker with fixed input coefficients is σ = 0, γ = 0 (it spends c per
// unit whatever its margin) and its own ε (2 for the harness's
// iso-elastic supply of its margin).
//
// learnShape reads σ, ε and γ from pairs of the council's proposals, as
// consumerFit reads a consumer's σ: σ from how its input shares moved
// with their relative prices (Δ ln s_k = (1 − σ)·Δ ln p_k + const, by
// least squares over the inputs), then ε and γ from how its output and
// its spending per unit moved with its margin (Δ ln y = ε·Δz, Δ ln U −
// Δ ln c = γ·Δz), pooled over rounds with older rounds decaying by
// shapeMemory at each informative one, each shrunk towards the Cobb–Douglas value by shapePrior.
// A council whose rounds keep to Cobb–Douglas (every reference worker)
// keeps the Cobb–Douglas fit exactly: the readings must differ from it by
// more than shapeSnap.
//
// The margin q/c is net of the emissions: a producer whose costs include
// paying for its emissions, as any workplace's do, may answer instead its
// margin over its inputs and emissions together, its gross unit value R
// (q plus the emissions' value e per unit) over its total unit cost
// U₀·c + e. Near a net margin of 1, with most of the cost emissions, the
// net margin moves many times as much as the gross one, and no one ε fits
// both (a fixed-proportions worker whose cost was 90% emissions, at a
// margin of 1.01: ε read 1.5 on the net margin where 0.22 fits, forecasts
// missing by 30–60%). So the fit also reads, from the same pairs of
// proposals, the gross shape
//
//	z(p)    = ln R(p) − ln R₀ − ln (U₀·c(p) + e(p)) + ln (U₀ + e₀)
//
// in place of the net z above, with its own ε and γ, and uses whichever
// of the two has predicted the council's proposals better: the one that
// did in shapeStreak rounds running (one early misread of a large leap
// outweighs the later rounds in the decayed errors, as for the shape
// against Cobb–Douglas), else the gross one where it predicted the
// newest proposal better and judge's decayed errors say so too, else the
// one it used; the net one for a worker with no emissions, where the two
// are the same.

// shapeMemory is the weight an older round keeps at each new one.
const shapeMemory = 0.9

// shapePrior is the weight, in squared log changes of the margin, of the
// Cobb–Douglas values: a round whose margin moved by less than about its
// square root teaches little.
const shapePrior = 1e-4

// shapeSnap is the relative difference below which a reading is taken
// for the Cobb–Douglas value.
const shapeSnap = 1e-6

// maxShapeB is the largest returns to scale a shape's fit believes, and
// maxShapeE the supply elasticity of Cobb–Douglas returns maxShapeB. A
// shape is read from how its output answered its margin over a few
// rounds, not from one proposal's shares as b is (maxB), and an ε read
// near constant returns from a few rounds is mostly their scatter.
const (
	maxShapeB = 0.97
	maxShapeE = maxShapeB / (1 - maxShapeB)
)

// shapeFit is what the rule has learned of a worker's shape: σ, ε, γ
// (used while on), the regressions' sums, and its previous proposal.
type shapeFit struct {
	on              bool
	sigma, eps, gam float64
	// gross says the shape used is the gross one (ε and γ are epsG and
	// gamG, else epsN and gamN): the margin over inputs and emissions
	// together.
	gross         bool
	epsN, gamN    float64
	epsG, gamG    float64
	gzz, gzy, gzg float64 // the gross shape's sums, as zz, zy, zg
	errGross      float64 // the gross shape's decayed squared errors
	gwins         int     // the rounds running it predicted better than the net one
	nwins         int     // and the rounds running the net one predicted better
	// σ's regression, Δ ln s on Δ ln p demeaned over the inputs.
	sxx, sxy, syy float64
	dof           int
	// ε's and γ's, on Δz, decayed by shapeMemory.
	zz, zy, zg float64
	// est says σ, ε, γ have been read; errShape and errCD are their
	// and the Cobb–Douglas fit's decayed squared errors (judge).
	est             bool
	errShape, errCD float64
	wins            int // the rounds running the shape predicted better
	// smooth says the shape extrapolates its supply through the loss at
	// which the council stops (solveShaped; only during a solve).
	smooth bool
	// prior says the shape on is idleShape's fixed proportions for a
	// worker whose shape has not been read, not a reading.
	prior bool
	// need is how many such rounds the fit waits for: 1, or 2 for a
	// council lag.go's identities read, whose one round may be a partial
	// step the board has not told yet (learnShape).
	need int
	// The previous proposal: log output, log net unit value, log returns
	// b, the inputs' goods, shares and log prices, and λ̂.
	have       bool
	ly, lq, lb float64
	lev        float64 // the emissions' value per unit (workerFit.ev)
	lam        float64
	in         []int
	share, pin []float64
	// lsh holds the previous proposal's log shares, ln share (set with
	// share, so that observe, judge and dlc read them, not recompute them).
	lsh []float64
	// uy is the spending on inputs U·y at the evaluated point (scratch).
	uy float64
	// The newest proposal's log shares and log returns b, for observe,
	// judge and predictShaped (set by learnShape; computed by
	// predictShaped if absent).
	alsh []float64
	alb  float64
}

// learnShape updates worker c's shape (w its fit, lam its λ̂) from its
// newest proposal. Not where the commons fund pays the workers (commons.go):
// a worker's answer moves with the fund there too, and read here that
// move would pass for its shape (learnK reads it).
func (m *fitted) learnShape(c int, w *workerFit, lam float64) {
	if m.commons.on {
		w.shape.on = false
		return
	}

	a := &m.adj[c]
	need := 1
	if a.informed {
		need = 2
	}
	switch {
	case !a.informed:
		// Its rounds have not shown how far it moves (a worker whose
		// proposals stay on a ray, sameRay): λ̂ is the other councils'
		// prior, not its own.
		lam = 1
	case a.noise > shapeQuiet || a.s1 < shapeReads:
		// The identities of lag.go read this council and scatter: its
		// proposals are not its answers to the round's prices however
		// far λ̂ says it moves (councils that move part of the way, read
		// as moving the whole way), and they would pass for a shape. Nor
		// before two of its identities have shown whether they scatter.
		lam = 0
	}
	w.learnShape(a.quantum, lam, need)
}

// shapeQuiet is the largest running mean square of the residuals of a
// worker's lag identities (lagFit.noise) for which learnShape reads its
// proposals: a council that answers in full with constant returns to
// scale satisfies them exactly.
const shapeQuiet = 1e-8

// shapeReads is the least decayed count of a council's lag identities
// (lagFit.s1: 1, then 1 + lagMemory, ...) for which their scatter is
// known: two rounds.
const shapeReads = 1 + lagMemory - 1e-9

// learnShape updates worker w's shape from its newest fit (lam its λ̂, q
// its rounding's resolution; need the rounds running its shape must have
// won, judge). Councils that round, or move only part of
// the way, now or the round before, teach nothing here: their figures or
// de-lagged proposals are not exact enough to tell a shape from their
// errors (roundedB reads a rounding worker's elasticity).
func (w *workerFit) learnShape(q, lam float64, need int) {
	if w.idle {
		// It made nothing: its fit, and what it taught of its shape, are
		// those of its last proposal that produced (read again, the
		// same proposal would pass for a round the shape did not win).
		return
	}
	t := &w.shape
	if t.prior {
		// Producing again: what idleShape assumed of it is not read.
		t.on, t.prior = false, false
	}
	if w.n == 1 || len(t.in) != len(w.in) || lam < wholeLam {
		// A council that moves only part of the way is read as the
		// Cobb–Douglas fit that lag.go's identities assume: what the
		// rounds before its speed was known taught of its shape is its
		// partial steps.
		// The slices keep their capacity: no allocation per round.
		*t = shapeFit{in: t.in[:0], share: t.share[:0], pin: t.pin[:0],
			lsh: t.lsh[:0], alsh: t.alsh[:0]}
	}
	t.need = need
	usable := q == 0 && lam >= wholeLam && len(w.in) > 0 && w.b > 0
	for i := 0; usable && i < len(w.in); i++ {
		usable = w.beta[i] > 0
	}
	same := usable && t.have && t.lam >= wholeLam
	for i := 0; same && i < len(w.in); i++ {
		same = t.in[i] == w.in[i]
	}
	// The newest log shares, computed once: observe reads them as the
	// new proposal's, and the next round as the previous one's (lsh).
	// Only observe (same implies usable), a usable proposal and
	// predictShaped (only while on, which only observe sets) read them:
	// a council whose shape is off and whose proposal is not usable
	// needs none.
	if usable || t.on {
		t.anchor(w)
	}
	if same {
		t.observe(w)
	}
	t.have = usable
	if !usable {
		return
	}
	t.ly, t.lq, t.lb, t.lam, t.lev = w.ly, w.lq, t.alb, lam, w.ev
	t.in = append(t.in[:0], w.in...)
	t.share, t.pin = t.share[:0], t.pin[:0]
	for i := range w.in {
		t.share = append(t.share, w.beta[i]/w.b)
	}
	t.pin = append(t.pin, w.pin...)
	t.lsh = append(t.lsh[:0], t.alsh...)
}

// idleShape judges, for a worker whose newest proposal (at prices p, log
// prices x) made nothing, its shape against the Cobb–Douglas fit, which
// judge cannot do (the log of nothing): where the shape read from its
// earlier rounds (not on yet) predicts that it makes nothing there, the
// shape predicted the round better than the Cobb–Douglas fit, which
// predicts output at any price, and the fit uses it. (A fixed-proportions
// worker below a margin of 1, its Cobb–Douglas fit anchored at an output
// of 8.7·10⁵ from the first leap: the learned economy counted on that
// supply of its good, demanded 2·10⁴, for 25 rounds, 100 × 1,000 mixed
// crowd seed 4.)
//
// A worker whose shape has not been read yet (it produced in one round
// only, or its rounds were not usable) and that has made nothing two
// rounds running is read the same way with fixed proportions for its
// shape, σ = 0, γ = 0 and its Cobb–Douglas ε: a Cobb–Douglas council, the
// fit it had, makes something at any prices, and this one has shown it
// does not. (From its first round of nothing, CES workers of the warm
// substitution crowd that made nothing for a round took 6–11 rounds to
// 3%, not 5.) Where that shape too predicts
// output at these prices, the fit stays as it was. (A fixed-proportions
// council of the 100 × 1,000 mixed crowd, seed 2, made 3.5·10⁴ of a good in
// the first round and nothing after: its Cobb–Douglas fit supplied three
// times the good's demand in the learned economy, whose prices left the
// good at a gap of 1 for 13 rounds.) The fit drops this shape at the
// worker's next proposal that produces.
func (w *workerFit) idleShape(p, x []float64) {
	t := &w.shape
	if t.on || len(t.alsh) != len(w.in) || w.b <= 0 {
		return
	}
	if !t.est {
		if w.idleN < 2 || !(w.netUnitValue(p) > 0) {
			// A council whose emissions cost more than its outputs
			// are worth makes nothing under any fit: its nothing is
			// no evidence against the one it has.
			return
		}
		t.sigma, t.eps, t.gam = 0, math.Min(maxShapeE, w.bE/(1-w.bE)), 0
		t.on = true
		w.predictShaped(p, x)
		t.on = w.y == 0
		t.prior = t.on
		return
	}
	t.on = true
	w.predictShaped(p, x)
	t.on = w.y == 0
}

// anchor sets t's log shares and log returns of w's newest proposal.
func (t *shapeFit) anchor(w *workerFit) {
	t.alsh = t.alsh[:0]
	for i := range w.in {
		t.alsh = append(t.alsh, math.Log(w.beta[i]/w.b))
	}
	t.alb = math.Log(w.b)
}

// observe adds the pair of t's previous proposal and w's newest to the
// regressions and re-estimates the shape (t.alsh and t.alb anchored at
// w's newest, t.lsh the previous proposal's log shares).
func (t *shapeFit) observe(w *workerFit) {
	n := len(w.in)
	t.judge(w)
	if n > 1 {
		mx, my := 0.0, 0.0
		for i := range w.in {
			mx += w.pin[i] - t.pin[i]
			my += t.alsh[i] - t.lsh[i]
		}
		mx /= float64(n)
		my /= float64(n)
		for i := range w.in {
			dx := w.pin[i] - t.pin[i] - mx
			dy := t.alsh[i] - t.lsh[i] - my
			t.sxx += dx * dx
			t.sxy += dx * dy
			t.syy += dy * dy
		}
		t.dof += n - 1
	}
	sigma := 1.0
	if t.sxx > 1e-18 {
		slope := t.sxy / t.sxx
		s2 := 0.0
		if t.dof > 1 {
			s2 = maxOf(0, t.syy-t.sxy*slope) / float64(t.dof-1)
		}
		slope = t.sxy / (t.sxx + s2)
		sigma = maxOf(0, minOf(20, 1-slope))
	}
	// The change of ln c at the new σ, from the previous shares.
	dc := t.dlc(w, sigma)
	z := w.lq - t.lq - dc
	zG := t.grossZ(w, dc)
	dy := w.ly - t.ly
	dg := t.alb + w.lq - t.lb - t.lq - dc
	if !finite(z) || !finite(zG) || !finite(dy) || !finite(dg) {
		return
	}
	// Older rounds decay only at an informative one: near the
	// equilibrium, where the margins barely move, what the leaps taught
	// stands.
	rho := 1.0
	if z*z > shapePrior {
		rho = shapeMemory
	}
	t.zz = rho*t.zz + z*z
	t.zy = rho*t.zy + z*dy
	t.zg = rho*t.zg + z*dg
	rho = 1.0
	if zG*zG > shapePrior {
		rho = shapeMemory
	}
	t.gzz = rho*t.gzz + zG*zG
	t.gzy = rho*t.gzy + zG*dy
	t.gzg = rho*t.gzg + zG*dg
	e0 := w.bE / (1 - w.bE)
	read := func(zz, zy, zg float64) (eps, gam float64) {
		eps = (zy + shapePrior*e0) / (zz + shapePrior)
		gam = (zg + shapePrior) / (zz + shapePrior)
		return snap(maxOf(0.05, minOf(maxShapeE, eps)), e0), snap(maxOf(0, minOf(2, gam)), 1)
	}
	t.epsN, t.gamN = read(t.zz, t.zy, t.zg)
	t.epsG, t.gamG = read(t.gzz, t.gzy, t.gzg)
	t.sigma = snap(sigma, 1)
	t.est = true
	switch {
	case w.ev == 0 && t.lev == 0:
		// No emissions: the two shapes are the same.
		t.gross = false
	case t.gwins >= shapeStreak:
		t.gross = true
	case t.nwins >= shapeStreak:
		t.gross = false
	case !t.gross && t.gwins > 0:
		t.gross = t.errGross < (1-grossWin)*t.errShape
	}
	t.eps, t.gam = t.epsN, t.gamN
	err := t.errShape
	if t.gross {
		t.eps, t.gam, err = t.epsG, t.gamG, t.errGross
	}
	t.on = (t.gam != 1 || t.eps != e0) && t.wins >= t.need &&
		(err < shapeWin*t.errCD || t.wins >= shapeStreak)
}

// grossWin is how much closer than the net shape's the gross shape's
// predictions must have come for the fit to use it: for a worker with no
// emissions the two are the same but for rounding.
const grossWin = 1e-3

// grossZ returns the change of the gross margin (the gross unit value
// over the total unit cost) from t's previous proposal to w's newest,
// dc the change of ln c: the previous spending per unit scaled by c, and
// the newest emissions' value, against the previous total.
func (t *shapeFit) grossZ(w *workerFit, dc float64) float64 {
	q0, q1 := math.Exp(t.lq), math.Exp(w.lq)
	u0 := math.Exp(t.lb) * q0
	return math.Log((q1+w.ev)/(q0+t.lev)) -
		math.Log((u0*math.Exp(dc)+w.ev)/(u0+t.lev))
}

// shapeStreak is the number of rounds running in which the shape must
// have predicted better than the Cobb–Douglas fit for the fit to use it
// whatever its decayed scores: one early misread of a large leap (the
// shape read from one or two rounds) otherwise outweighs every later
// round, whose smaller moves add less squared error to both scores.
const shapeStreak = 3

// judgeMemory is the weight an older round's errors keep in judge's
// scores at each new one: the shape read from more rounds should be
// judged by its latest predictions.
const judgeMemory = 0.5

// shapeWin is how much closer than the Cobb–Douglas fit's the shape's
// predictions must have come for the fit to use it.
const shapeWin = 0.5

// judge scores the shapes read so far (net and gross) and the Cobb–Douglas fit, all
// anchored at t's previous proposal, on w's newest: the squared errors
// of the log output, the log spending per unit and the log shares
// (demeaned) they predicted, decayed by judgeMemory. A shape is used
// only where it has predicted a proposal it was not read from better
// than the Cobb–Douglas fit did: a council misread once (one that answers
// late, before the board tells it) keeps the fit that keeps coming true.
// It reads the log shares as observe does.
func (t *shapeFit) judge(w *workerFit) {
	if !t.est {
		return // nothing read yet: the shape is the Cobb–Douglas fit
	}
	sigma, eps, gam := t.sigma, t.epsN, t.gamN
	bE := minOf(math.Exp(t.lb), maxShapeB)
	e0 := bE / (1 - bE)
	n := len(w.in)
	mx, my := 0.0, 0.0
	for i := range w.in {
		mx += w.pin[i] - t.pin[i]
		my += t.alsh[i] - t.lsh[i]
	}
	mx /= float64(n)
	my /= float64(n)
	eCD, eSh := 0.0, 0.0
	for i := range w.in {
		dx := w.pin[i] - t.pin[i] - mx
		dy := t.alsh[i] - t.lsh[i] - my
		eCD += dy * dy
		r := dy - (1-sigma)*dx
		eSh += r * r
	}
	dc1, dc := 0.0, 0.0
	for i := range w.in {
		dc1 += t.share[i] * (w.pin[i] - t.pin[i])
	}
	dc = t.dlc(w, sigma)
	dq, dy := w.lq-t.lq, w.ly-t.ly
	du := t.alb + w.lq - t.lb - t.lq
	r := dy - e0*(dq-dc1)
	eCD += r*r + (du-dq)*(du-dq)
	z := dq - dc
	eShG := eSh
	r = dy - eps*z
	ru := du - dc - gam*z
	eSh += r*r + ru*ru
	zG := t.grossZ(w, dc)
	r = dy - t.epsG*zG
	ru = du - dc - t.gamG*zG
	eShG += r*r + ru*ru
	if !finite(eCD) || !finite(eSh) || !finite(eShG) {
		return
	}
	t.errCD = judgeMemory*t.errCD + eCD
	t.errShape = judgeMemory*t.errShape + eSh
	t.errGross = judgeMemory*t.errGross + eShG
	switch {
	case eShG < (1-grossWin)*eSh:
		t.gwins, t.nwins = t.gwins+1, 0
	case eSh < (1-grossWin)*eShG:
		t.gwins, t.nwins = 0, t.nwins+1
	}
	if minOf(eSh, eShG) < shapeWin*eCD {
		t.wins++
	} else {
		t.wins = 0
	}
}

// dlc returns the change of ln c from t's previous proposal to w's
// newest at elasticity sigma, from the previous shares (and their logs,
// t.lsh).
func (t *shapeFit) dlc(w *workerFit, sigma float64) float64 {
	if math.Abs(1-sigma) < shapeSnap {
		dc := 0.0
		for i := range w.in {
			dc += t.share[i] * (w.pin[i] - t.pin[i])
		}
		return dc
	}
	e := 1 - sigma
	mx := math.Inf(-1)
	for i := range w.in {
		mx = maxOf(mx, t.lsh[i]+e*(w.pin[i]-t.pin[i]))
	}
	s := 0.0
	for i := range w.in {
		s += math.Exp(t.lsh[i] + e*(w.pin[i]-t.pin[i]) - mx)
	}
	return (mx + math.Log(s)) / e
}

// snap returns v, or v0 if v is within shapeSnap of it, relatively.
func snap(v, v0 float64) float64 {
	if math.Abs(v-v0) < shapeSnap*math.Abs(v0) {
		return v0
	}
	return v
}

// shapeE returns the supply elasticity the shaped fit extrapolates with:
// ε, no more than the Cobb–Douglas value of w.bE where bE is held below
// the council's own returns (solveDamped's stiffer economies).
func (w *workerFit) shapeE() float64 {
	e := w.shape.eps
	if w.bE < minOf(w.b, maxB) {
		e = minOf(e, w.bE/(1-w.bE))
	}
	return e
}

// predictShaped is predict for a worker whose shape is on: it sets y, q,
// the surplus, the value of every line, and, for the Jacobian, ∂ln q/∂ln p
// of the outputs and emissions in h and the inputs' shares s_k(p) in g
// (the inputs' part of it), and ∂z/∂ln p of every line in the other
// halves: the outputs' and emissions' in g, the inputs' in h (zGrad).
func (w *workerFit) predictShaped(p, x []float64) {
	t := &w.shape
	nio := len(w.out) + len(w.em)
	q := w.netUnitValue(p)
	w.q = q
	if !(q > 0) {
		w.y, w.s, t.uy = 0, 0, 0
		for i := range w.val {
			w.val[i] = 0
		}
		return
	}
	cur := w.g[nio:]
	if len(t.alsh) != len(w.in) {
		t.anchor(w)
	}
	lc := 0.0
	if t.sigma == 1 {
		for i, g := range w.in {
			s := w.beta[i] / w.b
			lc += s * (x[g] - w.pin[i])
			cur[i] = s
		}
	} else {
		e := 1 - t.sigma
		mx := math.Inf(-1)
		for i, g := range w.in {
			a := t.alsh[i] + e*(x[g]-w.pin[i])
			cur[i] = a
			if a > mx {
				mx = a
			}
		}
		s := 0.0
		for i := range cur {
			cur[i] = math.Exp(cur[i] - mx)
			s += cur[i]
		}
		for i := range cur {
			cur[i] /= s
		}
		lc = (mx + math.Log(s)) / e
	}
	var z float64
	if t.gross {
		// The gross unit value over the total unit cost: the anchor's
		// spending per unit scaled by c, and the emissions at p.
		e := 0.0
		for i, g := range w.em {
			e += p[g] * w.eps[i]
		}
		q0 := math.Exp(w.lq)
		u0 := math.Exp(t.alb) * q0
		uc := u0 * math.Exp(lc)
		k := uc + e
		z = math.Log((q+e)/(q0+w.ev)) - math.Log(k/(u0+w.ev))
		for i, g := range w.out {
			w.g[i] = p[g] * w.r[i] / (q + e)
		}
		for i, g := range w.em {
			w.g[len(w.out)+i] = -p[g] * w.eps[i] / k
		}
		for i := range w.in {
			w.h[nio+i] = -uc / k * cur[i]
		}
	} else {
		z = math.Log(q) - w.lq - lc
		for i, g := range w.out {
			w.g[i] = p[g] * w.r[i] / q
		}
		for i, g := range w.em {
			w.g[len(w.out)+i] = -p[g] * w.eps[i] / q
		}
		for i := range w.in {
			w.h[nio+i] = -cur[i]
		}
	}
	ly := minOf(700, w.ly+w.shapeE()*z)
	y := math.Exp(ly) * w.speed()
	u := math.Exp(minOf(700, t.alb+w.lq+lc+t.gam*z))
	if u >= q && !t.smooth {
		// No council produces at a loss (its outputs worth less than
		// its inputs): where the shape puts the spending per unit above
		// the net unit value, the council makes nothing (but while
		// solveShaped smooths the economy).
		w.y, w.s, t.uy = 0, 0, 0
		for i := range w.val {
			w.val[i] = 0
		}
		return
	}
	w.y = y
	t.uy = u * y
	w.s = (q - u) * y
	v := w.val
	for i, g := range w.out {
		v[i] = p[g] * w.r[i] * y
		w.h[i] = p[g] * w.r[i] / q
	}
	for i, g := range w.em {
		v[len(w.out)+i] = p[g] * w.eps[i] * y
		w.h[len(w.out)+i] = -p[g] * w.eps[i] / q
	}
	for i := range w.in {
		v[nio+i] = t.uy * cur[i]
	}
}

// solveShaped is solveSigma, and where the learned economy cannot be
// solved, solveSigma again with every shaped worker's supply extrapolated
// through the loss at which the shape says it stops, then, from that
// economy's equilibrium, the economy as it is; it reports the furthest of
// the two solved, the smoothed one only where the economy as it is comes
// within half the round's largest gap (gap) of clearing every market
// there. A shaped worker's supply drops to nothing where its spending
// per unit passes its net unit value, from as much as its anchored output
// where its margin is near 1 (fixed proportions at a gross margin of
// 1.01), and the homotopy cannot cross that drop: a 40 × 200
// fixed-proportions economy (seed 2, Cobb–Douglas consumers) whose
// learned economy failed 28 rounds running at 10–30% gaps, every produced
// market cleared and a resource's stuck 1% short. Where the smoothed
// equilibrium needs producers at a loss the economy as it is says make
// nothing, it is no step towards an equilibrium: a 40 × 200 mix, aimed
// at it, held a good at a gap of 0.998 for 15 rounds. When the first
// solve fails it keeps where that solve's homotopy stopped (pathX,
// pathTau) for Next's safe steps.
func (l *Rule) solveShaped(x0 []float64, gap float64) (float64, bool) {
	mx, ok := l.solveSigma(x0)
	if !ok {
		l.pathTau = l.s.tau
		l.pathX = append(l.pathX[:0], l.s.x...)
	}
	if ok || !l.m.setSmooth(true) {
		return mx, ok
	}
	mx, ok = l.solveSigma(x0)
	l.m.setSmooth(false)
	if !ok {
		return mx, false
	}
	x := append([]float64(nil), l.s.x...)
	if m2, ok2 := l.solveSigma(x); ok2 {
		return m2, true
	}
	m := l.m
	m.eval(x, l.s.lag, l.s.lagSurplus)
	worst := 0.0
	for j := range m.p {
		worst = maxOf(worst, math.Abs(m.rel(j)))
	}
	if !(worst <= gap/2) {
		return math.Inf(1), false
	}
	copy(l.s.x, x)
	return mx, true
}

// setSmooth sets every shaped worker's smooth flag to on, drops the fitted
// economy's cached passes, and reports whether some worker is shaped.
func (m *fitted) setSmooth(on bool) bool {
	any := false
	for _, c := range m.workers {
		if w := m.wf[c]; w != nil && w.shape.on {
			w.shape.smooth, any = on, true
		}
	}
	m.wOK, m.gradsOK, m.flat.ok = false, false, false
	return any
}
