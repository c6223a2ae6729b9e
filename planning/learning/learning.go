package learning

import (
	"math"

	"parecon/planning"
)

// Rule is the default rule, "learning": the board learns each council's response
// from its proposals, solves the economy it has learned, and publishes that
// economy's equilibrium prices, within a trust region on the change of log
// prices that grows while its predictions come true and shrinks when they
// do not.
//
// From each fresh proposal it fits a worker council's Cobb–Douglas
// technology (the value shares of its inputs, its emissions per unit of
// output, its returns to scale and its level; the elasticity of
// substitution between its inputs once its shares have shown one that is
// not 1, worker_sigma.go) and a consumer council's
// budget shares and elasticity of substitution (identified from how its
// shares move with relative prices across rounds; 1 until identified).
// Every prediction is anchored at the council's newest proposal, so a
// council that only roughly follows these forms (CES technologies,
// subsistence needs, any smooth answer) is predicted exactly at the last
// prices and well near them. It learns from identities of the budget and
// of returns to scale how far each council moves in a round (lag.go; a
// council that has not shown it yet is taken to move as the others have;
// a consumer whose step was scaled to its budget is read against its
// fitted answer, lag_scaled.go), fits the answers its proposals stand
// for, aims ahead of the equilibrium of those answers towards the prices
// that come closest to clearing the next partial steps, the further the
// better its last prediction came true (ahead), and predicts the next
// proposals as the partial adjustment they will be. It reads from a
// proposal's significant figures whether a council rounds, fits the
// midpoints of its figures (unround), and holds the prices once every
// gap is within what the rounding leaves (setFloor), rather than chase
// it. A council whose proposal was carried
// rather than resubmitted is held at its quantities; a good without
// supply in the learned economy is moved by tâtonnement while the other
// markets are solved (partial).
// It never reads a council's model: it works the same when every council
// is human.
//
// It aims at the full equilibrium (consumer budgets consistent with the
// workers' surplus at the published prices), and predicts the next round
// with the budgets the board will actually publish (from this round's
// surplus), to judge itself when the round closes. When the learned economy
// cannot be solved it takes a safe step within the trust region: towards
// the equilibrium of a stiffer economy (solveDamped), or of the markets it
// can solve (partial), or by tâtonnement (fallback). A plan whose councils
// round goes back to its best round's prices and holds them once it stops
// improving on it (holdBest).
type Rule struct {
	m      *fitted
	s      *solver
	radius float64   // trust region: the largest log-price change allowed
	star   []float64 // last solution of the learned economy (log prices)
	haveS  bool
	// pathX is where the first solve of the round's learned economy
	// stopped on its homotopy when it failed, pathTau how far along
	// (see pathTrust).
	pathX   []float64
	pathTau float64
	x       []float64 // log prices of the last round
	xPrev   []float64 // log prices of the round before (the last one observed)
	seen    bool      // a round has been observed
	next    []float64
	blend   []float64
	pred    []float64 // predicted signed gaps of the round the rule opened
	// floor holds, per good, the part of its gap the councils' rounding
	// can leave (0 where nobody rounds); rounding counts the fresh
	// proposals of the last round that were rounded.
	floor    []float64
	lump     []float64 // scratch of lumps
	rounding int
	predOK   bool
	lastN    int // the round the prediction is for
	step     float64
	// miss is how far the last judged prediction missed, Σ(realised −
	// predicted gap)² over the gaps' Σ² of the round before (see
	// aimShare); judged says a round has been judged.
	miss   float64
	judged bool
	// Fallbacks counts the rounds the rule fell back to a safe step.
	Fallbacks int
	// safe says the last step was a safe one (SafeStep).
	safe bool

	forceKrylov bool
	// lamPrior is the mean λ̂ of the councils whose rounds have taught
	// it (0 before any has): what the rule takes for the others.
	lamPrior float64
	// partPrior is the mean λ̂ of those read below 1 (0 before any is):
	// what the rule takes for a rounding worker shown to move partway
	// whose identities do not say how far (lagFit.partial).
	partPrior float64
	// dirs holds the step before the last and the last (log prices).
	dirs []float64
	// swings counts the rounds running whose step reversed the one
	// before without halving the gaps.
	swings int
	skip   []bool // scratch of partial: the goods without supply
	// relearned counts the councils whose speed the last round first
	// showed, λ̂ < 1.
	relearned int
	// modelRadius is the trust region of the last round whose step the
	// learned economy chose (solved), while the rule falls back (see
	// resume); failing says the last round's solve failed.
	modelRadius float64
	failing     bool
	// exact says no council rounded in the round the last step was
	// taken from (every floor 0); short that the step was held short by
	// the trust region in such a round.
	exact, short bool
	// The best round so far of a plan whose councils round (holdBest):
	// its largest gap and prices, the rounds since, and whether the rule
	// holds its prices (holdGap the largest gap when it began to).
	bestGap, holdGap float64
	best             []float64
	bestGaps         []float64 // the best round's gaps, per good
	since            int
	holding          bool
	// heldGap is the largest gap of the last round held (0 when not
	// holding), releasedAt the best round's largest gap when a settled
	// hold was last released (holdBest).
	heldGap, releasedAt float64
	// dry counts, per good, the rounds running that left it demanded
	// and unsupplied (unsupplied.go).
	dry []int
	// fell holds, per good, the log price above the numéraire's from
	// which it last fell to the floor (NaN if none; unsupplied.go).
	fell []float64
	// stuck counts, per good, the rounds running its market stayed far
	// from clearing against the prediction (stall.go).
	stuck     []int
	stuckSign []float64 // its last signed gap
	// late holds what the rule knows of which councils answer late,
	// from the log prices of the last three rounds (late.go).
	late        []lateFit
	xPrev2      []float64
	pCur, pPrev []float64
	nSeen       int
	lateLog     []float64 // scratch of lateObserve
	// predRepeats counts the councils that repeated their proposals in
	// the round the last prediction was made from (late.go).
	predRepeats int
	// stall is the stall safeguard (stall.go).
	stall stall
	// back and backX are solveBack's scratch (restart.go).
	back, backX []float64
}

