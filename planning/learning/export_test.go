package learning

import "parecon/planning"

// Stats returns a learning rule's solver statistics (tests only).
func Stats(r planning.Rule) (newton, gmres, calls int, fallbacks int) {
	l := r.(*Rule)
	return l.s.total, l.s.kIters, l.s.kCalls, l.Fallbacks
}

// ForceKrylov makes a learning rule's solver use GMRES at any size.
func ForceKrylov(r planning.Rule) { r.(*Rule).forceKrylov = true }
