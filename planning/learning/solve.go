package learning

import (
	"math"

	"parecon/planning"
)

// The solver finds the equilibrium of the fitted economy: the log prices
// at which every good's excess demand (in value) vanishes, the numéraire's
// price held. It is a damped Newton method on log prices with a
// backtracking line search; the Newton systems are solved by dense LU for
// small catalogues and by GMRES, with the Jacobian applied in O(proposal
// lines) and never formed, for large ones.

// Price bounds relative to the numéraire: the floor sits below FreePrice,
// so a good the fitted economy leaves in excess supply at any price can
// fall far enough to count as free.
var (
	lnFloor = math.Log(planning.FreePrice / 100)
	lnCeil  = math.Log(1e12)
)

// denseMax is the largest system the solver factorises densely (and the
// largest for which quasi's least squares are tried). Beyond about 100
// goods GMRES is faster: forming the dense Jacobian costs a worker the
// square of its lines, and the least squares' normal equations the cube
// of the goods, which at 200 goods took ten times the whole rest of a
// round.
const denseMax = 100

// directIter bounds the Newton iterations of the first attempt, straight
// at the equilibrium: with steps of at most maxNewton in any log price, a
// leap of L takes about L of them, and a few more to converge.
const directIter = 40

// stageIter bounds the Newton iterations of one stretch of the homotopy:
// Newton that has not converged by then is in the wrong place.
const stageIter = 12

// A stretch of the homotopy fails when the line search has to cut a
// Newton step below minAlpha of its length, or below minStep in log
// prices.
const (
	minAlpha = 1.0 / 64
	minStep  = 1e-3
)

// maxNewton is the largest change of a log price in one Newton step.
const maxNewton = 1.0

// roundTol is the largest relative gap at which a Newton step that no
// longer reduces the merit means the equations are solved to their
// rounding, not that Newton is lost.
const roundTol = 1e-9

// solveTol is the largest relative gap the solver accepts as solved, at
// the tightest plan tolerances.
const solveTol = 1e-11

// tol returns the largest |F| (about the relative gap) at which the learned
// economy counts as solved: 1e-4 of the plan's tolerance, between
// solveTol and 1e-6. Closer than that the learned economy is no better a
// guide than its own errors, and every digit beyond costs the largest
// Krylov solves.
func (s *solver) tol() float64 {
	return maxOf(solveTol, minOf(1e-6, 1e-4*s.m.plan.Tolerance))
}

// solver holds the scratch of the Newton method.
type solver struct {
	m      *fitted
	vars   []int     // goods solved for
	idx    []int     // good → position in vars, or −1
	x, xt  []float64 // log prices: current, trial
	d      []float64 // Newton step over vars
	rhs    []float64
	dense  [][]float64
	sub    [][]float64
	piv    []int
	full   []float64 // a vector over goods
	out    []float64
	wd, ws []float64 // row weights of demand and supply
	f      []float64 // the equations at the evaluated point
	f0     []float64 // the equations at the start
	save   []float64
	sunk   []int     // freePollutants' goods
	pols   []int     // freedEach's pollutants
	mark   []bool    // freedEach's goods left out
	viol   []int     // freedDrop's pollutants left out in excess demand
	dropX  []float64 // freedDrop's last solution
	dropV  []int     // freedDrop's scratch of violated
	// dropBest is freedDrop's best solution of a stage.
	dropBest []float64
	sunkF    []float64 // and their equations before
	held     []float64 // freed's start
	failed   []float64 // where the solve freed retries had failed
	// supplied reports whether every good demanded at solve's start is
	// supplied there (see freed).
	supplied bool
	lo, hi   float64 // bounds of log prices
	start    []float64
	// holdPollutants holds the pollutants' prices (the first stage).
	holdPollutants bool
	// skip, if set, holds the prices of the goods it marks: their
	// markets are left out of the equations (see Rule.unsupplied).
	skip       []bool
	lag        bool
	lagSurplus float64
	// GMRES
	basis [][]float64
	h     [][]float64
	cs    []float64
	sn    []float64
	gvec  []float64
	diag  []float64
	w     []float64

	// ForceKrylov makes the solver use GMRES at any size (tests).
	forceKrylov bool
	iters       int     // Newton iterations of the last solve
	total       int     // Newton iterations, in all
	kIters      int     // GMRES iterations, in all
	kCalls      int     // GMRES solves, in all
	tau         float64 // how far along the homotopy a failed solve got
	// delta, if positive, is the δ of weigh, held through a solve;
	// deltaNow is the δ of the last weigh's own point.
	delta, deltaNow float64
	// lsw weighs leastSquares' squares (setLSWeights); lsValue has them
	// weigh each market by its value.
	lsw     []float64
	lsValue bool
	// bias is added to every equation (equal.go): the solver then finds
	// the prices at which every market it solves is off by −bias.
	bias float64
}

