package learning

import (
	"fmt"
	"math"

	"parecon/planning"
)

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

// DiagMore returns more of a learning rule's state for the unseen
// diagnostics (tests only): whether the last solve failed, the stall
// safeguard is on, the last miss, the shaped workers, the predicted gap
// of good j, and the number of stuck goods.
func DiagMore(r planning.Rule, j int) (failing, stallOn bool, miss float64, shaped int, pred float64, stuck int) {
	l := r.(*Rule)
	for _, w := range l.m.wf {
		if w != nil && w.shape.on {
			shaped++
		}
	}
	for _, n := range l.stuck {
		if n >= stuckRounds {
			stuck++
		}
	}
	if j < len(l.pred) {
		pred = l.pred[j]
	}
	return l.failing, l.stall.on, l.miss, shaped, pred, stuck
}

// DiagShapes describes the fits of the workers whose first output is
// good j (tests only): λ̂, b, and the shape's on, gross, ε, γ, σ and Σz².
func DiagShapes(r planning.Rule, j int) string {
	l := r.(*Rule)
	s := ""
	for c, w := range l.m.wf {
		if w == nil || len(w.out) == 0 || w.out[0] != j {
			continue
		}
		t := &w.shape
		if c < len(l.late) {
			f := &l.late[c]
			ra, rb := math.NaN(), math.NaN()
			if f.aa > 0 && f.bb > 0 {
				ra, rb = (f.uu-f.ua*f.ua/f.aa)/f.uu, (f.uu-f.ub*f.ub/f.bb)/f.uu
			}
			s += fmt.Sprintf(" {late uu %.3g n %d ra %.3g rb %.3g rep %v}", f.uu, f.n, ra, rb, f.rep)
		}
		s += fmt.Sprintf(" [c%d late %v lam %.3g b %.3g idle %v on %v gross %v eps %.3g gam %.3g sig %.3g zz %.3g y %.3g errSh %.3g errG %.3g errCD %.3g wins %d need %d est %v]", c, l.isLate(c), w.lam, w.b, w.idle, t.on, t.gross, t.eps, t.gam, t.sigma, t.zz, math.Exp(w.ly), t.errShape, t.errGross, t.errCD, t.wins, t.need, t.est)
	}
	return s
}

// DiagLag returns what a learning rule knows of council c's adjustment
// speed (tests only): λ̂, its resolution, whether its newest proposal was
// read as its answer, informed, exact and the prior.
func DiagLag(r planning.Rule, c int) (lam, quantum float64, whole, informed, exact bool, prior float64) {
	l := r.(*Rule)
	if l.m == nil || c >= len(l.m.adj) {
		return
	}
	a := &l.m.adj[c]
	return a.speed(), a.quantum, a.whole, a.informed, a.exact, a.priorSpeed()
}

// DiagPred returns the signed gap the rule predicted for good j of the
// round it opened last (tests only).
func DiagPred(r planning.Rule, j int) float64 {
	l := r.(*Rule)
	if j < len(l.pred) {
		return l.pred[j]
	}
	return math.NaN()
}

// DiagPartial reports whether a learning rule takes council c for a
// rounding worker that moves partway (strayTest; tests only).
func DiagPartial(r planning.Rule, c int) bool {
	l := r.(*Rule)
	return l.m != nil && c < len(l.m.adj) && l.m.adj[c].partial
}

// DiagSolve solves the learned economy afresh from the round's log prices
// (tests only; it disturbs the rule's scratch, not its learned state) and
// describes how far it got and its largest residuals: per good, its
// fitted suppliers, those predicted to make something there, shaped, idle.
func DiagSolve(r planning.Rule) string {
	l := r.(*Rule)
	m := l.m
	m.fullSpend = true
	x0 := append([]float64(nil), l.x...)
	mx, ok := l.solveCommons(x0)
	tau := l.s.tau
	m.eval(l.s.x, false, 0)
	s := fmt.Sprintf("solve ok %v mx %.3g tau %.3g iters %d:", ok, mx, tau, l.s.iters)
	type gr struct {
		j int
		r float64
	}
	var top []gr
	for j := range m.p {
		top = append(top, gr{j, m.rel(j)})
	}
	for i := 0; i < len(top); i++ {
		for k := i + 1; k < len(top); k++ {
			if math.Abs(top[k].r) > math.Abs(top[i].r) {
				top[i], top[k] = top[k], top[i]
			}
		}
		if i == 4 {
			break
		}
	}
	for _, g := range top[:5] {
		nf, npos, nsh, nidle := 0, 0, 0, 0
		for _, c := range m.workers {
			w := m.wf[c]
			if w == nil || len(w.out) == 0 || w.out[0] != g.j {
				continue
			}
			nf++
			if w.y > 0 {
				npos++
			}
			if w.shape.on {
				nsh++
			}
			if w.idle {
				nidle++
			}
		}
		s += fmt.Sprintf(" [g%d rel %.3g dp %.3g sup %.3g dem %.3g fits %d pos %d shaped %d idle %d]", g.j, g.r, l.s.x[g.j]-l.x[g.j], m.supV[g.j], m.demV[g.j], nf, npos, nsh, nidle)
	}
	m.fullSpend = false
	m.wOK, m.gradsOK, m.flat.ok = false, false, false
	return s
}

// DiagStep returns the largest log-price change of the rule's last step.
func DiagStep(r planning.Rule) float64 { return r.(*Rule).step }
