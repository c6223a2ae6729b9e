package learning

import (
	"math"

	"parecon/planning"
)

// The stall safeguard: a step that does not depend on the fitted forms,
// for when the learned economy's predictions keep failing.
//
// Every fit is anchored at the councils' newest proposals, so the learned
// economy reproduces the last round whatever the councils' true forms, and
// its Jacobian is near the real one wherever their answers roughly follow
// the fitted forms. A council that answers nothing like them (fixed input
// proportions with an iso-elastic supply, making nothing at all while its
// margin is below 1) leaves the learned Jacobian wrong by more than the
// trust region can mend: each step misses, the region shrinks to its
// floor, and the plan freezes with a large gap (15 × 60,
// fixed-proportions: gap 1 after 40 rounds on every economy). The plan
// stalls when its largest gap, above stallGap, is no lower than
// stallShare of what it was stallRounds rounds before. The board then
// moves each price by a sign step of its own (a resilient tâtonnement):
// towards clearing its market, by a step that grows by stallUp while the
// good's excess keeps its sign and halves when it flips, never more than
// the good's |ln(demand/supply)|. It reads only the round's totals. Once
// the largest gap is below releaseGap, or the learned economy's prediction
// of the last round came true (judge's miss at most stallTrusted: it has
// learned how the councils answer, shape.go), the learned economy steers
// again, in a region of at least releaseRadius; nor does the plan stall
// while its last prediction came true. A plan whose predictions come
// true never stalls, so the reference councils never see the safeguard;
// nor does a plan with councils that answer late (late.go): a sign step
// chases their answers to old prices round after round (a cobweb; on the
// late crowds the safeguard took every plan to a gap of 1).

const (
	stallRounds   = 6
	stallShare    = 0.8
	stallGap      = 0.5
	releaseGap    = 0.01
	releaseRadius = 0.05
	stallInit     = 0.1
	stallUp       = 1.5
	stallMin      = 1e-9
	stallMax      = 1.0
	// stallTrusted is the miss (judge's) of a prediction that came true:
	// the learned economy steers again, and a plan whose last prediction
	// came true does not stall.
	stallTrusted = 0.2
)

// stall is the safeguard's state.
type stall struct {
	on        bool
	hist      []float64 // the largest gap of every round
	eta, sign []float64 // per good: its step, and the sign of its last
	fresh     bool      // eta must start again
}

// stallObserve engages or releases the safeguard after round r.
func (l *Rule) stallObserve(plan *planning.Plan, r *planning.Round) {
	sc := &l.stall
	sc.hist = append(sc.hist, r.MaxGap)
	trusted := l.judged && l.miss <= stallTrusted
	if sc.on && (r.MaxGap < releaseGap || trusted) {
		sc.on = false
		l.radius = maxOf(l.radius, releaseRadius)
	}
	k := len(sc.hist)
	if sc.on || trusted || r.MaxGap <= stallGap || k <= stallRounds || l.lates()*20 >= len(plan.Councils) {
		return
	}
	best := math.Inf(1)
	for _, g := range sc.hist[k-stallRounds:] {
		best = minOf(best, g)
	}
	if best >= stallShare*sc.hist[k-1-stallRounds] {
		sc.on, sc.fresh = true, true
	}
}

// stallTarget returns the log prices of the safeguard's step from round r,
// and false if it is off.
func (l *Rule) stallTarget(plan *planning.Plan, r *planning.Round) ([]float64, bool) {
	sc := &l.stall
	if !sc.on {
		return nil, false
	}
	n := len(l.x)
	if len(sc.eta) != n || sc.fresh {
		sc.eta = resize(sc.eta, n)
		sc.sign = resize(sc.sign, n)
		for j := range sc.eta {
			sc.eta[j], sc.sign[j] = stallInit, 0
		}
		sc.fresh = false
	}
	t := resize(l.blend, n)
	l.blend = t
	copy(t, l.x)
	for j := range t {
		d, s := r.Demand[j], r.Supply[j]
		if j == plan.Numeraire || d == s {
			continue
		}
		dir := 1.0
		if d < s {
			dir = -1
		}
		if dir*sc.sign[j] < 0 {
			sc.eta[j] = maxOf(stallMin, 0.5*sc.eta[j])
		} else if sc.sign[j] != 0 {
			sc.eta[j] = minOf(stallMax, stallUp*sc.eta[j])
		}
		sc.sign[j] = dir
		step := sc.eta[j]
		if d > 0 && s > 0 {
			step = minOf(step, math.Abs(math.Log(d/s)))
		}
		t[j] += dir * step
	}
	return t, true
}

// A market stuck far from clearing while the learned economy keeps
// predicting it near clear: a producer that makes nothing now (a worker
// with fixed input coefficients below its margin of 1) keeps the fit of
// when it did, and the learned economy counts on a supply that is not
// there (15 × 60 mixed crowds of councils that answer late and workers
// with fixed proportions: one good demanded 5,000 times what was
// supplied for 35 rounds while the trust region sat at its floor). The
// stall safeguard, which would move it, is not used while councils answer
// late. Per good, stuck counts the rounds running whose gap was above
// stuckGap, on the same side, while the rule had predicted it at least
// stuckMiss closer and moved its price by less than stuckStill in log; from
// stuckRounds such rounds on, the good's price moves towards clearing its
// market by at least dryStep a round in log, whatever the trust region
// (not while the stall safeguard is on: its sign steps move every price).
// A plan whose predictions come true never sees it. (With stuckGap 0.9
// one mixed crowd stayed at 0.88 for 30 rounds; at 0.5 the four mixed
// crowds end within 0.05 after 40 rounds, where three ended at 0.9–1.)
const (
	stuckGap    = 0.5
	stuckMiss   = 0.25
	stuckRounds = 3
	stuckStill  = 0.05
)

// stuckObserve updates l.stuck from round r and the prediction made for
// it.
func (l *Rule) stuckObserve(r *planning.Round) {
	if len(l.stuck) != len(r.Gap) {
		l.stuck = make([]int, len(r.Gap))
	}
	if len(l.stuckSign) != len(r.Gap) {
		l.stuckSign = make([]float64, len(r.Gap))
	}
	ok := l.predOK && l.lastN == r.Number
	for j, g := range r.Gap {
		sg := signedGap(r, j)
		if ok && j != l.m.plan.Numeraire && g > stuckGap && math.Abs(sg-l.pred[j]) > stuckMiss &&
			math.Abs(l.x[j]-l.xPrev[j]) < stuckStill && (l.stuck[j] == 0 || sg*l.stuckSign[j] > 0) {
			l.stuck[j]++
		} else {
			l.stuck[j] = 0
		}
		l.stuckSign[j] = sg
	}
}

// climbStuck moves the next log price of every stuck good towards
// clearing its market in round r by at least dryStep from the last,
// within lo and hi.
func (l *Rule) climbStuck(r *planning.Round, lo, hi float64) {
	if l.stall.on {
		return // its sign steps move every price already
	}
	for j, n := range l.stuck {
		if n < stuckRounds {
			continue
		}
		if r.Demand[j] > r.Supply[j] {
			l.next[j] = maxOf(l.next[j], minOf(hi, l.x[j]+dryStep))
		} else {
			l.next[j] = minOf(l.next[j], maxOf(lo, l.x[j]-dryStep))
		}
	}
}