func newSolver(m *fitted) *solver {
	n := len(m.p)
	return &solver{m: m, idx: make([]int, n), x: make([]float64, n), xt: make([]float64, n),
		full: make([]float64, n), out: make([]float64, n)}
}

// weigh sets, at the evaluated point, the weights that turn excess value
// into F_j = ln((demand_j + δ)/(supply_j + δ)), the equations the solver
// zeroes: in logs the Cobb–Douglas economies are nearly linear, and the
// merit does not saturate where demand dwarfs supply. δ, a 1e-15 share of
// all the value traded, keeps the logarithms finite.
func (s *solver) weigh() {
	m := s.m
	n := len(m.p)
	if len(s.wd) != n {
		s.wd = make([]float64, n)
		s.ws = make([]float64, n)
		s.f = make([]float64, n)
	}
	total := 0.0
	for j := 0; j < n; j++ {
		total += m.supV[j] + m.demV[j]
	}
	delta := 1e-15*total + 1e-300
	s.deltaNow = delta
	if s.delta > 0 {
		delta = s.delta
	}
	for j := 0; j < n; j++ {
		d := delta
		if m.fixed[j] > 0 && m.supV[j] < tinyValue*delta {
			// A good of fixed supply priced near the floor: δ in
			// proportion to its own supply (see tinyValue).
			d = 1e-15*m.supV[j] + 1e-300
		} else if own := tinyTraded*minOf(m.supV[j], m.demV[j]) + 1e-300; m.supV[j] > 0 && m.demV[j] > 0 && own < d {
			// A good traded on both sides, one of them tiny beside
			// the economy: δ in proportion to the smaller (see
			// tinyTraded).
			d = own
		}
		s.wd[j] = 1 / (m.demV[j] + d)
		s.ws[j] = 1 / (m.supV[j] + d)
		s.f[j] = math.Log((m.demV[j]+d)/(m.supV[j]+d)) + s.bias
	}
}

// liftPollutants raises every pollutant priced within a log unit of the
// floor that the learned economy at s.x (evaluated) leaves in excess
// demand, each in turn, the other prices held, to where its market about
// clears (bisection in its log price), and leaves s.x evaluated there. So
// near the floor a pollutant's emissions barely answer its price (its
// cost is next to nothing to the councils that emit it): Newton's step
// for it is many times maxNewton, the shortened step moves the others
// next to nothing, and the solve failed every round (a crowd from its own
// last year's prices, where the pollutant had been free: people-0.5,
// 15 × 60, seed 13, CES consumers, at gaps of 0.2–0.9 for 40 rounds).
func (s *solver) liftPollutants() {
	m := s.m
	num := m.plan.Numeraire
	for j, g := range m.plan.Goods {
		if g.Kind != planning.Pollutant || j == num || s.x[j] > s.lo+1 || !(m.demV[j] > m.supV[j]) || !(m.supV[j] > 0) {
			continue
		}
		a, b := s.x[j], s.x[j]
		for step := 2.0; ; step *= 2 {
			b = minOf(s.hi, a+step)
			s.x[j] = b
			m.eval(s.x, s.lag, s.lagSurplus)
			if m.demV[j] <= m.supV[j] || b >= s.hi {
				break
			}
			a = b
		}
		for k := 0; k < liftIter && b-a > liftTol; k++ {
			c := (a + b) / 2
			s.x[j] = c
			m.eval(s.x, s.lag, s.lagSurplus)
			if m.demV[j] > m.supV[j] {
				a = c
			} else {
				b = c
			}
		}
		s.x[j] = b
		m.eval(s.x, s.lag, s.lagSurplus)
	}
}

// liftIter and liftTol bound liftPollutants' bisection: iterations, and
// the width in log price at which it stops.
const (
	liftIter = 40
	liftTol  = 1e-3
)

// tinyValue bounds, in units of δ, the supply value of a good of fixed
// supply (a resource, a pollutant's allowance, labour) below which weigh
// uses a δ of its own, 10⁻¹⁵ of that value: its supply is never zero, so
// its logarithm needs no common δ, and near the price floor the common δ
// is of the order of both its supply and its demand in value and sets
// the slope of its equation. For a pollutant at the floor that slope is
// then positive (δ is a larger share of the smaller side), though its
// emissions fall as its price rises: Newton pushed the price down, the
// good was pinned at the floor in excess demand (pin), and the solve said
// solved with that market unsolved; a crowd of partial adjusters with a
// slack allowance (15 × 60, seed 4, CES consumers, its pollutant worth
// 4.6 times the numéraire at the equilibrium) stayed at a gap of 0.05
// from round 22 to 40 with its pollutant published at the floor.
const tinyValue = 1e6

