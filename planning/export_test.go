package planning

// Stats returns a learning rule's solver statistics (tests only).
func Stats(r Rule) (newton, gmres, calls int, fallbacks int) {
	l := r.(*Learning)
	return l.s.total, l.s.kIters, l.s.kCalls, l.Fallbacks
}

// ForceKrylov makes a learning rule's solver use GMRES at any size.
func ForceKrylov(r Rule) { r.(*Learning).forceKrylov = true }
