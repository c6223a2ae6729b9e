package learning

import "parecon/planning"

// Stats returns a learning rule's solver statistics (tests only).
func Stats(r planning.Rule) (newton, gmres, calls int, fallbacks int) {
	l := r.(*Rule)
	return l.s.total, l.s.kIters, l.s.kCalls, l.Fallbacks
}

// ForceKrylov makes a learning rule's solver use GMRES at any size.
func ForceKrylov(r planning.Rule) { r.(*Rule).forceKrylov = true }

// DiagState returns what TestStuckDiag logs of a learning rule: its trust
// region, fallbacks, whether it holds the best round's prices, the best
// gap, the rounded proposals counted and good j's floor (tests only).
func DiagState(r planning.Rule, j int) (radius float64, fallbacks int, holding bool, best float64, rounding int, floor float64) {
	l := r.(*Rule)
	if j < len(l.floor) {
		floor = l.floor[j]
	}
	return l.radius, l.Fallbacks, l.holding, l.bestGap, l.rounding, floor
}
