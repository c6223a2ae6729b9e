package learning

import (
	"math"

	"parecon/planning"
)

// holdAfter is how many rounds running without a smaller largest gap
// than the best round's make a plan whose councils round go back to that
// round's prices and hold them (holdBest); holdReach bounds the best
// round's largest gap, as a multiple of the largest floor, for which it
// does; and holdSlack is how far above the larger of the best round's
// largest gap and the largest floor the largest gap at its prices may
// come out, as a factor, before the rule moves again. (On the 40 × 200
// mixed crowds a reach of 4 held one plan at 18% while its partial
// adjusters drifted, which a slack of 2 let pass; from last year's prices
// a reach of 2 held one 40 × 200 round-to crowd at 1.6 times its floor,
// where 1.5 lets it reach 1.25 times it in 16 rounds. At 15 × 60 and on
// the other 40 × 200 crowds 1.5 and 2 hold the same rounds.)
const (
	holdAfter = 4
	holdReach = 1.5
	holdSlack = 1.25
	// holdSettle is the relative change of the largest gap between two
	// rounds held at the same prices below which the hold has settled
	// (holdBest releases it once per better best).
	holdSettle = 0.02
)

// holdBest returns, for a plan whose councils round, the prices of the
// best round so far (the smallest largest gap) to publish and hold, once
// holdAfter rounds running have not beaten it and its largest gap is
// within holdReach times the largest floor. Near its floor a plan whose
// councils round is moved by its rounding, not by the prices: a tiny
// step flips a rounded line by a unit of its last figure (a good with one
// producer that rounds to two figures by up to 10% of its supply), the
// next round's gaps are as much the draw of which lines flipped as of the
// step, and a rule that keeps stepping wanders between gaps of one and of
// several floors, round after round. At the best round's prices the
// councils answer much as they did (rounding is a function of the
// prices; the budgets, of the last round's surplus, move a little), so
// the plan holds there, at the best the rounding has let it reach, unless
// its councils were still moving (the largest gap at those prices comes
// out above holdSlack times the larger of the best's and the largest
// floor): then it moves again, and counts afresh.
//
// A hold that has settled (its largest gap changed by at most holdSettle
// of itself from the round before: the partial movers have arrived) above
// the largest floor (what the board reckons the rounding leaves) is
// released once, for one more look from there: that round becomes the
// best to beat, and the rule steps again from a fit read at rest. If no
// round beats it within holdAfter rounds the plan goes back to the same
// prices and holds them for good; it is released again only from a
// better best (releasedAt, the largest gap it was last released at). A
// hold lands where its best round happened to leave the lumpy goods'
// figures, often a few per cent above the floor the rounding leaves at
// the equilibrium, and the plan, held, counts no rounds of its own
// convergence by moving on from it: a look that finds nothing better
// costs nothing the hold had not already given up. It reports false
// where it does not hold.
func (l *Rule) holdBest(r *planning.Round) ([]float64, bool) {
	reach := 0.0
	for _, f := range l.floor {
		reach = maxOf(reach, f)
	}
	if reach == 0 || (l.best != nil && len(l.best) != len(r.Prices)) {
		// Nobody rounds, or the plan has grown: nothing to hold.
		l.holding, l.bestGap, l.best = false, math.Inf(1), nil
		l.heldGap, l.releasedAt = 0, math.Inf(1)
		return nil, false
	}
	if l.holding {
		if sameFloats(r.Prices, l.best) && r.MaxGap <= holdSlack*maxOf(l.holdGap, reach) && r.Failing == 0 && l.heldEach(r) {
			settled := l.heldGap > 0 && math.Abs(r.MaxGap-l.heldGap) <= holdSettle*r.MaxGap
			l.heldGap = r.MaxGap
			if !settled || !(l.bestGap < l.releasedAt) || !(r.MaxGap > reach) {
				return append([]float64(nil), r.Prices...), true
			}
			// Settled: the councils have arrived at the held prices, and
			// the fit, read from rounds there, is at its most accurate.
			// Step once more from them, this round the best to beat.
			l.releasedAt = r.MaxGap
			l.holding, l.heldGap, l.since = false, 0, 0
			l.bestGap = r.MaxGap
			l.bestGaps = append(l.bestGaps[:0], r.Gap...)
			return nil, false
		}
		l.holding, l.bestGap, l.heldGap = false, math.Inf(1), 0
	}
	if !(r.MaxGap < l.bestGap) || r.Failing > 0 {
		if l.since++; l.since >= holdAfter && l.bestGap <= holdReach*reach {
			l.holding, l.holdGap = true, l.bestGap
			return append([]float64(nil), l.best...), true
		}
		return nil, false
	}
	l.bestGap, l.since = r.MaxGap, 0
	l.best = append(l.best[:0], r.Prices...)
	l.bestGaps = append(l.bestGaps[:0], r.Gap...)
	return nil, false
}

// heldEach reports whether every good's gap in round r, held at the best
// round's prices, is within holdSlack times the largest of its gap in the
// best round, its floor and the best round's largest gap. The largest
// floor (holdBest's reach) is that of the lumpiest good; a good of a
// smaller floor whose gap came out above it (its single producer, moving
// partway, now a unit of its last figure short) is not held by it: the
// rule moves again.
func (l *Rule) heldEach(r *planning.Round) bool {
	if len(l.bestGaps) != len(r.Gap) {
		return true
	}
	for j, g := range r.Gap {
		if g > holdSlack*maxOf(l.holdGap, maxOf(l.bestGaps[j], l.floor[j])) {
			return false
		}
	}
	return true
}

// stepTo returns the largest change of a log price from round r's prices
// to p.
func stepTo(r *planning.Round, p []float64) float64 {
	s := 0.0
	for j, v := range p {
		s = maxOf(s, math.Abs(math.Log(v)-math.Log(r.Prices[j])))
	}
	return s
}
