package learning

import (
	"math"

	"parecon/planning"
)

// How the rule learns the worker councils' response to the commons K
// (docs/spec/economy.md, "Commons goods"), from their proposals alone. A
// council that draws on commons goods with exponents γ_j answers as if its
// scale were scale·Π K_j^γ_j: at given prices its log output moves by
// Σ_j c_j·Δln K_j with c_j = γ_j/(1 − b). The board publishes K with each
// round, so when a council proposes again the part of its change of log
// output that its fitted technology does not explain by the prices is
// regressed (non-negative least squares over the rounds kept, one small
// regression per council, commons_nnls.go) on the change of ln K since its
// last proposal. The fitted level is then
// moved to the K the rule aims at: the commons the plan sustains at its
// equilibrium, K* = stock + the output of the commons goods at the
// equilibrium's prices, found by solving the learned economy at K and
// setting K to the commons output there until it stands (solveCommons),
// and, to predict the next round, the K the board will publish.

// kFit is one worker council's learned response to K.
type kFit struct {
	ly0  float64   // log output of its newest proposal (the fit's anchor)
	lnK0 []float64 // ln K of the round it was made in, per commons good
	c    []float64 // ∂ln y/∂ln K_j, per commons good
	// rows holds the changes of ln K its proposals were made at (m per
	// row) and obs the changes of log output they showed beyond the
	// prices' part: the regression's data, refitted in full at each
	// update (kSolve), oldest dropped beyond kRows.
	rows, obs []float64
	// noise is the variance of the council's proposals' errors (its
	// rounding, or what its identities scatter by: lag.go), which weighs
	// the prior c = 0 against the rounds (kPriorVar).
	noise float64
	seen  bool
}

// kPriorVar is the variance of the regression's prior on each c_j (0):
// with a council's noise σ², the ridge σ²/kPriorVar keeps rounds in which
// K hardly moved from teaching its rounding for a response to K. An exact
// council has no ridge.
const kPriorVar = 0.25

// newKFit returns the fit of a council's response to m commons goods:
// none yet.
func newKFit(m int) *kFit {
	return &kFit{lnK0: make([]float64, m), c: make([]float64, m)}
}

// kShow is how many times its rounding resolution ln K must move for a
// council that rounds to show its response to K.
const kShow = 10

// kRows is how many rounds the regression keeps per council.
const kRows = 64

// cMax bounds a learned c_j: c_j = γ_j/(1 − b) < 1 since b + Σγ < 1.
const cMax = 0.99

// kState is the rule's knowledge of the commons K.
type kState struct {
	goods  []int     // the commons goods
	stock  []float64 // their stocks
	lnCur  []float64 // ln K of the round just closed
	lnNext []float64 // ln K of the round the rule opens
	lnAim  []float64 // ln K the fitted levels are set to
	fits   []*kFit   // per council
	scr    []float64 // scratch
	// missed counts the worker councils whose response to K the round
	// just closed showed to have been mispredicted (by more than kMissed
	// in log output), and seen those whose response was tested at all:
	// the round moved K in a direction their rounds had not shown (see
	// kMissedRound).
	missed, seen int
}

// kMissed is the error of a council's predicted log output, beyond its
// prices' part, from which the round taught its response to K anew.
const kMissed = 0.02

// kMissedRound is the share of the tested worker councils whose response
// to K a round must show mispredicted for the rule to keep its trust
// region (judge): the prediction failed for what no round had yet shown
// of the response to K, not for the fitted answers.
const kMissedRound = 0.05

// missedK reports whether the round just closed first showed the response
// to K of a kMissedRound share of the worker councils tested.
func (m *fitted) missedK() bool {
	k := &m.commons.k
	return m.commons.on && k.seen > 0 && float64(k.missed) > kMissedRound*float64(k.seen)
}

// setK records round r's K and the next round's (from r's standing
// proposals, as the board will compute it).
func (m *fitted) setK(plan *planning.Plan, r *planning.Round) {
	k := &m.commons.k
	if k.goods == nil {
		for j, g := range plan.Goods {
			if g.Commons {
				k.goods = append(k.goods, j)
				k.stock = append(k.stock, g.Stock)
			}
		}
		n := len(k.goods)
		k.lnCur, k.lnNext, k.lnAim, k.scr = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		k.fits = make([]*kFit, len(plan.Councils))
	}
	k.missed, k.seen = 0, 0
	next := plan.CommonsK(r)
	for i, j := range k.goods {
		k.lnCur[i] = lnPos(r.K[j])
		k.lnNext[i] = lnPos(next[j])
	}
}

