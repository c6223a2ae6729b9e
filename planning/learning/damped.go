package learning

import "math"

// dampCaps are the returns to scale, lower and lower, that solveDamped
// caps the fitted workers' at when the learned economy cannot be solved,
// and dampStep the largest change of a log price it steps towards the
// stiffer economy's equilibrium: a tâtonnement step's (fallback) at
// most, since the stiffer economy is not the one the councils showed.
// (At 15 × 60 and 40 × 200, CES workers from last year's prices, steps of
// 0.5 and 2 took as many rounds as 1, give or take two.)
var dampCaps = [...]float64{0.8, 0.6, 0.4}

const dampStep = 1.0

// pathTrust is the least share τ of the way along its homotopy (the
// learned economy's excess demands (1 − τ) times the last round's) that
// a failed solve must have come for the rule to step towards where it
// stopped, by at most dampStep, when neither a stiffer economy
// (solveDamped) nor the supplied markets (partial) can be solved: a
// tâtonnement step (fallback) ignores everything the fits know. A
// learned economy whose homotopy folds short of the end (a good of
// fixed supply that fixed-proportions workers draw on, its price
// several times too low, the solve stopping at τ 0.9 round after round) was
// left to tâtonnement for seven rounds, its price rising by a third a
// round: 18 rounds to 3% for 11 now (15 × 60, seed 12, CES consumers).
// Tried first, before solveDamped, and at τ 0.5 or 0.95, or with steps
// of 0.5 or 2: no better over the unseen behaviours' table.
const pathTrust = 0.8

// solveDamped returns, when the learned economy cannot be solved, the
// equilibrium of a stiffer one: the same fits with every worker's
// returns to scale capped (dampCaps, in turn) where the rule extrapolates
// its answer, so that no worker's supply moves by more than 1/(1 − cap)
// times the change of its unit value. A fit learned at prices far from
// the equilibrium (a CES worker at last year's Cobb–Douglas prices
// planning absurd quantities, others nothing) extrapolates by as much as
// 1/(1 − maxB) = 200, and the economy it makes can have no equilibrium
// Newton finds; the stiffer economy's equilibrium is a step in the same
// direction, shorter where the fits are least to be trusted, and the next
// round's proposals, nearer the equilibrium, teach the fits again. It
// reports false if none of the stiffer economies can be solved either.
func (l *Rule) solveDamped(x0 []float64) ([]float64, bool) {
	// The economy the rule aims at (see Next): full budgets, the
	// councils' answers rather than their partial steps.
	m := l.m
	m.fullSpend = true
	lagged := len(m.parts) > 0
	if lagged {
		m.setLag(false)
	}
	defer func() {
		l.capWorkers(maxB)
		if lagged {
			m.setLag(true)
		}
		m.fullSpend = false
	}()
	for _, c := range dampCaps {
		l.capWorkers(c)
		if _, ok := l.solveCommons(x0); ok {
			return l.shorten(append([]float64(nil), l.s.x...), dampStep), true
		}
	}
	return nil, false
}

// capWorkers sets every fitted worker's extrapolated returns to scale to
// its own, capped at c, and drops the fitted economy's cached passes.
func (l *Rule) capWorkers(c float64) {
	m := l.m
	for _, k := range m.workers {
		if w := m.wf[k]; w != nil {
			w.bE = minOf(w.b, c)
		}
	}
	m.wOK, m.gradsOK, m.flat.ok = false, false, false
}

// resume keeps the trust region across rounds in which the learned
// economy cannot be solved. Their steps (partial, solveDamped, fallback)
// are not the learned economy's, and judge shrinks the region when its
// predictions of them fail, as it must to calm a tâtonnement that swings;
// but once the learned economy can be solved again, its step is judged
// afresh, from the region it had when it last chose one.
func (l *Rule) resume(solved bool) {
	switch {
	case !solved && !l.failing:
		l.failing, l.modelRadius = true, l.radius
	case solved && l.failing:
		l.failing = false
		l.radius = maxOf(l.radius, l.modelRadius)
	}
}

// shorten scales the step from the round's log prices to t, all prices
// alike, to at most d in any of them, in place, and returns t.
func (l *Rule) shorten(t []float64, d float64) []float64 {
	big := 0.0
	for j := range t {
		big = maxOf(big, math.Abs(t[j]-l.x[j]))
	}
	if big > d {
		for j := range t {
			t[j] = l.x[j] + d/big*(t[j]-l.x[j])
		}
	}
	return t
}
