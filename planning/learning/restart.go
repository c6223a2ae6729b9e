package learning

// The learned economy of round 1, which the first step's prices make the
// most extreme of a plan, may not solve from those prices and yet solve
// from elsewhere. Round 0's step is taken on fits of one proposal per
// council, in a trust region at its widest, and where the councils do not
// answer as those fits say its prices can be far off: a worker with
// returns near constant (b 0.88) whose good the step made dear planned
// 2·10⁷ units, 98% of every worker's surplus, and every budget of the
// learned economy at round 1's prices was 18 times the round's (people-1,
// 300 × 900, seed 6, Cobb–Douglas consumers). Newton's steps there all
// pointed along raising every price against labour's, each shortened to a
// log unit and cut to a sixteenth by the line search; the homotopy ran out
// of iterations at its first stretch, every round after took a safe step,
// and the plan ended 40 rounds at a largest gap of 0.52. The same learned
// economy solves in 13–22 Newton iterations from any start a quarter of
// the way back to round 0's prices or further, where every council
// answered moderately.
//
// Only round 1's: tried at every round where the solve failed, the
// retries solved later rounds' economies of councils that move partway in
// proportion (lag_geo.go), whose safe steps served them better: 3% in
// 20.75 → 22.65 rounds on the means at 15 × 60 (22.15 with the step
// damped), 10⁻⁴ never within 40 on 23 → 32 of 48.

// restartBack lists how far back towards the round before's log prices
// solveBack starts its retries, in order.
var restartBack = [...]float64{0.5, 1}

// solveBack retries, in round 1 only, the solve of the round's learned
// economy, which failed from the round's prices, from log prices part of
// the way back from the round's (l.x) to round 0's (l.xPrev), the
// numéraire's held, and reports whether one of them solved it (the
// solution in l.s.x). Next then steps at most dampStep towards that
// solution, as towards a stiffer economy's: Newton did not reach it from
// the prices the councils last answered, and the whole step cost the
// 15 × 60 people-1 crowd 8.54 → 9.08 rounds and the unseen mix 9.77 →
// 10.17 on the means. A failed retry leaves the first solve's homotopy
// (pathX, pathTau) as it found it, for the safe steps.
func (l *Rule) solveBack(gap float64) bool {
	if l.nSeen != 2 {
		return false
	}
	num := l.m.plan.Numeraire
	tau, px := l.pathTau, append(l.back[:0], l.pathX...)
	l.back = px
	start := l.backX
	if len(start) != len(l.x) {
		start = make([]float64, len(l.x))
		l.backX = start
	}
	for _, a := range restartBack {
		for j := range start {
			start[j] = l.x[j] + a*(l.xPrev[j]-l.x[j])
		}
		d := l.x[num] - start[num]
		for j := range start {
			start[j] += d
		}
		if _, ok := l.solveShaped(start, gap); ok {
			return true
		}
	}
	l.pathTau = tau
	l.pathX = append(l.pathX[:0], px...)
	return false
}
