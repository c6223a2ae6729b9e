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
		if j != l.m.plan.Numeraire && r.Supply[j] == 0 && r.Demand[j] > 0 {
			l.dry[j]++
		} else {
			l.dry[j] = 0
		}
	}
}

// climbDry raises the next log price of every good left unsupplied two
// rounds running by at least dryStep from the last, within hi.
func (l *Rule) climbDry(hi float64) {
	for j, n := range l.dry {
		if n >= 2 {
			l.next[j] = math.Max(l.next[j], math.Min(hi, l.x[j]+dryStep))
		}
	}
}