// lnPos is ln x for x > 0, and a very negative number for x ≤ 0.
func lnPos(x float64) float64 {
	if x > 0 {
		return math.Log(x)
	}
	return -700
}

// learnK updates worker council c's response to K from its fresh
// (de-lagged) proposal obs, made at round r's prices (log prices x) and
// K, before w (its fit from earlier proposals, nil if none) is refitted
// to obs.
func (m *fitted) learnK(c int, w *workerFit, obs *planning.Proposal, r *planning.Round, x []float64) {
	if !m.commons.on {
		return
	}
	k := &m.commons.k
	y := 0.0
	for _, l := range obs.Out {
		if l.Qty > 0 {
			y = l.Qty
			break
		}
	}
	if !(y > 0) {
		return
	}
	n := len(k.goods)
	f := k.fits[c]
	if f == nil {
		f = newKFit(n)
		k.fits[c] = f
	}
	// A council that moves only part of the way is learned from its
	// de-lagged proposals, whose errors would pass for a response to K.
	if f.seen && w != nil && w.n > 0 && w.speed() > 0.999 {
		if pred, ok := w.logOutputAt(r.Prices, x, f.ly0); ok {
			phi := k.scr
			big := 0.0
			for i := range n {
				phi[i] = k.lnCur[i] - f.lnK0[i]
				pred += f.c[i] * phi[i]
				big = maxOf(big, math.Abs(phi[i]))
			}
			// A council that rounds its figures to a resolution q
			// (lag.go) answers a move of ln K below kShow·q by at most
			// about q (c_j < 1, mostly below 0.1): its rounding would
			// pass for a response to K.
			a := &m.adj[c]
			if big > 1e-9 && big < 50 && big > kShow*a.quantum {
				f.noise = maxOf(a.noise, a.quantum*a.quantum/12)
				e := math.Log(y) - pred
				k.seen++
				if math.Abs(e) > kMissed+3*math.Sqrt(f.noise) {
					k.missed++
				}
				f.update(phi, e)
			}
		}
	}
	f.ly0 = math.Log(y)
	copy(f.lnK0, k.lnCur)
	f.seen = true
}

// update adds a round at which ln K had changed by phi since the
// council's last proposal and its log output by e more than the fit
// predicted, and refits c to every round kept: the least squares with
// every c_j ≥ 0 (γ_j > 0) (kSolve), then kept below cMax and Σ c_j too
// (Σ γ_j/(1 − b) < 1). Where the rounds leave part of c undetermined (K
// has moved in fewer directions than there are commons goods), the fit
// takes the least c that explains them.
func (f *kFit) update(phi []float64, e float64) {
	n := len(phi)
	d := e
	for i := range n {
		d += f.c[i] * phi[i]
	}
	f.rows = append(f.rows, phi...)
	f.obs = append(f.obs, d)
	if len(f.obs) > kRows {
		f.rows, f.obs = f.rows[n:], f.obs[1:]
	}
	if !kSparse(f.rows, f.obs, f.noise, f.c) {
		kSolve(f.rows, f.obs, f.noise/kPriorVar, f.c)
	}
	sum := 0.0
	for i := range n {
		f.c[i] = minOf(cMax, f.c[i])
		sum += f.c[i]
	}
	if sum > cMax {
		for i := range n {
			f.c[i] *= cMax / sum
		}
	}
}

// logOutputAt returns the log output the fit predicts at prices p (logs
// x) with its level at ly: the formula of predict, without the council's
// speed. It reports false where the fit produces nothing.
func (w *workerFit) logOutputAt(p, x []float64, ly float64) (float64, bool) {
	q := w.netUnitValue(p)
	if !(q > 0) || w.b == 0 {
		return 0, false
	}
	sc := w.bE / w.b
	e := w.bE * (math.Log(q) - w.lq)
	for i, g := range w.in {
		e -= sc * w.beta[i] * (x[g] - w.pin[i])
	}
	return ly + e/(1-w.bE), true
}

// aimK sets every responsive worker's fitted level to the commons lnK
// (per commons good): its anchor moved by Σ c_j (ln K_j − ln K_j at the
// anchor).
func (m *fitted) aimK(lnK []float64) {
	k := &m.commons.k
	copy(k.lnAim, lnK)
	for _, c := range m.workers {
		f, w := k.fits[c], m.wf[c]
		if f == nil || w == nil || !f.seen {
			continue
		}
		ly := f.ly0
		for i, ci := range f.c {
			ly += ci * (lnK[i] - f.lnK0[i])
		}
		w.ly = ly
	}
	m.wOK, m.gradsOK, m.flat.ok = false, false, false
}