// tinyTraded: weigh's δ for a good both supplied and demanded is at most
// 1e-15 of the smaller side, not the common δ, so that its equation stays
// ln(demand/supply) however small that side is beside the economy. With
// the common δ, a good whose producers make next to nothing at the
// round's prices (workers of returns 0.95–0.99 from cold prices, their
// supply 10⁻¹⁴ of its demand, that demand 10⁻⁶ of the value traded) has
// an equation that no longer answers its supply: its Jacobian row, 1 −
// δ/(supply + δ) of the true one, is next to zero while the equation
// stands at ln(demand/δ) ≈ 27, Newton's step is no descent direction, and
// the solve failed round after round (14 of 24 such plans at 15 × 60 and
// 40 × 160, seeds 1–6, never converged in 40 rounds; now all do, 23 of
// them in 3–5).
const tinyTraded = 1e-15

// merit returns ½Σ(F − shift·F(x0))² over vars and the largest term, at
// the evaluated and weighed point.
func (s *solver) merit(shift float64) (float64, float64) {
	phi, mx := 0.0, 0.0
	for _, j := range s.vars {
		r := s.f[j] - shift*s.f0[j]
		phi += r * r
		mx = maxOf(mx, math.Abs(r))
	}
	return phi / 2, mx
}

// solve finds the learned economy's equilibrium from x0 (log prices of
// every good; the numéraire's is held) and returns the solution in s.x, the
// largest remaining |F| and whether it solved to solveTol within maxIter
// Newton iterations.
//
// It follows a Newton homotopy from x0, where the learned economy
// reproduces the last round: it solves F(x) = (1−τ)·F(x0) for τ rising to
// 1, taking the whole way at once when Newton manages it and shorter
// stretches where it does not. Far from the start the learned economy can
// be badly conditioned (a pollutant nearly free, a good nobody makes yet);
// the homotopy keeps Newton where it converges.
func (s *solver) solve(x0 []float64, lag bool, lagSurplus float64, maxIter int) (float64, bool) {
	m := s.m
	num := m.plan.Numeraire
	copy(s.x, x0)
	s.lo, s.hi = x0[num]+lnFloor, x0[num]+lnCeil
	for j := range s.x {
		if j != num {
			s.x[j] = maxOf(s.lo, minOf(s.hi, s.x[j]))
		}
	}
	s.lag, s.lagSurplus = lag, lagSurplus
	s.iters, s.tau = 0, 0
	s.save = resize(s.save, len(s.x))
	s.start = resize(s.start, len(s.x))
	m.eval(s.x, lag, lagSurplus)
	// A good nobody in the learned economy uses is free: to the floor.
	moved := false
	for j := range s.x {
		if j != num && m.demV[j] == 0 && m.supV[j] > 0 && s.x[j] > s.lo {
			s.x[j] = s.lo
			moved = true
		}
	}
	if moved {
		m.eval(s.x, lag, lagSurplus)
	}
	s.liftPollutants()
	s.supplied = true
	for j := range s.x {
		if j != num && m.demV[j] > 0 && m.supV[j] == 0 {
			s.supplied = false
		}
	}
	copy(s.start, s.x)
	// δ stays what it is at the start for the whole solve: it moves with
	// the value traded, and where a good's supply or demand is of δ's
	// order (a good nobody makes yet) that move is as large as any term
	// of the Jacobian, which leaves it out. Newton then follows a slope
	// the equations do not have, and no step along it lowers the merit.
	s.delta = 0
	s.weigh()
	s.delta = s.deltaNow
	defer func() { s.delta = 0 }()
	// Newton straight at the equilibrium usually gets there.
	s.f0 = resize(s.f0, len(s.x))
	for j := range s.f0 {
		s.f0[j] = 0
	}
	if mx, ok := s.newton(0, s.tol(), directIter); ok {
		return mx, true
	}
	copy(s.x, s.start)
	m.eval(s.x, lag, lagSurplus)
	// Otherwise, first the economy with the pollutants' prices held: far from the
	// equilibrium a pollutant is often in excess supply only because little
	// is produced yet, and solving for its price there would drive it
	// towards zero, where it moves nothing. Then everything, from there.
	for _, g := range m.plan.Goods {
		if g.Kind == planning.Pollutant {
			s.holdPollutants = true
			break
		}
	}
	if s.holdPollutants {
		_, ok := s.homotopy(maxIter / 2)
		s.holdPollutants = false
		if !ok {
			copy(s.x, s.start)
			m.eval(s.x, lag, lagSurplus)
		} else {
			s.held = resize(s.held, len(s.x))
			copy(s.held, s.x)
			it := s.iters
			if mx, ok := s.homotopy(maxIter); ok {
				return mx, true
			}
			if mx, ok := s.freed(it, maxIter); ok {
				return mx, true
			}
			if mx, ok := s.freedSolved(it, maxIter); ok {
				return mx, true
			}
			if mx, ok := s.freedEach(it, maxIter); ok {
				return mx, true
			}
			return s.freedDrop(it, maxIter)
		}
	}
	return s.homotopy(maxIter)
}