// Trust-region bounds on the change of any log price in one round.
const (
	radiusInit = 14.0 // the first leap: up to a factor of about 10⁶
	radiusMin  = 0.005
	radiusMax  = 14.0
)

// missShrink is, in a plan where some council rounds (a floor above 0),
// the least share of its region that a step whose prediction missed
// leaves the trust region (judge): half the step, but not below a
// quarter of the region it was taken in. Halving from the step alone, a
// short step that missed (a rounded line flipping, a council still moving
// partway: the miss not the step's) set the region at a few thousandths,
// and the plan took as many rounds again to double it back; a mixed crowd
// near its rounding floor crept a few per cent of a good's supply a round
// for seven rounds. Seeds 1–48 at 15 × 60, people-0.5 and people-1 8.74
// → 8.17 and 9.71 (one never) → 8.64 rounds to 1.25 × floorOf; round-to
// 4.43 → 4.88, one plan (seed 11) held at 1.32 times its floor, never
// within 1.25. Where nobody rounds the region still halves from the step:
// a quarter of the region cost partial adjusters on a commons economy and
// one unseen-mix plan four rounds each (docs/facilitation-log.md,
// "Branch free36").
const missShrink = 0.25

// New returns a fresh learning rule.
func New() *Rule {
	return &Rule{radius: radiusInit, bestGap: math.Inf(1), releasedAt: math.Inf(1)}
}

// Name returns "learning".
func (*Rule) Name() string { return "learning" }

// SafeStep reports whether the last step was a safe one: the learned
// economy could not be solved at the round's prices, and the rule stepped
// towards a stiffer economy's equilibrium, the markets it could solve, or
// by tâtonnement (planning.SafeStepper).
func (l *Rule) SafeStep() bool { return l.safe }

func (l *Rule) init(plan *planning.Plan) {
	l.m = newFitted(plan)
	l.s = newSolver(l.m)
	l.s.forceKrylov = l.forceKrylov
	n := len(plan.Goods)
	l.star = make([]float64, n)
	l.x = make([]float64, n)
	l.xPrev = make([]float64, n)
	l.next = make([]float64, n)
	l.pred = make([]float64, n)
	l.floor = make([]float64, n)
}

