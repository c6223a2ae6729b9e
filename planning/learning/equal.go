package learning

import "math"

// With the budgets the board must publish (the previous round's surplus),
// no prices need clear every market of a round in which partial steps
// still move the workers' surplus: the value of the excess demands is a
// mismatch that prices do not remove (docs/facilitation.md, "Councils as
// people"). The solve of the lagged economy puts all of it on the
// numéraire's market; the least squares of Rule.ahead (leastSquares with
// lsValue, dense, catalogues up to lsValueMax) spread it over every
// market. equalGaps does the same at any size with the solver's own
// Newton–Krylov: it finds the prices at which every market, the
// numéraire's too, is off by one and the same ln(demand/supply). (A board
// that knew every council's model and cleared each round as well as one
// round can, the oracle of the tests, leaves the markets so after the
// first rounds: all short by one ratio.)

// equalIter bounds the secant steps of equalGaps.
const equalIter = 4

// equalGaps solves the lagged economy (budgets of lagSurplus) from x0 for
// the prices at which every solved market's ln(demand/supply) equals the
// numéraire's, −b for one b found by the secant method on the numéraire's
// residual (close to linear in b: the value of the excess demands hardly
// moves with it). It reports whether it found them; the prices are in s.x.
func (s *solver) equalGaps(x0 []float64, lagSurplus float64) bool {
	num := s.m.plan.Numeraire
	defer func() { s.bias = 0 }()
	// at returns the numéraire's residual with every other market at −b.
	at := func(b float64) (float64, bool) {
		s.bias = b
		if _, ok := s.solve(x0, true, lagSurplus, solveIter); !ok {
			return 0, false
		}
		return s.f[num], true
	}
	b0, h0 := 0.0, 0.0
	h0, ok := at(b0)
	if !ok {
		return false
	}
	// The mismatch spread over every market: about the numéraire's
	// residual times its share of the value traded.
	b1 := -h0 * s.valueShare(num)
	for range equalIter {
		h1, ok := at(b1)
		if !ok {
			return false
		}
		if math.Abs(h1) <= 1e-3*math.Abs(b1)+s.tol() || h1 == h0 {
			return true
		}
		b0, h0, b1 = b1, h1, b1-h1*(b1-b0)/(h1-h0)
	}
	_, ok = at(b1)
	return ok
}

// valueShare returns good j's share of the value traded at the evaluated
// point (the larger of its sides over the sum of theirs).
func (s *solver) valueShare(j int) float64 {
	m := s.m
	total := 0.0
	for k := range m.supV {
		total += maxOf(m.supV[k], m.demV[k])
	}
	if total <= 0 {
		return 1
	}
	return maxOf(m.supV[j], m.demV[j]) / total
}

// equalFrom is the largest catalogue (goods less the numéraire) for which
// Rule.ahead spreads the mismatch by the dense least squares; beyond it,
// by equalGaps.
var equalFrom = lsValueMax

// scaledMax is the largest catalogue for which consumers' scaled steps
// are read against their fitted answers (lag_scaled.go).
var scaledMax = 1 << 30