// homotopy runs the Newton homotopy from s.x (evaluated) until s.iters
// reaches maxIter.
func (s *solver) homotopy(maxIter int) (float64, bool) {
	m := s.m
	s.weigh()
	s.f0 = resize(s.f0, len(s.f))
	copy(s.f0, s.f)
	for j, g := range m.plan.Goods {
		// A pollutant in excess supply may have no price at which it is
		// as much in excess as at the start: aim at clearing it at once.
		if g.Kind == planning.Pollutant && s.f0[j] < 0 {
			s.f0[j] = 0
		}
	}
	tau, dtau := 0.0, 1.0
	for s.iters < maxIter {
		t := minOf(1, tau+dtau)
		copy(s.save, s.x)
		tol := stageTol
		if t == 1 {
			tol = s.tol()
		}
		mx, ok := s.newton(1-t, tol, min(maxIter, s.iters+stageIter))
		if ok {
			if t == 1 {
				return mx, true
			}
			tau = t
			dtau = minOf(1, 2*dtau)
			continue
		}
		copy(s.x, s.save)
		m.eval(s.x, s.lag, s.lagSurplus)
		dtau /= 4
		if dtau < 1e-3 {
			break
		}
	}
	s.tau = tau
	s.weigh()
	return math.Inf(1), false
}

// newton zeroes F(x) − shift·F(x0) by damped Newton from s.x (evaluated)
// to tolerance tol; it returns the largest remaining residual and whether
// it got there before the iterations ran out or the line search failed.
func (s *solver) newton(shift, tol float64, maxIter int) (float64, bool) {
	m := s.m
	num := m.plan.Numeraire
	lo, hi := s.lo, s.hi
	for s.iters < maxIter {
		s.weigh()
		// Goods solved for: all but the numéraire, those pinned at a bound
		// by the sign of their excess, and those nobody trades.
		s.vars = s.vars[:0]
		for j := range s.x {
			s.idx[j] = -1
			if j == num || (m.demV[j] == 0 && m.supV[j] == 0) || (s.holdPollutants && m.plan.Goods[j].Kind == planning.Pollutant) || (s.skip != nil && s.skip[j]) {
				continue
			}
			z := s.f[j] - shift*s.f0[j]
			if (s.x[j] <= lo && z < 0) || (s.x[j] >= hi && z > 0) {
				continue
			}
			s.idx[j] = len(s.vars)
			s.vars = append(s.vars, j)
		}
		phi, mx := s.merit(shift)
		if mx <= tol || len(s.vars) == 0 {
			return mx, true
		}
		s.iters++
		s.total++
		nv := len(s.vars)
		s.d = resize(s.d, nv)
		s.rhs = resize(s.rhs, nv)
		for k, j := range s.vars {
			s.rhs[k] = -(s.f[j] - shift*s.f0[j])
		}
		var ok bool
		for pass := 0; ; pass++ {
			if nv <= denseMax && !s.forceKrylov {
				ok = s.newtonDense()
			} else {
				ok = s.newtonKrylov(forcing(phi, mx, tol))
			}
			if !ok || pass == maxPin || !s.pin(lo, hi) {
				break
			}
			// The step would push prices at a bound beyond it: pinned
			// there, the others' step is solved again without them.
			nv = len(s.vars)
			if nv == 0 {
				return mx, true
			}
			phi, mx = s.merit(shift)
		}
		if !ok {
			return mx, false
		}
		// Shorten the step, all prices alike, to at most maxNewton in any
		// log price, then backtrack until the merit falls. (Clipping each
		// price on its own would turn the step from the Newton direction,
		// and far from the solution the clipped step is often no descent
		// direction at all: the line search then fails at any length.)
		big := 0.0
		for _, v := range s.d {
			big = maxOf(big, math.Abs(v))
		}
		if big > maxNewton {
			for k := range s.d {
				s.d[k] *= maxNewton / big
			}
			big = maxNewton
		}
		alpha := 1.0
		accepted := false
		for ls := 0; ls < 30; ls++ {
			copy(s.xt, s.x)
			for k, j := range s.vars {
				s.xt[j] = maxOf(lo, minOf(hi, s.x[j]+alpha*s.d[k]))
			}
			m.eval(s.xt, s.lag, s.lagSurplus)
			s.weigh()
			pt, _ := s.merit(shift)
			if pt <= phi*(1-1e-4*alpha) {
				accepted = true
				break
			}
			alpha /= 2
		}
		if !accepted || (alpha < 1 && alpha*big < minStep) || alpha < minAlpha {
			m.eval(s.x, s.lag, s.lagSurplus)
			if mx <= roundTol {
				// At the rounding level of the equations: solved.
				return mx, true
			}
			// Backtracking this far means Newton is lost (typically a
			// good's price sinking where nothing responds to it): let the
			// homotopy take a shorter stretch.
			return mx, false
		}
		s.x, s.xt = s.xt, s.x
	}
	return math.Inf(1), false
}