// Next learns from the last round and returns the next round's prices and
// the largest change of a log price it took.
func (l *Rule) Next(plan *planning.Plan, rounds []*planning.Round) ([]float64, float64) {
	if l.m == nil || l.m.plan != plan {
		l.init(plan)
	}
	r := rounds[len(rounds)-1]
	num := plan.Numeraire
	if len(l.xPrev2) != len(l.x) {
		l.xPrev2 = make([]float64, len(l.x))
		l.pCur = make([]float64, len(l.x))
		l.pPrev = make([]float64, len(l.x))
	}
	copy(l.xPrev2, l.xPrev)
	copy(l.xPrev, l.x)
	copy(l.pPrev, l.pCur)
	copy(l.pCur, r.Prices)
	l.nSeen++
	for j, p := range r.Prices {
		l.x[j] = math.Log(p)
	}
	// The last two steps, for reversed: the one before, then the last.
	if n := len(l.x); l.seen {
		if len(l.dirs) < 2*n {
			l.dirs = make([]float64, 2*n)
		}
		copy(l.dirs[:n], l.dirs[n:])
		for j := range l.x {
			l.dirs[n+j] = l.x[j] - l.xPrev[j]
		}
	}
	// Aim at the learned economy's full equilibrium, starting from the
	// last solution (shifted with the numéraire) or from the round's prices.
	x0 := l.x
	if l.haveS {
		x0 = l.star
		d := l.x[num] - l.star[num]
		for j := range x0 {
			x0[j] += d
		}
		x0[num] = l.x[num] // exactly, as the step below holds it
	}
	l.safe = false
	l.m.setCommons(plan, r)
	l.observe(plan, r, x0)
	l.setFloor(r)
	l.judge(plan, rounds)
	l.countDry(r)
	l.stuckObserve(r)
	l.stallObserve(plan, r)
	l.welcome(plan, r)
	if p, ok := l.holdBest(r); ok {
		// Back to the best round's prices, and held there: near its floor
		// the rounding, not the prices, moves the gaps.
		l.predOK = false
		l.step = stepTo(r, p)
		return p, l.step
	}
	if l.atFloor(r) {
		// Every gap is within what the councils' rounding leaves: hold
		// the prices rather than chase the rounding.
		l.predOK = false
		l.step = 0
		return append([]float64(nil), r.Prices...), 0
	}
	l.m.fullSpend = true
	// Aim at where the councils are going, the equilibrium of their
	// answers, not at the prices that would clear their next partial
	// steps: those overshoot it, swing round after round, and clear a
	// round whose councils still want to move. The partial steps are
	// what the rule predicts (below), to judge itself.
	lagged := len(l.m.parts) > 0
	if lagged {
		l.m.setLag(false)
	}
	_, solved := l.solveShaped(x0, r.MaxGap)
	back := false
	if !solved {
		solved = l.solveBack(r.MaxGap)
		back = solved
	}
	if lagged {
		l.m.setLag(true)
	}
	target := l.s.x
	l.resume(solved)
	if solved {
		copy(l.star, target)
		l.haveS = true
		if back {
			// Solved only from the round before's side (solveBack): at
			// most dampStep towards it, as towards a stiffer economy's.
			target = l.shorten(append([]float64(nil), target...), dampStep)
		} else {
			target = l.quasi(plan, r)
			if lagged {
				target = l.ahead(r)
			}
		}
	}
	l.m.fullSpend = false
	if !solved {
		l.haveS = false
		l.safe = true
		l.Fallbacks++
		// The markets it can solve, if only some goods lack supply
		// (partial solves in the solver's scratch, where fallback also
		// writes: it goes first).
		if t, ok := l.solveDamped(x0); ok {
			target = t
		} else if t, ok := l.partial(x0, r); ok {
			target = t
		} else if l.pathTau >= pathTrust {
			target = l.shorten(append([]float64(nil), l.pathX...), dampStep)
		} else {
			target = l.fallback(r)
		}
	}
	// Step towards the target within the trust region, all prices along
	// the same direction; except that a good the learned economy leaves
	// free (at the price floor, in excess supply now too) falls to the
	// floor at once rather than hold every other price back.
	radius := l.radius
	if t, ok := l.stallTarget(plan, r); ok {
		// The plan stalls: the safeguard's step, in its own region.
		target, radius = t, math.Inf(1)
	}
	lo, hi := l.x[num]+lnFloor, l.x[num]+lnCeil
	big := 0.0
	for j := range l.next {
		if !l.free(j, target, lo, r) {
			big = maxOf(big, math.Abs(target[j]-l.x[j]))
		}
	}
	f := 1.0
	if big > radius {
		f = radius / big
	}
	for j := range l.next {
		if l.free(j, target, lo, r) {
			l.noteFall(j, lo)
			l.next[j] = lo
			continue
		}
		if f == 1 {
			// The whole step: the target itself, bit for bit (the
			// prediction below then reuses the solve's workers' pass).
			l.next[j] = target[j]
		} else {
			l.next[j] = l.x[j] + f*(target[j]-l.x[j])
		}
		if j != num {
			l.next[j] = maxOf(lo, minOf(hi, l.next[j]))
			if l.next[j] <= lo+1 {
				l.noteFall(j, lo)
			}
		}
	}
	l.climbDry(hi)
	l.climbStuck(r, lo, hi)
	l.rise(r, lo)
	l.next[num] = l.x[num]
	l.step = f * big
	l.exact = true
	for _, fl := range l.floor {
		l.exact = l.exact && fl == 0
	}
	l.short = f < 1 && l.exact
	// Predict the round about to open, with the budgets it will publish.
	l.m.eval(l.next, true, r.Surplus)
	for j := range l.pred {
		l.pred[j] = l.m.rel(j)
	}
	l.predOK, l.lastN = true, r.Number+1
	l.predRepeats = l.repeats()
	prices := make([]float64, len(l.next))
	for j, v := range l.next {
		prices[j] = math.Exp(v)
	}
	prices[num] = r.Prices[num]
	return prices, l.step
}

// quasi returns the prices to publish when the learned economy's full
// equilibrium p* (l.star) is solved. The next round's budgets share this
// round's surplus, not the surplus at the published prices, so at p* the
// next round clears only as far as that surplus is already right: from a
// good start (last year's prices) the lag alone can leave gaps above the
// tolerance for one round. Then the rule finds, by least squares, the
// prices Q that come closest to clearing the next round with the budgets it
// must publish, and publishes the point between Q and p* with the smallest
// predicted gaps among those within three tolerances of p* (so that a plan
// converging there converges at the full equilibrium, to the tolerance's
// order). Otherwise, whenever p* is predicted to clear within half the
// tolerance, and for tolerances below quasiMinTol, it publishes p*.
func (l *Rule) quasi(plan *planning.Plan, r *planning.Round) []float64 {
	tol := plan.Tolerance
	if tol < quasiMinTol {
		return l.star
	}
	l.m.eval(l.star, true, r.Surplus)
	best := l.maxRel()
	if best <= 0.5*tol || !l.s.leastSquares(l.star, r.Surplus, 20) {
		return l.star
	}
	q := l.s.x
	d := 0.0
	for j := range q {
		d = maxOf(d, math.Abs(q[j]-l.star[j]))
	}
	l.blend = resize(l.blend, len(q))
	bestLam := 1.0
	for k := 0; k < 8; k++ {
		lam := float64(k) / 8 // the weight of p*
		if (1-lam)*d > 3*tol {
			continue
		}
		for j := range q {
			l.blend[j] = q[j] + lam*(l.star[j]-q[j])
		}
		l.m.eval(l.blend, true, r.Surplus)
		if g := l.maxRel(); g < best {
			best, bestLam = g, lam
		}
	}
	if bestLam == 1 {
		return l.star
	}
	for j := range q {
		l.blend[j] = q[j] + bestLam*(l.star[j]-q[j])
	}
	return l.blend
}

