package learning

import (
	"math"
	"sort"

	"parecon/planning"
)

// freedSolved is the solve's last try, after freed: it moves to the floor
// every pollutant in excess supply at the held solution, solves the other
// markets there with the pollutants' prices held, keeps at the floor
// those still in excess supply (the others go back to their held prices)
// and follows the homotopy from there with maxIter − it iterations, as
// freed does. It returns what freed returns, and leaves what freed leaves
// where it fails.
//
// freed judges a pollutant free by its equation at the floor with every
// other price where the held solve left it; but a pollutant's price
// moves every market it is emitted for, and with those re-solved the
// judgement can turn. Consumers of near-fixed needs (σ 0.05–0.2) on
// economies whose allowance is slack at the equilibrium had their
// pollutant 32% in excess supply at the held prices and 25 times in
// excess demand at the floor, but 15% in excess supply there with the
// other markets solved: freed refused it, the priced solve failed, and
// the plans took the fallback's steps for six rounds (10 and 12 rounds
// to 3% where the reference councils take 3–4; now 4).
func (s *solver) freedSolved(it, maxIter int) (float64, bool) {
	if !s.supplied {
		return math.Inf(1), false
	}
	m := s.m
	tau, iters := s.keepFailed()
	copy(s.x, s.held)
	m.eval(s.x, s.lag, s.lagSurplus)
	s.weigh()
	s.sunk = s.sunk[:0]
	for j, g := range m.plan.Goods {
		if g.Kind == planning.Pollutant && j != m.plan.Numeraire && s.f[j] < 0 && s.x[j] > s.lo {
			s.sunk = append(s.sunk, j)
			s.x[j] = s.lo
		}
	}
	ok := len(s.sunk) > 0
	if ok {
		m.eval(s.x, s.lag, s.lagSurplus)
		s.weigh()
		s.holdPollutants = true
		s.iters = it
		_, ok = s.newton(0, stageTol, it+stageIter)
		s.holdPollutants = false
	}
	if ok {
		n := 0
		for _, j := range s.sunk {
			if s.f[j] < 0 {
				s.sunk[n] = j
				n++
			} else {
				s.x[j] = s.held[j]
			}
		}
		ok = n > 0
		if n < len(s.sunk) {
			s.sunk = s.sunk[:n]
			m.eval(s.x, s.lag, s.lagSurplus)
			s.weigh()
		}
	}
	if ok {
		s.iters = it
		if mx, solved := s.homotopy(maxIter); solved && s.stillFree() {
			return mx, true
		}
	}
	return s.giveUp(tau, iters)
}

// maxFreedEach bounds the pollutants freedEach tries in turn.
const maxFreedEach = 4

// freedEach is the solve's last try where a plan has several pollutants:
// for each in turn (at most maxFreedEach of them) it moves that one to
// the floor, leaves it out, and follows the homotopy for every other
// market, the other pollutants priced, with maxIter − it iterations;
// where that solves and the one left out is in excess supply at the
// floor, that is the learned economy's equilibrium, the pollutant free.
// It returns what freed returns, and leaves what freed leaves where it
// fails.
//
// Two pollutants emitted by the same workers can both be in excess
// demand at the held solution while at the equilibrium one is free: the
// other's price, raised, cuts the output that emits both. Newton, from
// the held prices, moved them apart and failed, and freed and freedSolved
// free only a pollutant in excess supply there: a plan whose second
// pollutant (half the first's allowance, emitted by half its emitters)
// was free at the equilibrium took fallback steps for 24 rounds.
func (s *solver) freedEach(it, maxIter int) (float64, bool) {
	if !s.supplied || len(s.heldPollutants()) < 2 {
		return math.Inf(1), false
	}
	tau, iters := s.keepFailed()
	for k, j := range s.pols {
		if k == maxFreedEach {
			break
		}
		copy(s.x, s.held)
		mx, ok := s.solveFree(s.pols[k:k+1], it, maxIter)
		if ok && s.f[j] < 0 {
			s.sunk = append(s.sunk[:0], j)
			return mx, true
		}
	}
	return s.giveUp(tau, iters)
}

