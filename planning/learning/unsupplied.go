package learning

import (
	"math"

	"parecon/planning"
)

// A good that councils demand but nobody supplies at the published prices
// teaches the board nothing of how its producers would answer: a worker
// council that proposes no output reveals no technology, and the learned
// economy's prediction for that market is whatever the rest of the plan
// makes of it. A board that waits for its predictions to come true there
// shrinks its trust region round after round while the good stays
// unsupplied (a producer with fixed input coefficients makes nothing
// until its output is worth more than its inputs: the plan froze at a gap
// of 1). dry counts, per good, the rounds running that left it demanded
// and unsupplied; from the second such round on its price rises by at
// least dryStep a round in log (a factor of 2), whatever the trust region,
// until some council supplies it. This reads only the round's totals.

// dryStep is the least log-price rise a round of a good left unsupplied
// twice running.
var dryStep = math.Ln2

// countDry updates l.dry from round r.
func (l *Rule) countDry(r *planning.Round) {
	if len(l.dry) != len(r.Supply) {
		l.dry = make([]int, len(r.Supply))
	}
	for j := range l.dry {
		if dry(r, j, l.m.plan.Numeraire) {
			l.dry[j]++
		} else {
			l.dry[j] = 0
		}
	}
}

// dry reports whether good j, not the numéraire num, is demanded in
// round r and supplied by nobody.
func dry(r *planning.Round, j, num int) bool {
	return j != num && r.Supply[j] == 0 && r.Demand[j] > 0
}

// anyDry reports whether some good is dry in round r.
func anyDry(r *planning.Round, num int) bool {
	for j := range r.Supply {
		if dry(r, j, num) {
			return true
		}
	}
	return false
}

// climbDry raises the next log price of every good left unsupplied two
// rounds running by at least dryStep from the last, within hi.
func (l *Rule) climbDry(hi float64) {
	for j, n := range l.dry {
		if n >= 2 {
			l.next[j] = maxOf(l.next[j], minOf(hi, l.x[j]+dryStep))
		}
	}
}

// A good the learned economy leaves free falls to the floor price at once
// (free, in Next), or comes within a log unit of it by a step of the
// trust region. If a later round shows it in excess demand again (a
// pollutant whose emissions grow as production picks up), a climb from
// the floor at the trust region's pace takes dozens of rounds (from
// 10⁻¹¹: a log price 25 below where it was), and near the floor the
// learned economy barely responds to it: its equation's slope there is
// of the order of the δ that keeps its logarithm finite, and Newton may
// push it down, not up (a plan of late, capped and fixed-proportions
// councils, 15 × 60, seed 6, whose pollutant the learned economy took to
// the floor over three rounds, each showing it in excess demand, stayed
// at the floor with 30% more emitted than allowed from round 5 to 40).
// fell keeps, per good, the highest log price (relative to the
// numéraire's) of the last three rounds before it fell; such a good
// returns there in one round.

// noteFall records that good j falls to (or near) the floor from the last
// round.
func (l *Rule) noteFall(j int, lo float64) {
	if len(l.fell) != len(l.x) {
		l.fell = make([]float64, len(l.x))
		for i := range l.fell {
			l.fell[i] = math.NaN()
		}
	}
	if l.x[j] <= lo+1 {
		return
	}
	num := l.m.plan.Numeraire
	v := l.x[j] - l.x[num]
	if l.nSeen >= 2 {
		v = maxOf(v, l.xPrev[j]-l.xPrev[num])
	}
	if l.nSeen >= 3 {
		v = maxOf(v, l.xPrev2[j]-l.xPrev2[num])
	}
	l.fell[j] = v
}

// rise returns every good at the floor that round r shows in excess
// demand to the log price from which it fell.
func (l *Rule) rise(r *planning.Round, lo float64) {
	num := l.m.plan.Numeraire
	for j, v := range l.fell {
		if math.IsNaN(v) || l.x[j] > lo+1 {
			continue
		}
		if r.Demand[j] > r.Supply[j] {
			l.next[j] = maxOf(l.next[j], v+l.x[num])
			l.fell[j] = math.NaN()
		}
	}
}

// rayMemo holds sameRay(pr, prev) for one council's proposals, which
// Rule.observe asks of up to three readers (lateRepeat, sameMix and
// lagFit.observe): worked out at the first ask, then remembered.
type rayMemo struct {
	pr, prev    *planning.Proposal
	known, same bool
}

// of returns sameRay(pr, prev), from the memo if it is of these two
// proposals (r may be nil).
func (r *rayMemo) of(pr, prev *planning.Proposal) bool {
	if r == nil || r.pr != pr || r.prev != prev {
		return sameRay(pr, prev)
	}
	if !r.known {
		r.same, r.known = sameRay(pr, prev), true
	}
	return r.same
}

// sameRay reports whether a worker's proposal pr is its standing proposal
// prev scaled, every line by the same factor (to 1e-9). A council that
// substitutes (any smooth technology of the fitted kinds) changes the mix
// of its inputs when prices move, and the identity of lag.go reads from
// how far that mix moved how far it moved in the round; one with fixed
// proportions keeps the mix, its input share of net output value moves
// with the prices instead, and read by the identity it looks like a
// council that moves a tenth of the way. A proposal on the ray of the one
// before teaches nothing of λ, nor does the same proposal again (a
// council that answers late repeats its first answer in round 1, and
// read by the identity it looks like one that did not move at all).
// (Not for a council that rounds: its figures are not exact enough to
// tell, and it repeats a proposal whenever its answer moves less than
// its last figure; lag.go asks.)
func sameRay(pr, prev *planning.Proposal) bool {
	if prev == nil || !sameLines(pr.Out, prev.Out) || !sameLines(pr.In, prev.In) {
		return false
	}
	k := math.NaN()
	for _, side := range [2][2][]planning.Line{{pr.Out, prev.Out}, {pr.In, prev.In}} {
		for i, l := range side[0] {
			q0 := side[1][i].Qty
			if q0 <= 0 || l.Qty <= 0 {
				if q0 != l.Qty {
					return false
				}
				continue
			}
			f := l.Qty / q0
			if math.IsNaN(k) {
				k = f
			} else if math.Abs(f-k) > 1e-9*k {
				return false
			}
		}
	}
	return !math.IsNaN(k)
}
