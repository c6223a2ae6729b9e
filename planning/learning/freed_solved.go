package learning

import (
	"math"

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
	s.failed = resize(s.failed, len(s.x))
	copy(s.failed, s.x)
	tau, iters := s.tau, s.iters
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
	copy(s.x, s.failed)
	m.eval(s.x, s.lag, s.lagSurplus)
	s.weigh()
	s.tau, s.iters = tau, iters
	return math.Inf(1), false
}