// ahead returns the log prices to publish for a plan in which some
// councils move only part of the way: a point between the answers'
// equilibrium p* (l.star) and the prices Q that come closest to clearing
// the next round's partial steps as the rule predicts them, or p* if Q
// cannot be found. With λ as low as 0.3 the gaps of a plan aimed at p*
// fall by no more than 1 − λ a round; aiming at Q itself overshoots where
// λ̂ or the fitted answers are off, so the rule goes the share aimShare
// of the way, which grows as its predictions come true.
//
// Q is the least-squares point of the next round with the budgets the
// board will publish (this round's surplus, not the surplus at Q): while
// the partial steps still move the workers' surplus, those budgets cannot
// clear every market, and the mismatch, left to the solve of the
// lagged economy, lands on the numéraire's market. Weighing each market
// by its value (leastSquares with lsValue) spreads it as evenly over the
// markets' relative gaps as the mismatch allows (on 15 × 60 partial
// adjusters the largest gap near the end is then a third of labour's
// share alone). Beyond lsValueMax, where the dense least squares cost
// too much, equalGaps (equal.go) spreads the mismatch with the solver's
// Newton–Krylov instead: every market off by one ratio. Where neither
// finds Q the rule aims as it did before them: aimAhead of the way to
// the lagged economy's solution while the gaps are above aimUntil, at p*
// after.
func (l *Rule) ahead(r *planning.Round) []float64 {
	if _, ok := l.s.solve(l.star, false, r.Surplus, solveIter); !ok {
		return l.star
	}
	l.blend = resize(l.blend, len(l.star))
	copy(l.blend, l.s.x)
	ok := false
	if len(l.star)-1 <= equalFrom {
		l.s.lsValue = true
		ok = l.s.leastSquares(l.blend, r.Surplus, 20)
		l.s.lsValue = false
	} else {
		ok = l.s.equalGaps(l.blend, r.Surplus)
	}
	if ok {
		copy(l.blend, l.s.x)
	}
	a := l.aimShare()
	if !ok {
		// Without Q the lagged
		// economy's solution puts the budgets' mismatch on labour's
		// market, and aiming there by the predictions' record cost
		// rounds (100 × 1,000 partial adjusters: 9 → 11–12 to 3%): aim
		// half-way while the gaps are above aimUntil, at p* after, as
		// before.
		if r.MaxGap <= aimUntil {
			return l.star
		}
		a = aimAhead
	}
	for j := range l.star {
		l.blend[j] = l.star[j] + a*(l.blend[j]-l.star[j])
	}
	return l.blend
}

// aimShare returns how far ahead of p* towards Q a round aims (see
// ahead): aimAhead before any round has been judged, then k/(k + √miss),
// with k = aimTrust and miss the last prediction's squared error relative
// to the squared gaps it set out from. A prediction that came true (miss
// near 0) has the rule aim at Q itself, where the next partial steps are
// predicted to clear; one that missed by as much as the gaps has it aim a
// quarter of the way.
func (l *Rule) aimShare() float64 {
	if !l.judged {
		return aimAhead
	}
	return aimTrust / (aimTrust + math.Sqrt(l.miss))
}

// aimAhead is the share of the way ahead a round aims before any
// prediction has been judged (and, with aimUntil, where the least squares
// are not available: see ahead), and aimTrust sets how the share follows
// the predictions' misses (aimShare). On 15 × 60 crowds of partial
// adjusters (TestPeopleTable, seeds 1–12) a fixed share of 0.5 took 7–17
// rounds to 3% and 21–33 to 10⁻⁴; 0.75 aimed at the end too took 7–15
// and 19–29 but overshot more for crowds that round; aimTrust 0.3 took
// 6–9 rounds to 3% and 18–23 to 10⁻⁴ (0.2 and 0.5 about as well), with
// the scaled consumers of lag_scaled.go read.
const (
	aimAhead = 0.5
	aimTrust = 0.3
	aimUntil = 1e-2
)

// quasiMinTol is the smallest tolerance for which quasi looks beyond p*:
// below it, a point within three tolerances of p* is p* for every purpose,
// and the least squares are not worth their cost.
const quasiMinTol = 1e-4

// maxRel returns the largest |gap| of the learned economy as evaluated.
func (l *Rule) maxRel() float64 {
	g := 0.0
	for j := range l.m.p {
		g = maxOf(g, math.Abs(l.m.rel(j)))
	}
	return g
}

// free reports whether good j is free in the learned economy: its target
// price at the floor, and in excess supply in round r too.
func (l *Rule) free(j int, target []float64, lo float64, r *planning.Round) bool {
	return j != l.m.plan.Numeraire && target[j] <= lo+1e-9 && r.Supply[j] > r.Demand[j]
}