// freedDrop is the solve's last try where a plan has several pollutants
// and freedEach failed, an active-set search: it starts from the corner
// where every pollutant is free (each at the floor and left out, the
// other markets solved by the homotopy from the held prices, with
// maxIter − it iterations) and, while some of those left out are in
// excess demand at the solution, takes one of them back (priced again,
// from its held price, the other prices from the solution) and solves
// again. Of the maxDropTries most in excess demand it takes the one whose
// solve leaves the fewest in excess demand (the first that leaves none,
// the one most in excess demand among equals). Where every one still left
// out is in excess supply at the floor, that is the learned economy's
// equilibrium with those pollutants free. It returns what freed returns,
// and leaves what freed leaves where it fails.
//
// With four pollutants, three of them emitted by two in five of the
// first's emitters (allowances a fifth to all of the first's), the
// equilibrium can have some free and the others priced: freedEach frees
// one at a time, and such plans never converged in 40 rounds
// (TestLearningFourPollutants). Two pollutants emitted by the same
// workers are both in excess demand with every pollutant free, but
// priced, the one takes the other's excess away: the one most in excess
// demand at the corner is not always the one to price.
func (s *solver) freedDrop(it, maxIter int) (float64, bool) {
	if !s.supplied || len(s.heldPollutants()) < 2 {
		return math.Inf(1), false
	}
	tau, iters := s.keepFailed()
	free := append(s.sunk[:0], s.pols...)
	copy(s.x, s.held)
	mx, ok := s.solveFree(free, it, maxIter)
	for ok {
		s.viol = s.violated(free, s.viol)
		if len(s.viol) == 0 {
			s.sunk = free
			return mx, true
		}
		sort.Slice(s.viol, func(a, b int) bool { return s.f[s.viol[a]] > s.f[s.viol[b]] })
		s.dropX = resize(s.dropX, len(s.x))
		s.dropBest = resize(s.dropBest, len(s.x))
		copy(s.dropX, s.x)
		best, bestN, bestMx := -1, 0, 0.0
		for k, c := range s.viol {
			if k == maxDropTries {
				break
			}
			copy(s.x, s.dropX)
			s.x[c] = s.held[c]
			s.pols = without(s.pols, free, c)
			mx, ok := s.solveFree(s.pols, it, maxIter)
			if !ok {
				continue
			}
			s.dropV = s.violated(s.pols, s.dropV)
			v := len(s.dropV)
			if best < 0 || v < bestN {
				best, bestN, bestMx = c, v, mx
				copy(s.dropBest, s.x)
			}
			if v == 0 {
				break
			}
		}
		if ok = best >= 0; ok {
			free = without(free, free, best)
			copy(s.x, s.dropBest)
			s.m.eval(s.x, s.lag, s.lagSurplus)
			s.weigh()
			mx = bestMx
		}
	}
	s.sunk = free[:0]
	return s.giveUp(tau, iters)
}

// violated returns, in dst, the pollutants of free in excess demand at
// the floor.
func (s *solver) violated(free, dst []int) []int {
	dst = dst[:0]
	for _, j := range free {
		if s.f[j] >= 0 {
			dst = append(dst, j)
		}
	}
	return dst
}

// without writes src less c into dst (which may be src) and returns it.
func without(dst, src []int, c int) []int {
	dst = dst[:0]
	for _, j := range src {
		if j != c {
			dst = append(dst, j)
		}
	}
	return dst
}

// maxDropTries bounds the pollutants freedDrop tries to take back at each
// of its stages.
const maxDropTries = 3

// solveFree follows the homotopy from s.x with the pollutants free left
// out (at the floor), with maxIter − it iterations, and returns what it
// returns.
func (s *solver) solveFree(free []int, it, maxIter int) (float64, bool) {
	skip := s.skip
	s.mark = resizeBool(s.mark, len(s.x))
	for i := range s.mark {
		s.mark[i] = skip != nil && skip[i]
	}
	for _, j := range free {
		s.mark[j] = true
		s.x[j] = s.lo
	}
	s.m.eval(s.x, s.lag, s.lagSurplus)
	s.skip = s.mark
	s.iters = it
	mx, ok := s.homotopy(maxIter)
	s.skip = skip
	return mx, ok
}

// heldPollutants sets s.pols to the pollutants priced above the floor at
// the held solution and returns it.
func (s *solver) heldPollutants() []int {
	m := s.m
	s.pols = s.pols[:0]
	for j, g := range m.plan.Goods {
		if g.Kind == planning.Pollutant && j != m.plan.Numeraire && s.held[j] > s.lo {
			s.pols = append(s.pols, j)
		}
	}
	return s.pols
}

// keepFailed saves where a failed solve left s.x (s.failed), for giveUp,
// and returns its τ and iterations.
func (s *solver) keepFailed() (float64, int) {
	s.failed = resize(s.failed, len(s.x))
	copy(s.failed, s.x)
	return s.tau, s.iters
}

// giveUp puts back what keepFailed saved, s.x evaluated and weighed
// there, and reports the solve failed: what a failed retry leaves is what
// the failed solve had left.
func (s *solver) giveUp(tau float64, iters int) (float64, bool) {
	copy(s.x, s.failed)
	s.m.eval(s.x, s.lag, s.lagSurplus)
	s.weigh()
	s.tau, s.iters = tau, iters
	return math.Inf(1), false
}