// freed retries the last stretch of solve where it failed: from the
// equilibrium with the pollutants' prices held (s.held, reached after it
// Newton iterations), it frees the pollutants that are in excess supply
// at any price there (freePollutants) and follows the homotopy again,
// with maxIter − it iterations of its own. It returns the largest
// remaining |F| and whether that solved the learned economy (the
// solution in s.x); if not, s.x, s.tau and s.iters are back where the
// first try left them (evaluated and weighed), so that what a failed
// solve leaves (the safe steps, the partial step) is what it was. It is
// tried only where the first try failed: a learned economy with a
// pollutant free can have another solution with it priced (the one the
// homotopy finds from the held prices), and where the learned economy is
// still far from the real one that corner is the wrong one. Nor is it
// tried where some good demanded at the round's prices was not supplied
// there: the learned economy knows nothing yet of those goods' producers.
func (s *solver) freed(it, maxIter int) (float64, bool) {
	if !s.supplied {
		return math.Inf(1), false
	}
	tau, iters := s.keepFailed()
	copy(s.x, s.held)
	s.m.eval(s.x, s.lag, s.lagSurplus)
	s.weigh()
	if s.freePollutants() {
		s.iters = it
		if mx, ok := s.homotopy(maxIter); ok && s.stillFree() {
			return mx, true
		}
	}
	return s.giveUp(tau, iters)
}

// stillFree reports whether every pollutant freePollutants moved to the
// floor is, at the solution, still there and in excess supply (within
// the solver's tolerance). One in excess demand there was left at the
// floor only because, that near it, the δ that keeps its equation's
// logarithm finite sets the equation's slope, whose sign then has Newton
// push the price down, not up, and the good is pinned (pin): the solve
// says solved with that market unsolved. Kept, that answer held a crowd
// of partial adjusters with a slack allowance (15 × 60, seed 4, CES
// consumers) at a gap of 0.05 from round 22 on, its pollutant priced
// 4.6 times the numéraire at the equilibrium and published near the
// floor (before freePollutants it reached 10⁻⁴ in 20 rounds).
func (s *solver) stillFree() bool {
	tol := s.tol()
	for _, j := range s.sunk {
		if s.x[j] <= s.lo && s.f[j] > tol {
			return false
		}
	}
	return true
}

// freeShare is the least share of a pollutant's excess supply (its
// equation's value) that freePollutants asks to remain at the floor.
const freeShare = 0.25

// freePollutants moves to the floor every pollutant in excess supply
// that keeps at least freeShare of its excess there, and reports whether
// it moved any (s.x is then evaluated and weighed there). Such a
// pollutant is free in the learned economy at the others' prices: its
// emissions come near the allowance but never reach it, however cheap it
// gets. Both its supply and demand in value fall with its price, so its
// equation barely answers its own price; Newton's step for it is many
// times maxNewton, the step shortened to maxNewton moves every other
// price next to nothing, and each stretch of the homotopy runs out of
// iterations long before the price reaches the floor a log unit at a
// time. At the floor newton leaves it out (a good at its floor in excess
// supply), and the others are solved without it; where they move so that
// it is in excess demand again, newton takes it back. One whose excess
// nearly vanishes on the way down is left where it was: on a first
// round's fits, one 5.4% in excess supply at the held price and within
// 0.2% of clearing at the floor was priced at the equilibrium (4.6 times
// the numéraire's), and freeing it kept the plan on a two-round cycle.
// It frees a pollutant however little of its allowance the last round
// emitted: a guard that kept priced one emitted under 1% of it (where
// little is produced yet, at a cold start's first round, that the
// allowance is slack was thought to say nothing of the plan) held plans
// whose allowance stays slack at the equilibrium, of workers of returns
// 0.1–0.3 or a hundredth of the resources, for up to 28 rounds or for
// ever (TestLearningSlackPollutant); without it one unseen-mix plan
// (15 × 60, seed 6, Cobb–Douglas) takes 17 rounds to 10⁻⁴ for 12, and
// nothing else in the tables moves.
func (s *solver) freePollutants() bool {
	m := s.m
	s.sunk = s.sunk[:0]
	for j, g := range m.plan.Goods {
		if g.Kind == planning.Pollutant && j != m.plan.Numeraire && s.f[j] < 0 && s.x[j] > s.lo {
			s.sunk = append(s.sunk, j)
		}
	}
	if len(s.sunk) == 0 {
		return false
	}
	copy(s.xt, s.x)
	s.sunkF = s.sunkF[:0]
	for _, j := range s.sunk {
		s.xt[j] = s.lo
		s.sunkF = append(s.sunkF, s.f[j])
	}
	m.eval(s.xt, s.lag, s.lagSurplus)
	s.weigh()
	moved := false
	for k, j := range s.sunk {
		if s.f[j] < freeShare*s.sunkF[k] {
			moved = true
		} else {
			s.xt[j] = s.x[j]
		}
	}
	if moved {
		s.x, s.xt = s.xt, s.x
	}
	m.eval(s.x, s.lag, s.lagSurplus)
	s.weigh()
	return moved
}