// observe refits every council that submitted a fresh proposal in r and
// sorts the councils into responsive (fitted) and held (fixed quantities).
// While each fit is at hand it adds a consumer to the consumers' aggregate
// and a worker's response at log prices x0 to a workers' pass there, which
// the solve's first evaluation, at x0, then reuses.
func (l *Rule) observe(plan *planning.Plan, r *planning.Round, x0 []float64) {
	m := l.m
	m.flat.built = false
	fixedValue := m.startWorkers(x0)
	surplus := 0.0
	m.workers, m.consumers, m.held, m.heldW = m.workers[:0], m.consumers[:0], m.held[:0], m.heldW[:0]
	m.parts = m.parts[:0]
	l.relearned = 0
	// Where no price moved (a steady plan), the identities of lag.go
	// teach nothing about λ: the rule saves their pass over last
	// round's proposals.
	still := l.seen
	for j := range l.x {
		if !still {
			break
		}
		still = math.Abs(l.x[j]-l.xPrev[j]) < lagStill
	}
	l.seen = true
	// Where no price moved this round nor the one before, no council's
	// change can follow either round's: late.go's pass is saved too.
	lateStill := still
	for j := range l.x {
		if !lateStill {
			break
		}
		lateStill = math.Abs(l.xPrev[j]-l.xPrev2[j]) < lagStill
	}
	// The consumers' aggregate is summed as they are refitted, while
	// their fits are at hand.
	m.startAggregate()
	m.wOK = false
	// The mean λ̂ of the councils whose rounds have taught it (the prior
	// of the next round) is summed in the same pass, in council order,
	// each council's once its own reading is done: only that reading
	// changes its lagFit.
	var lamSum lamMean
	for c, pr := range r.Proposals {
		prev := m.props[c]
		m.props[c] = pr
		if pr == nil {
			lamSum.add(m.adj, c)
			continue
		}
		fresh := r.Fresh != nil && r.Fresh[c]
		role := plan.Councils[c].Role
		// A fresh proposal first teaches how far the council moves, then
		// its answer: the proposal de-lagged by that speed.
		obs, lam := pr, 1.0
		ray := rayMemo{pr: pr, prev: prev}
		// A council that answers late is fitted at the prices it
		// answered (late.go).
		prices, lnp, budget := r.Prices, l.x, r.Budgets[c]
		if fresh && !still {
			l.lateRepeat(c, role, pr, prev, &ray)
		}
		if fresh && prev != nil && l.nSeen >= 3 && !lateStill {
			l.lateObserve(c, pr, prev, l.x, l.xPrev, l.xPrev2)
		}
		if fresh && l.isLate(c) && !l.answeredNow(c, role, pr, r.Prices) {
			prices, lnp = l.pPrev, l.xPrev
			if role == planning.Consumer {
				budget = planning.Value(pr.In, prices)
			}
		}
		if fresh {
			a := &m.adj[c]
			if a.quantum = quantumOf(pr); a.quantum > 0 {
				l.rounding++
			}
			a.prior = l.lamPrior
			known := a.informed
			a.late = a.late || l.isLate(c)
			if (!still || a.lam == 0) && !sameMix(role, a, pr, prev, &ray) {
				prL, prevL := m.lagLines(role, a.quantum, pr, prev)
				a.observe(role, prL, prevL, m.poll, prices, budget, &ray)
				if role == planning.Consumer && len(plan.Goods)-1 <= scaledMax {
					// A step scaled to the budget teaches λ against
					// the fitted answer (lag_scaled.go). (scaledMax
					// is a test hook; before ahead could spread the
					// budgets' mismatch at any size, equal.go, this ran
					// only up to lsValueMax: with the lagged solve's
					// aim the λ̂ it learns early cost rounds.)
					a.observeScaled(pr, prev, m.cf[c], lnp, prices, budget, &m.scaled)
				}
			} else {
				a.whole = false
			}
			if prev != nil && !a.informed {
				// Nothing yet says how far this council moves (a
				// consumer whose step was scaled to its budget): take
				// it to move as the councils that have shown it do.
				a.lam = l.lamPrior
				if a.lam == 0 {
					a.lam = 1
				}
			}
			if a.partial && l.partPrior > 0 && l.partPrior < a.speed() {
				// A rounding worker whose output strayed from its
				// answer's move (strayTest) moves partway; its
				// identities, scattered by its rounding, do not say how
				// far: take it to move as the partial movers do.
				a.lam = l.partPrior
			}
			if a.informed && !known && a.speed() < 0.9 {
				l.relearned++
			}
			obs, lam = a.delag(role, pr, prev, prices, budget, &m.delag), a.predSpeed()
			if a.quantum > 0 {
				// Fit what the rounded quantities stand for.
				obs = unround(obs, a.quantum, role, &m.unr)
			}
		}
		switch role {
		case planning.Worker:
			w := m.wf[c]
			if fresh {
				if w == nil {
					w = &m.mem.workers.take(1)[0]
					w.mem = m.mem
					m.wf[c] = w
				}
				w.lam = lam
				m.learnK(c, w, obs, r, l.x)
				if !w.observe(obs, m.poll, prices, lnp) && w.n == 0 {
					w = nil
				} else if w.idle {
					w.idleShape(prices, lnp)
				} else {
					m.roundedEps(c, w, pr, m.adj[c].quantum, lam, prices)
					m.roundedB(c, w, pr, m.adj[c].quantum, lam)
					m.learnShape(c, w, lam)
				}
			}
			if fresh && w != nil && w.n > 0 {
				m.workers = append(m.workers, c)
				surplus += m.addWorker(c, x0)
				m.holdPart(c, lam)
			} else {
				m.held, m.heldW = append(m.held, c), append(m.heldW, 1)
			}
		case planning.Consumer:
			cf := m.cf[c]
			if fresh {
				if cf == nil {
					cf = &m.mem.consumers.take(1)[0]
					cf.sigma, cf.mem = 1, m.mem
					m.cf[c] = cf
				}
				cf.lam = lam
				if !cf.observe(obs, prices, lnp, budget) && cf.n == 0 {
					cf = nil
				}
			}
			if fresh && cf != nil && cf.n > 0 {
				m.consumers = append(m.consumers, c)
				m.addConsumer(c, l.x)
				m.holdPart(c, lam)
			} else {
				m.held, m.heldW = append(m.held, c), append(m.heldW, 1)
			}
		}
		lamSum.add(m.adj, c)
	}
	for c := len(r.Proposals); c < len(m.adj); c++ {
		lamSum.add(m.adj, c)
	}
	m.addFund()
	m.aggOK = true
	// The prior of the next round, and of a rounding worker shown to move
	// partway (partPrior).
	if lamSum.n > 0 {
		l.lamPrior = lamSum.sum / float64(lamSum.n)
	}
	if lamSum.pn > 0 {
		l.partPrior = lamSum.psum / float64(lamSum.pn)
	}
	m.finishWorkers(x0, fixedValue, surplus)
	m.nHeld = len(m.held)
	for _, c := range m.parts {
		m.held, m.heldW = append(m.held, c), append(m.heldW, 1-m.adj[c].predSpeed())
	}
	l.learnSigmas()
}