// commonsAim is how many times solveCommons solves at most, and the change
// of ln K below which it stops.
const (
	commonsAim    = 6
	commonsAimTol = 1e-12
)

// solveCommons solves the learned economy from x0 as solve does; in a plan
// with commons goods it first sets K to the next round's, then to the
// commons output at the solution, until K stands, and leaves the fitted
// levels at the next round's K (for the rule's prediction of it).
func (l *Rule) solveCommons(x0 []float64) (float64, bool) {
	m := l.m
	if !m.commons.on {
		return l.s.solve(x0, false, 0, solveIter)
	}
	k := &m.commons.k
	aim := append([]float64(nil), k.lnNext...)
	var mx float64
	var ok bool
	for it := 0; it < commonsAim; it++ {
		m.aimK(aim)
		mx, ok = l.s.solve(x0, false, 0, solveIter)
		if !ok {
			break
		}
		m.eval(l.s.x, false, 0)
		d := 0.0
		for i, j := range k.goods {
			y := k.stock[i] + m.supV[j]/m.p[j]
			v := lnPos(y)
			d = maxOf(d, math.Abs(v-aim[i]))
			aim[i] = v
		}
		if d < commonsAimTol {
			break
		}
		x0 = l.s.x
	}
	if ok {
		mx, ok = l.driveK(aim, mx)
	}
	m.aimK(k.lnNext)
	return mx, ok
}

// driveIter is how many times driveK solves at most.
const driveIter = 8

// driveK, with the learned economy solved at the K it sustains (aim, ln K
// per commons good) and the fitted levels there, solves it instead at the
// next round's K with the fund buying, of each commons good, what brings
// K to aim in one round (aim − stock): the commons then stand at aim in
// the round after next, rather than approach it only as fast as their
// makers' output responds to K. The fund's share of the pool is set to
// that purchase's value at the solution and the economy solved again until
// the makers make it. The round after next also shares the next round's
// surplus (the pool lags a round, as K does), so the next round is solved
// with its budgets set from the surplus that makes its own surplus the
// aim's (sStar, found by the same passes): the round after next then opens
// with the aim's K and the aim's pool, and can clear at once, as the
// planning oracle of commons_oracle_test.go does. Once the next round's K
// is the aim, it solves nothing. It returns the solve's result, keeping
// the first solution if a solve fails.
func (l *Rule) driveK(aim []float64, mx float64) (float64, bool) {
	m := l.m
	k := &m.commons.k
	far := false
	for i := range aim {
		far = far || math.Abs(aim[i]-k.lnNext[i]) > 1e-9
	}
	if !far {
		return mx, true
	}
	keep := append([]float64(nil), l.s.x...)
	// sStar is the workers' surplus at the aim (m is evaluated there), lag
	// the surplus the next round's budgets are solved with.
	sStar, lag := m.surplus, m.surplus
	n := len(m.plan.Goods)
	drive := make([]float64, n)
	m.aimK(k.lnNext)
	x0 := append([]float64(nil), keep...)
	for it := 0; it < driveIter; it++ {
		// m is evaluated at the last solution (keep, then l.s.x).
		for i, j := range k.goods {
			drive[j] = maxOf(0, math.Exp(aim[i])-k.stock[i]) * m.p[j] / m.pool
		}
		m.commons.drive = drive
		m.aggOK = false
		var ok bool
		mx, ok = l.s.solve(x0, true, lag, solveIter)
		if !ok {
			m.commons.drive = nil
			m.aggOK = false
			copy(l.s.x, keep)
			m.aimK(aim)
			m.eval(l.s.x, false, 0)
			return mx, true
		}
		m.eval(l.s.x, true, lag)
		d := 0.0
		for i, j := range k.goods {
			want := maxOf(0, math.Exp(aim[i])-k.stock[i])
			d = maxOf(d, math.Abs(m.supV[j]/m.p[j]-want)/maxOf(want, 1e-300))
		}
		d = maxOf(d, math.Abs(m.surplus-sStar)/m.pool)
		lag += (sStar - m.surplus) / (1 - m.commons.levy)
		copy(x0, l.s.x)
		if d < 1e-10 {
			break
		}
	}
	m.commons.drive = nil
	m.aggOK = false
	return mx, true
}