// maxPin bounds the passes of a Newton step that pin prices at their
// bounds (pin).
const maxPin = 4

// pin drops from vars (and the step d and right-hand side rhs) the goods
// whose price is at a bound the step d would push it beyond, and reports
// whether there were any. Clipped there, the step would turn from the
// Newton direction (see newton): where the learned economy sends a price
// to its bound, the merit then falls along no step at all.
func (s *solver) pin(lo, hi float64) bool {
	any := false
	for k, j := range s.vars {
		if (s.x[j] <= lo && s.d[k] < 0) || (s.x[j] >= hi && s.d[k] > 0) {
			any = true
			break
		}
	}
	if !any {
		return false
	}
	n := 0
	for k, j := range s.vars {
		if (s.x[j] <= lo && s.d[k] < 0) || (s.x[j] >= hi && s.d[k] > 0) {
			s.idx[j] = -1
			continue
		}
		s.idx[j] = n
		s.vars[n], s.rhs[n] = j, s.rhs[k]
		n++
	}
	s.vars, s.d, s.rhs = s.vars[:n], s.d[:n], s.rhs[:n]
	return true
}

// newtonDense solves the row-scaled Newton system by LU with partial
// pivoting.
func (s *solver) newtonDense() bool {
	m := s.m
	n := len(m.p)
	if len(s.dense) != n {
		s.dense = make([][]float64, n)
		for j := range s.dense {
			s.dense[j] = make([]float64, n)
		}
	}
	m.jacobian(s.dense, s.wd, s.ws)
	nv := len(s.vars)
	if cap(s.sub) < nv {
		s.sub = make([][]float64, nv)
	}
	s.sub = s.sub[:nv]
	for k, j := range s.vars {
		if cap(s.sub[k]) < nv {
			s.sub[k] = make([]float64, nv)
		}
		row := s.sub[k][:nv]
		for c, i := range s.vars {
			row[c] = s.dense[j][i]
		}
		s.sub[k] = row
	}
	copy(s.d, s.rhs)
	return luSolve(s.sub, s.d, &s.piv)
}