// lamMean sums the λ̂ of the councils whose rounds have informed it, and
// apart (psum, pn) those read below 1 from their own identities (not
// taken to move partway by strayTest).
type lamMean struct {
	sum, psum float64
	n, pn     int
}

// add adds council c's λ̂ if it is informed (nothing for a council
// beyond adj).
func (s *lamMean) add(adj []lagFit, c int) {
	if c < len(adj) {
		if a := &adj[c]; a.informed {
			s.sum += a.speed()
			s.n++
			if a.speed() < 1 && !a.partial {
				s.psum += a.speed()
				s.pn++
			}
		}
	}
}

// judge compares the round that just closed with what the rule predicted
// for it and resizes the trust region: it grows when the prediction came
// true (the realised gaps as small as predicted, or the step achieved most
// of the predicted improvement), and shrinks when the realised gaps were
// worse than predicted.
func (l *Rule) judge(plan *planning.Plan, rounds []*planning.Round) {
	r := rounds[len(rounds)-1]
	if !l.predOK || l.lastN != r.Number || len(rounds) < 2 {
		return
	}
	prev := rounds[len(rounds)-2]
	m0 := meritOf(prev, l.floor)
	m1 := meritOf(r, l.floor)
	mp := 0.0
	errp := 0.0
	for j := range l.pred {
		p := beyond(l.pred[j], l.floor[j])
		mp += p * p
		e := beyond(signedGap(r, j)-l.pred[j], l.floor[j])
		errp += e * e
	}
	l.miss, l.judged = errp/maxOf(m0, math.SmallestNonzeroFloat64), true
	switch {
	case l.short && errp <= trueMiss*m0:
		// The region held the step short and the prediction came true
		// to trueMiss: the learned economy is right as far as the step
		// went, and the region opens at once. Doubled a round, it took
		// five rounds to let the learned economy's own step through,
		// each predicted within 10⁻⁸, the largest gap 0.54, 0.50, 0.41,
		// 0.31 meanwhile (fixed-proportions workers, 15 × 60, seed 23,
		// Cobb–Douglas consumers: 14 rounds to 3%, now 11).
		l.radius = radiusMax
	case m0 > mp && (m0-m1) >= 0.5*(m0-mp) && m1 <= 0.25*m0:
		// The step achieved at least half the predicted improvement, and
		// halved the gaps at least: not a lucky draw of noise.
		l.radius = minOf(radiusMax, maxOf(l.radius, 4*l.step))
	case errp <= 0.01*m0:
		// The prediction was accurate: the model can be trusted further
		// (a council that moves only part of the way makes progress slow
		// however well it is predicted; a radius that only held would
		// leave the plan crawling).
		l.radius = minOf(radiusMax, maxOf(l.radius, 2*l.step))
	case l.failing && l.exact && m1 < m0 && errp <= safeTrusted*m0:
		// A safe step (the learned economy had no solution) whose
		// prediction came true and that lowered the gaps: the fits
		// are right near these prices even if their economy cannot be
		// solved, and the region grows as for a step the learned
		// economy chose.
		l.radius = minOf(radiusMax, maxOf(l.radius, 2*l.step))
	case l.short && m0 > mp && (m0-m1) >= 0.5*(m0-mp) && errp <= safeTrusted*m0:
		// The step achieved at least half the predicted improvement and
		// the prediction came true: the region, not the model, held the
		// step short (a region at its floor with every prediction
		// coming true crawled a few thousandths of the gap a round).
		l.radius = minOf(radiusMax, maxOf(l.radius, 2*l.step))
	case l.short && m0 > mp && (m0-m1) >= crawlGain*(m0-mp) && l.predRepeats == 0 && len(l.m.parts) == 0 && l.continued():
		// The region held the step short and the gaps still fell by a
		// good part of what was predicted, though the prediction
		// missed: the direction is right, the length the region's.
		// Halving it (to radiusMin) left one good whose supplier the
		// fit misreads closing a fifth of its gap a round for 20
		// rounds (fixed proportions, a worker paying mostly for its
		// emissions at a margin of 1.01). The region grows.
		l.radius = minOf(radiusMax, maxOf(l.radius, 2*l.step))
	case l.predRepeats*10 > len(plan.Councils):
		// A tenth of the councils had not yet answered the prices they
		// last saw: the prediction extrapolated their answers from the
		// prices before, and failed for that, not for the step (after
		// a step the learned economy held, by as little as 0.5 times
		// nothing). Keep the region.
	case l.relearned*10 > len(plan.Councils):
		// The round first showed a tenth of the councils to move only
		// partway: the prediction failed for what it did not yet know
		// of how far they move, not for the fitted answers. Keep the
		// region.
	case l.m.missedK():
		// The same for the response to the commons K (commons_k.go).
	case l.failing && farGoods(r)*10 >= len(r.Gap):
		// A safe step (the learned economy had no solution) while a
		// tenth of the markets or more are far from clearing (producers
		// that make nothing at these prices, whose fits the learned
		// economy lacks): its prediction is the unsolvable economy's,
		// and a region halved at each miss crawled at a few hundredths
		// in log prices for up to 20 rounds (100 × 1,000, fixed
		// proportions, seed 4). It keeps at least dryStep, the least
		// climb of a good nobody supplies, and while some good that is
		// demanded is still supplied by nobody, the whole step: such a
		// good's price must climb until its producers answer, and
		// halving the region each round held the climb to one, then a
		// half, in log prices (fixed-proportions workers, means over
		// seeds 1–24 at 15 × 60 10.54 → 9.92 rounds to 3%, 1–8 at 40 ×
		// 200 11.19 → 9.88). The cycle check below still halves the
		// steps of a tâtonnement that swings.
		keep := 0.5
		if anyDry(r, l.m.plan.Numeraire) {
			keep = 1
		}
		l.radius = math.Max(dryStep, keep*l.step)
	default:
		old := l.radius
		l.radius = maxOf(radiusMin, 0.5*l.step)
		for _, f := range l.floor {
			if f > 0 {
				// Someone rounds (see missShrink).
				l.radius = maxOf(l.radius, missShrink*old)
				break
			}
		}
	}
	// Steps that reverse the one before them, twice running, without
	// halving the gaps are a cycle: the target swings from one side of
	// the prices to the other (near the end, by as much as the smallest
	// region allows, round after round). Halve the step, below radiusMin
	// if need be.
	if l.reversed() && m1 > 0.25*m0 {
		l.swings++
	} else {
		l.swings = 0
	}
	if l.swings >= 2 {
		l.radius = maxOf(radiusTiny, 0.5*l.step)
	}
}

