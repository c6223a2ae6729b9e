package learning

import (
	"math"

	"parecon/planning"
)

// Councils that answer late. A council that meets before the prices are
// out answers the round before's prices: its proposal in round t is its
// answer at p_{t−1} (a consumer's scaled to its budget at p_t). Fitted at
// p_t, its answers read as a response to prices it never saw, and a plan
// of such councils swings like a cobweb (15 × 60 crowds: gaps of 0.08–0.58
// after 40 rounds). The board tells such a council from how the mix of
// its proposal moves: whatever its form, a council that substitutes
// shifts its mix of inputs (or requests) against the goods whose prices
// rose relative to the others, in the round the prices moved if it is on
// time and one round later if it is late. Each round the board regresses
// u, the change of the log mix of the council's lines (demeaned across
// them), on a, the change of their log prices (demeaned likewise) that
// round, and separately on b, the change the round before, pooled over
// rounds with lateMemory; where, over at least lateRounds rounds, b
// explains u and a does not (a leaves more than 70% of Σu², b less than
// lateShare of what a leaves), the council is late (not one whose rounds
// have shown it to move only partway: its steps also answer the prices
// before), and the board fits its
// proposals at the prices of the round before (and a consumer's at the
// budget its answer spent there), which they answer. A council whose mix
// does not move (fixed proportions, one line) is never taken for late.

const (
	lateMemory = 0.9
	lateShare  = 0.02
	// lateMin is the least pooled Σu² (the mix's squared log changes)
	// from which the board judges: below it the council barely moved.
	lateMin = 1e-4
	// lateRounds is the least rounds pooled from which the board
	// judges: one round cannot tell a council that answers late from
	// one still moving towards its answer to the round before.
	lateRounds = 2
)

// lateFit holds the regressions of one council.
type lateFit struct {
	uu, ua, aa, ub, bb float64
	n                  int // rounds pooled
	late               bool
}

// lateObserve updates council c's regressions from its fresh proposal pr
// and its standing proposal prev, with the rounds' log prices x (this
// round), x1 (the round before) and x2 (the one before that).
func (l *Rule) lateObserve(c int, pr, prev *planning.Proposal, x, x1, x2 []float64) {
	if len(l.late) != len(l.m.props) {
		l.late = make([]lateFit, len(l.m.props))
	}
	f := &l.late[c]
	if prev == nil || !sameLines(pr.In, prev.In) || len(pr.In) < 2 {
		return
	}
	n := 0
	var mu, ma, mb float64
	lu := l.lateLog[:0] // the log changes, computed once
	for i, ln := range pr.In {
		q, q0 := ln.Qty, prev.In[i].Qty
		if !(q > 0) || !(q0 > 0) {
			l.lateLog = lu
			return
		}
		j := ln.Good
		d := math.Log(q / q0)
		lu = append(lu, d)
		mu += d
		ma += x[j] - x1[j]
		mb += x1[j] - x2[j]
		n++
	}
	l.lateLog = lu
	fn := float64(n)
	mu, ma, mb = mu/fn, ma/fn, mb/fn
	var uu, ua, aa, ub, bb float64
	for i, ln := range pr.In {
		j := ln.Good
		u := lu[i] - mu
		a := x[j] - x1[j] - ma
		b := x1[j] - x2[j] - mb
		uu += u * u
		ua += u * a
		aa += a * a
		ub += u * b
		bb += b * b
	}
	if !finite(uu + ua + aa + ub + bb) {
		return
	}
	f.uu = lateMemory*f.uu + uu
	f.ua = lateMemory*f.ua + ua
	f.aa = lateMemory*f.aa + aa
	f.ub = lateMemory*f.ub + ub
	f.bb = lateMemory*f.bb + bb
	f.n++
	if f.n < lateRounds || f.uu < lateMin || f.aa <= 0 || f.bb <= 0 {
		return
	}
	ra := f.uu - f.ua*f.ua/f.aa // residual of u on a
	rb := f.uu - f.ub*f.ub/f.bb // and on b
	was := f.late
	f.late = ra > 0.7*f.uu && rb < lateShare*ra && l.m.adj[c].speed() == 1
	if f.late && !was {
		// What lag.go learned of its speed came from answers paired
		// with the wrong prices (a late council's first two proposals
		// answer the same prices, and read as a council that did not
		// move): it starts again, as a council that answers in full.
		a := &l.m.adj[c]
		a.s1, a.su, a.suu, a.sy, a.suy, a.delta, a.noise = 0, 0, 0, 0, 0, 0, 0
		a.lam, a.informed, a.whole = 1, true, false
	}
}

// isLate reports whether council c answers the round before's prices.
func (l *Rule) isLate(c int) bool {
	return c < len(l.late) && l.late[c].late
}

// lates returns how many councils the rule takes to answer late.
func (l *Rule) lates() int {
	n := 0
	for c := range l.late {
		if l.late[c].late {
			n++
		}
	}
	return n
}