// luSolve solves A·x = b in place (b becomes x), destroying A.
func luSolve(a [][]float64, b []float64, piv *[]int) bool {
	n := len(b)
	if cap(*piv) < n {
		*piv = make([]int, n)
	}
	p := (*piv)[:n]
	for k := 0; k < n; k++ {
		best, bi := 0.0, -1
		for i := k; i < n; i++ {
			if v := math.Abs(a[i][k]); v > best {
				best, bi = v, i
			}
		}
		if bi < 0 || best < 1e-300 {
			return false
		}
		p[k] = bi
		a[k], a[bi] = a[bi], a[k]
		b[k], b[bi] = b[bi], b[k]
		rk := a[k]
		inv := 1 / rk[k]
		for i := k + 1; i < n; i++ {
			ri := a[i]
			f := ri[k] * inv
			if f == 0 {
				continue
			}
			ri[k] = f
			for c := k + 1; c < n; c++ {
				ri[c] -= f * rk[c]
			}
			b[i] -= f * b[k]
		}
	}
	for k := n - 1; k >= 0; k-- {
		v := b[k]
		rk := a[k]
		for c := k + 1; c < n; c++ {
			v -= rk[c] * b[c]
		}
		b[k] = v / rk[k]
	}
	for _, v := range b {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// apply sets out = D·J·P⁻¹·v over vars: the row-scaled Jacobian with the
// Jacobi right preconditioner.
func (s *solver) apply(v, out []float64) {
	m := s.m
	for j := range s.full {
		s.full[j] = 0
	}
	for k, j := range s.vars {
		s.full[j] = v[k] / s.diag[k]
	}
	m.jv(s.full, s.out, s.wd, s.ws)
	for k, j := range s.vars {
		out[k] = s.out[j]
	}
}

// forcing returns the relative residual to which GMRES solves a Newton
// system where the merit is phi, the largest |F| mx and the target tol:
// loosely far from the solution, where a precise step is wasted, and ever
// more tightly closer in, in proportion to the residual, so Newton keeps
// converging fast (an inexact Newton method's forcing term); but never
// more tightly than the step needs to bring mx within tol.
func forcing(phi, mx, tol float64) float64 {
	eta := maxOf(1e-6, minOf(0.1, 0.1*math.Sqrt(2*phi)))
	if mx > 0 {
		eta = maxOf(eta, minOf(0.1, 0.3*tol/mx))
	}
	return eta
}

// krylovRestart and krylovMax bound GMRES.
const (
	krylovRestart = 60
	krylovMax     = 600
)

// newtonKrylov solves the row-scaled Newton system by restarted GMRES with
// a Jacobi preconditioner, to relative residual eta.
func (s *solver) newtonKrylov(eta float64) bool {
	nv := len(s.vars)
	// Diagonal of the scaled Jacobian, by probing one unit vector per
	// good would cost O(n·lines); instead use the exact diagonal terms.
	s.diag = resize(s.diag, nv)
	s.diagonal()
	for k := range s.diag {
		if math.Abs(s.diag[k]) < 1e-3 {
			s.diag[k] = math.Copysign(1e-3, s.diag[k]+1e-300)
		}
	}
	if len(s.basis) < krylovRestart+1 {
		s.basis = make([][]float64, krylovRestart+1)
		s.h = make([][]float64, krylovRestart+1)
		for i := range s.h {
			s.h[i] = make([]float64, krylovRestart)
		}
		s.cs = make([]float64, krylovRestart)
		s.sn = make([]float64, krylovRestart)
		s.gvec = make([]float64, krylovRestart+1)
	}
	for i := range s.basis {
		s.basis[i] = resize(s.basis[i], nv)
	}
	s.w = resize(s.w, nv)
	y := s.d // the solution in preconditioned coordinates
	for k := range y {
		y[k] = 0
	}
	bnorm := norm(s.rhs)
	if bnorm == 0 {
		return true
	}
	total := 0
	for total < krylovMax {
		// r = rhs − A·y
		s.apply(y, s.w)
		r0 := s.basis[0]
		for k := range r0 {
			r0[k] = s.rhs[k] - s.w[k]
		}
		beta := norm(r0)
		if beta <= eta*bnorm {
			break
		}
		for k := range r0 {
			r0[k] /= beta
		}
		for i := range s.gvec {
			s.gvec[i] = 0
		}
		s.gvec[0] = beta
		j := 0
		for ; j < krylovRestart && total < krylovMax; j++ {
			total++
			wv := s.basis[j+1]
			s.apply(s.basis[j], wv)
			for i := 0; i <= j; i++ {
				hij := dot(wv, s.basis[i])
				s.h[i][j] = hij
				axpy(-hij, s.basis[i], wv)
			}
			hn := norm(wv)
			s.h[j+1][j] = hn
			if hn > 0 {
				for k := range wv {
					wv[k] /= hn
				}
			}
			for i := 0; i < j; i++ {
				t := s.cs[i]*s.h[i][j] + s.sn[i]*s.h[i+1][j]
				s.h[i+1][j] = -s.sn[i]*s.h[i][j] + s.cs[i]*s.h[i+1][j]
				s.h[i][j] = t
			}
			den := math.Hypot(s.h[j][j], s.h[j+1][j])
			if den == 0 {
				return false
			}
			s.cs[j] = s.h[j][j] / den
			s.sn[j] = s.h[j+1][j] / den
			s.h[j][j] = den
			s.h[j+1][j] = 0
			s.gvec[j+1] = -s.sn[j] * s.gvec[j]
			s.gvec[j] = s.cs[j] * s.gvec[j]
			if math.Abs(s.gvec[j+1]) <= eta*bnorm {
				j++
				break
			}
		}
		// Back-substitute and update y.
		for i := j - 1; i >= 0; i-- {
			v := s.gvec[i]
			for k := i + 1; k < j; k++ {
				v -= s.h[i][k] * s.gvec[k]
			}
			s.gvec[i] = v / s.h[i][i]
		}
		for i := 0; i < j; i++ {
			axpy(s.gvec[i], s.basis[i], y)
		}
	}
	s.kIters += total
	s.kCalls++
	for k := range y {
		y[k] /= s.diag[k]
		if math.IsNaN(y[k]) || math.IsInf(y[k], 0) {
			return false
		}
	}
	return true
}

// diagonal sets s.diag to the diagonal of the row-scaled Jacobian over
// vars, in O(lines).
func (s *solver) diagonal() {
	m := s.m
	m.diagonal(s.wd, s.ws, s.full)
	for k, j := range s.vars {
		s.diag[k] = s.full[j] + m.poolDiagonal(j, s.wd)
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func norm(a []float64) float64 { return math.Sqrt(dot(a, a)) }

func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}

// leastSquares minimises ½ΣF² over every traded good, the numéraire's too,
// from x0 by Gauss–Newton, with the budgets of a lagged surplus: with the
// budgets the board must publish no prices need clear every market (they
// share a surplus that is not the one at the new prices), and the least
// squares spread the mismatch over all markets. Dense only: it returns false
// for catalogues beyond denseMax. The result is in s.x.
func (s *solver) leastSquares(x0 []float64, lagSurplus float64, maxIter int) bool {
	m := s.m
	n := len(m.p)
	num := m.plan.Numeraire
	if n-1 > denseMax && !(s.lsValue && n-1 <= lsValueMax) {
		return false
	}
	copy(s.x, x0)
	s.lag, s.lagSurplus = true, lagSurplus
	lo, hi := x0[num]+lnFloor, x0[num]+lnCeil
	if len(s.dense) != n {
		s.dense = make([][]float64, n)
		for j := range s.dense {
			s.dense[j] = make([]float64, n)
		}
	}
	sumsq := func() float64 {
		t := 0.0
		for j := 0; j < n; j++ {
			if m.demV[j] > 0 || m.supV[j] > 0 {
				t += s.lsw[j] * s.f[j] * s.f[j]
			}
		}
		return t
	}
	m.eval(s.x, true, lagSurplus)
	s.weigh()
	s.setLSWeights()
	phi := sumsq()
	for it := 0; it < maxIter; it++ {
		s.vars = s.vars[:0]
		for j := 0; j < n; j++ {
			if j != num && (m.demV[j] > 0 || m.supV[j] > 0) && s.x[j] > lo && s.x[j] < hi {
				s.vars = append(s.vars, j)
			}
		}
		nv := len(s.vars)
		if nv == 0 {
			return true
		}
		m.jacobian(s.dense, s.wd, s.ws)
		// Normal equations (JᵀJ + μI)·d = −JᵀF, μ tiny against JᵀJ.
		if cap(s.sub) < nv {
			s.sub = make([][]float64, nv)
		}
		s.sub = s.sub[:nv]
		s.d = resize(s.d, nv)
		for a := range s.sub {
			s.sub[a] = resize(s.sub[a], nv)
		}
		for j := 0; j < n; j++ {
			if !(m.demV[j] > 0 || m.supV[j] > 0) {
				continue
			}
			row := s.dense[j]
			wj := s.lsw[j]
			for a, ia := range s.vars {
				ra := row[ia]
				if ra == 0 {
					continue
				}
				s.d[a] -= wj * ra * s.f[j]
				sa := s.sub[a]
				for b, ib := range s.vars {
					sa[b] += wj * ra * row[ib]
				}
			}
		}
		trace := 0.0
		for a := range s.sub {
			trace += s.sub[a][a]
		}
		for a := range s.sub {
			s.sub[a][a] += 1e-12 * trace / float64(nv)
		}
		if !luSolve(s.sub, s.d, &s.piv) {
			return false
		}
		alpha := 1.0
		improved := false
		for ls := 0; ls < 20; ls++ {
			copy(s.xt, s.x)
			for k, j := range s.vars {
				s.xt[j] = maxOf(lo, minOf(hi, s.x[j]+alpha*maxOf(-maxNewton, minOf(maxNewton, s.d[k]))))
			}
			m.eval(s.xt, true, lagSurplus)
			s.weigh()
			if pt := sumsq(); pt < phi {
				improved = pt < phi*(1-1e-6)
				phi = pt
				s.x, s.xt = s.xt, s.x
				break
			}
			alpha /= 2
		}
		if !improved {
			break
		}
	}
	m.eval(s.x, true, lagSurplus)
	s.weigh()
	return true
}

// stageTol is the residual at which a stretch of the homotopy short of the
// end counts as solved.
const stageTol = 1e-3

// setLSWeights sets the weights of leastSquares' squares at the evaluated
// point: 1 each, or with lsValue each market's share of the value traded
// (see Rule.ahead).
func (s *solver) setLSWeights() {
	m := s.m
	s.lsw = resize(s.lsw, len(m.p))
	if !s.lsValue {
		for j := range s.lsw {
			s.lsw[j] = 1
		}
		return
	}
	total := 0.0
	for j := range s.lsw {
		total += maxOf(m.supV[j], m.demV[j])
	}
	for j := range s.lsw {
		s.lsw[j] = 1
		if total > 0 {
			s.lsw[j] = float64(len(s.lsw)) * maxOf(m.supV[j], m.demV[j]) / total
		}
	}
}

// lsValueMax is the largest catalogue (goods less the numéraire) for which
// leastSquares runs with lsValue (Rule.ahead), dense: its Gauss–Newton steps
// factor a matrix of the goods, about 10⁷ operations at 300.
const lsValueMax = 300