// farGoods returns the number of goods whose gap in round r is above
// farGap.
func farGoods(r *planning.Round) int {
	n := 0
	for _, g := range r.Gap {
		if math.Abs(g) > farGap {
			n++
		}
	}
	return n
}

// farGap is the gap above which a market is far from clearing (farGoods).
const farGap = 0.5

// trueMiss is the largest miss (judge's: the squared error of the
// prediction over the squared gaps of the round before) of a step the
// trust region held short for the region to open to radiusMax.
const trueMiss = 1e-3

// crawlGain is the least share of the predicted improvement a step held
// short by the region must achieve, whatever the prediction's miss, for
// the region to grow.
const crawlGain = 0.25

// safeTrusted is the largest miss of a safe step's prediction (judge's,
// relative to the gaps' squares) for which the trust region grows.
const safeTrusted = 0.05

// radiusTiny is the smallest trust region a cycle can shrink it to.
const radiusTiny = 1e-9

// reversed reports whether the last step (from the round before to the
// last) points back against the one before it: their inner product below
// −½ of the product of their lengths.
func (l *Rule) reversed() bool {
	dd, nn := l.dirCos()
	return nn > 0 && dd < -0.5*nn
}

// continued reports whether the last step went on in the direction of
// the one before it (their cosine above one half): a crawl, not a swing.
func (l *Rule) continued() bool {
	dd, nn := l.dirCos()
	return nn > 0 && dd > 0.5*nn
}

// dirCos returns the dot product of the last two steps and the product of
// their lengths (0 if either is unknown or zero).
func (l *Rule) dirCos() (float64, float64) {
	n := len(l.x)
	if len(l.dirs) < 2*n {
		return 0, 0
	}
	d0, d1 := l.dirs[:n], l.dirs[n:]
	dd, n0, n1 := 0.0, 0.0, 0.0
	for j := range d0 {
		dd += d0[j] * d1[j]
		n0 += d0[j] * d0[j]
		n1 += d1[j] * d1[j]
	}
	if !(n0 > 0 && n1 > 0) {
		return 0, 0
	}
	return dd, math.Sqrt(n0 * n1)
}

// meritOf returns the sum of squared gaps of a closed round beyond the
// floors.
func meritOf(r *planning.Round, floor []float64) float64 {
	s := 0.0
	for j, g := range r.Gap {
		g = beyond(g, floor[j])
		s += g * g
	}
	return s
}

// beyond returns how far |g| exceeds f (0 if it does not).
func beyond(g, f float64) float64 {
	return maxOf(0, math.Abs(g)-f)
}

// setFloor sets l.floor from round r's proposals: for each good, an
// eighth of the quantities rounded to the resolution q of their council
// (Σ q·x/8, about the rounding's typical reach: a rounded line is off by
// up to q of itself, mostly less), relative to the good's larger side,
// supply or demand.
func (l *Rule) setFloor(r *planning.Round) {
	for j := range l.floor {
		l.floor[j] = 0
	}
	if l.rounding == 0 {
		return
	}
	l.rounding = 0
	for c, pr := range r.Proposals {
		q := l.m.adj[c].quantum
		if pr == nil || q == 0 {
			continue
		}
		for _, x := range pr.Out {
			l.floor[x.Good] += q * x.Qty
		}
		for _, x := range pr.In {
			l.floor[x.Good] += q * x.Qty
		}
	}
	for j := range l.floor {
		if s := maxOf(r.Supply[j], r.Demand[j]); s > 0 {
			l.floor[j] /= 8 * s
		}
	}
	l.lumps(r)
}

// atFloor reports whether every gap of round r is within its floor, some
// floor being set.
func (l *Rule) atFloor(r *planning.Round) bool {
	some := false
	for j, g := range r.Gap {
		if g > l.floor[j] {
			return false
		}
		some = some || l.floor[j] > 0
	}
	return some
}

// signedGap returns good j's gap in r, negative where supply exceeds
// demand.
func signedGap(r *planning.Round, j int) float64 {
	if r.Demand[j] < r.Supply[j] {
		return -r.Gap[j]
	}
	return r.Gap[j]
}

// partial returns, when the learned economy cannot be solved because
// some goods consumers want have no supply in it (their producers
// produce nothing at these prices, so the board knows nothing of how they
// would), the equilibrium of the other markets with those goods' prices
// moved by a tâtonnement step: the Newton steps of the markets it can
// solve are not given up for the few it cannot. It reports false if there
// are no such goods or the rest cannot be solved either.
func (l *Rule) partial(x0 []float64, r *planning.Round) ([]float64, bool) {
	m := l.m
	m.fullSpend = true
	defer func() { m.fullSpend = false }()
	m.eval(x0, false, 0)
	l.skip = resizeBool(l.skip, len(x0))
	any := false
	for j := range l.skip {
		l.skip[j] = j != m.plan.Numeraire && m.supV[j] == 0 && m.demV[j] > 0
		any = any || l.skip[j]
	}
	if !any {
		return nil, false
	}
	fb := append([]float64(nil), l.fallback(r)...)
	l.s.skip = l.skip
	_, ok := l.s.solve(x0, false, 0, solveIter)
	l.s.skip = nil
	if !ok {
		return nil, false
	}
	// The rest's equilibrium is that of an economy without the producers
	// of the skipped goods, and its prices may be far from any the
	// councils would answer: a step of at most dampStep towards it, as
	// towards a stiffer economy's (solveDamped). From cold prices with
	// most fixed-proportions workers making nothing, the whole step raised
	// one price by e¹², its producer's surplus of 4.6·10¹⁹ went into the
	// next round's budgets, and the plan took 13 rounds to shed it
	// (100 × 1,000, seed 4).
	t := l.shorten(l.s.x, dampStep)
	for j, sk := range l.skip {
		if sk {
			t[j] = fb[j]
		}
	}
	return t, true
}

func resizeBool(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	return b[:n]
}

// fallback returns the log prices of a safe step from round r: each price
// moves by its relative excess demand (tâtonnement), less the numéraire's,
// the trust region applying as for any step. Only relative prices matter:
// a numéraire in excess demand (labour that workers planning absurd
// quantities ask for a thousand times over, at last year's prices) would
// have its price rise, which is every other price falling by as much; left
// out, the others rise with their own excess demand and make the
// numéraire cheaper still.
func (l *Rule) fallback(r *planning.Round) []float64 {
	t := l.s.xt
	num := l.m.plan.Numeraire
	zn := 0.0
	if s := r.Supply[num] + r.Demand[num]; s > 0 {
		zn = (r.Demand[num] - r.Supply[num]) / s
	}
	for j := range t {
		t[j] = l.x[j]
		if j == num {
			continue
		}
		if s := r.Supply[j] + r.Demand[j]; s > 0 {
			t[j] += (r.Demand[j] - r.Supply[j]) / s
		}
		t[j] -= zn
	}
	return t
}

// solveIter bounds the Newton iterations of one round's solve.
const solveIter = 400
