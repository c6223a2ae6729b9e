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
// after 40 rounds, or plans running away, labour asked for 10²² times
// over). The board tells such a council in two ways, and fits its
// proposals at the prices of the round before (a consumer's at the
// budget its answer spent there), which they answer:
//
//   - It repeats (lateRepeat): the round after prices move, a late
//     council proposes its last answer again (a consumer's scaled to
//     its new budget), which no council that substitutes does on time,
//     even partway. The learned economy is then the one of the round
//     before for it, and the board aims where it aimed: after the first
//     leap the prices hold for a round, and the late councils answer
//     them (a late crowd of the reference councils: 3–4 rounds, where
//     it ran away).
//   - Its mix follows the round before's prices (lateObserve): whatever
//     its form, a council that substitutes shifts its mix of inputs (or
//     requests) against the goods whose prices rose relative to the
//     others, in the round the prices moved if it is on time and one
//     round later if it is late. Each round the board regresses u, the
//     change of the log mix of the council's lines (demeaned across
//     them; a worker's inputs only, where it has two or more: its
//     emissions follow its output), on a, the change of their log
//     prices (demeaned likewise) that round, and separately on b, the
//     change the round before, pooled over rounds with lateMemory (a
//     repeat left out), each round's sums weighed by 1/√Σu² of that
//     round: raw, the first rounds' leaps (Σu² of 10 and more) outweighed
//     the end's moves of 10⁻³ for dozens of rounds, and a late worker that
//     had answered on time in the first rounds (its late answer would
//     have made a loss) was never taken for late when its cobweb came
//     (unseen-mix, 40 × 200, seed 2: its supply swinging by ±4% a round
//     at price moves of 0.3%; late workers at 40 × 200, seed 2 CES,
//     never within 10⁻⁴). Each round weighed alike (1/Σu²) also read
//     the end's noise, and lost 10⁻³ on two mixed plans. The council is
//     late where b explains u and a does not: a leaves more than
//     lateLeft of Σu² and b less than lateShare of what a leaves (from one round: less than lateSharp
//     of Σu²), for a council whose rounds have not shown it to move
//     only partway (its steps also answer the prices before); or, for
//     any council, b leaves less than lateExact of Σu² and a more than
//     lateExactLeft (a partial step, a move in quantities, is no exact
//     function of b in log mixes); or where its last two rounds were
//     each, alone, a clear case (clearRun), whatever the pooled sums and
//     lag.go say. It stays late until a explains u better than b and its
//     rounds are no longer clear cases.
//
// A council whose mix does not move (fixed proportions, one line) is
// never taken for late by its mix; it repeats only if its quantities
// do not move either (a worker) or its prices moved relative to one
// another (relMoved). While a tenth of the councils repeat, a prediction
// that misses keeps the trust region (judge): it failed for answers the
// board could only extrapolate, not for its step.

const (
	lateMemory = 0.9
	lateShare  = 0.02
	// lateLeft is the least share of Σu² a must leave. a and b are
	// often correlated (a step that partly reverses the one before), so
	// a late council's u is partly explained by a too: 0.7, as first
	// set, missed half the late councils of the 15 × 60 crowds.
	lateLeft = 0.2
	// lateMin is the least pooled uu from which the board judges: below
	// it the council barely moved. Each round adds its Σu² (the mix's
	// squared log changes) weighed by 1/√Σu², that is √Σu²: a round whose
	// lines moved by 1% adds about 0.01.
	lateMin = 1e-4
	// lateRounds is the least rounds pooled from which the board judges
	// by lateShare: one round cannot tell a council that answers late
	// from one still moving towards its answer to the round before,
	// unless b explains it all (lateSharp).
	lateRounds = 2
	// lateSharp is the largest share of Σu² b may leave for the board to
	// judge from fewer than lateRounds rounds.
	lateSharp = 1e-3
	// lateExact is the share of Σu² below which b's residual is exact
	// (rounding), and lateExactLeft the least share a must leave then.
	lateExact     = 1e-9
	lateExactLeft = 1e-6
	// lateTiny is the least Σu² of one round that the board reads.
	lateTiny = 1e-12
)

// lateShareWorker is lateShare for a worker council. A consumer's mix
// can follow the round before's prices on time, through its budget (the
// surplus of the round before: a consumer with subsistence needs shifts
// its mix with it; at 0.1 for consumers too, the subsistence golden took
// 1.4·10⁻⁴ in round 4 where it took 2·10⁻⁵); a worker's has no such path.
// At lateShare, a late worker whose late answer would lose, and which
// answers on time then, left b 7% of what a leaves and was never taken
// for late (100 × 1,000 mixed crowds: a cobweb of 5–10% a round on its
// good at the end).
const lateShareWorker = 0.1

// lateSpeed is the least λ̂ (lag.go) of a council the board takes for
// late by lateShare or lateSharp: below it the council's rounds have
// shown it to move only partway, and a partial step's mix follows the
// round before's prices too. (At 1, a late worker that answers on time
// where its late answer would lose, read by lag.go at λ̂ 0.95, was never
// taken for late: 100 × 1,000 mixed crowds, its supply swinging by 10%
// a round on price moves of 0.5% in a cobweb.)
const lateSpeed = 0.9

// whole reports whether council c's rounds have not shown it to move only
// partway, for the late tests: λ̂ ≥ lateSpeed, or exactly 1 for a council
// that rounds (a rounded answer reads as λ̂ a little below 1; with
// lateSpeed for them too, a warm round-to crowd, seed 4, ended at 0.044
// against its floor of 0.041, where it ended at 0.041).
func (l *Rule) whole(c int) bool {
	a := &l.m.adj[c]
	if a.quantum > 0 {
		return a.speed() == 1
	}
	return a.speed() >= lateSpeed
}

// lateFit holds the regressions of one council.
type lateFit struct {
	uu, ua, aa, ub, bb float64
	n                  int // rounds pooled
	// clearRun counts the rounds running in which the round alone was a
	// clear case: over three lines or more, b left less than lateSharp
	// of that round's Σu² and a more than lateLeft; over two, its slope
	// on b was its last round's and its slope on a was not. A late worker whose
	// late answer would have lost in the first rounds' leaps answered on
	// time then, and the pooled sums, which those leaps dominate, say
	// neither a nor b (each left 40–50% at 15 × 60 with three times the
	// pollution allowance, every council late, and the plan hovered at
	// 10⁻³); its rounds since, each alone, say b exactly.
	clearRun int
	// sa and sb are the slopes of a two-line council's last round on a
	// and on b (slopes says they are set), for clearRun.
	sa, sb float64
	slopes bool
	late   bool
	// rep says the council's fresh proposal repeated its last (lateRepeat).
	rep bool
}

// lateObserve updates council c's regressions from its fresh proposal pr
// and its standing proposal prev, with the rounds' log prices x (this
// round), x1 (the round before) and x2 (the one before that).
func (l *Rule) lateObserve(c int, pr, prev *planning.Proposal, x, x1, x2 []float64) {
	if len(l.late) != len(l.m.props) {
		l.late = make([]lateFit, len(l.m.props))
	}
	f := &l.late[c]
	if prev == nil || !sameLines(pr.In, prev.In) || len(pr.In) < 2 || f.rep {
		// A repeat (lateRepeat) says nothing of which round's change its
		// mix follows, and pooled, its zero change against the change of
		// the round before would hide how its other rounds followed it
		// (a late worker that answers on time the round its late answer
		// would lose repeats the round after).
		return
	}
	// A worker's emissions follow its output, not the mix of its
	// inputs: only its inputs are read, where it has two or more.
	poll := l.m.poll
	use := func(g int) bool { return true }
	if len(pr.Out) > 0 {
		k := 0
		for _, ln := range pr.In {
			if !poll[ln.Good] {
				k++
			}
		}
		if k >= 2 {
			use = func(g int) bool { return !poll[g] }
		}
	}
	n := 0
	var mu, ma, mb float64
	lu := l.lateLog[:0] // the log changes, computed once
	for i, ln := range pr.In {
		q, q0 := ln.Qty, prev.In[i].Qty
		if !use(ln.Good) {
			lu = append(lu, 0)
			continue
		}
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
		if !use(j) {
			continue
		}
		u := lu[i] - mu
		a := x[j] - x1[j] - ma
		b := x1[j] - x2[j] - mb
		uu += u * u
		ua += u * a
		aa += a * a
		ub += u * b
		bb += b * b
	}
	if !finite(uu+ua+aa+ub+bb) || !(uu > lateTiny) {
		return
	}
	// This round alone a clear case (see clearRun).
	clear := false
	switch {
	case n >= 3:
		clear = aa > 0 && bb > 0 && uu-ub*ub/bb < lateSharp*uu && uu-ua*ua/aa > lateLeft*uu
	case n == 2 && aa > 0 && bb > 0:
		// Two lines: one degree of freedom, any round fits each change
		// exactly, at its own slope. A council answers one round's prices
		// at the same slope round after round (its elasticity of
		// substitution): the round before's slope the same as at its
		// last round, this round's not.
		sa, sb := ua/aa, ub/bb
		clear = f.slopes && math.Abs(sb-f.sb) <= lateSharp*math.Abs(sb) && math.Abs(sa-f.sa) > lateLeft*math.Abs(sa)
		f.sa, f.sb, f.slopes = sa, sb, true
	}
	if clear {
		f.clearRun++
	} else {
		f.clearRun = 0
	}
	// A round's weight: 1/√Σu² (see above).
	w := 1 / math.Sqrt(uu)
	uu, ua, aa, ub, bb = uu*w, ua*w, aa*w, ub*w, bb*w
	f.uu = lateMemory*f.uu + uu
	f.ua = lateMemory*f.ua + ua
	f.aa = lateMemory*f.aa + aa
	f.ub = lateMemory*f.ub + ub
	f.bb = lateMemory*f.bb + bb
	f.n++
	if f.uu < lateMin || f.aa <= 0 || f.bb <= 0 {
		return
	}
	ra := f.uu - f.ua*f.ua/f.aa // residual of u on a
	rb := f.uu - f.ub*f.ub/f.bb // and on b
	was := f.late
	switch {
	case was:
		// Once late, until this round's change explains the mix better
		// than the round before's (a late worker whose late answer would
		// lose answers on time some rounds; one such round does not undo
		// what the others showed), or while its rounds are clear cases.
		f.late = ra >= rb || f.clearRun > 0
	case f.clearRun >= lateRounds:
		// The last rounds each a clear case on their own, whatever the
		// pooled sums say of the rounds before (see clearRun), and
		// whatever lag.go read of its speed: a late answer read as a
		// step from the last proposal looks like a partial one (λ̂ 0.64
		// for a late worker supplying most of one good of a 15 × 60 mix,
		// seed 6, CES consumers, whose cobweb kept that good at 1–3%),
		// but a partial step's mix is no exact function of the round
		// before's change.
		f.late = true
	case rb < lateExact*f.uu && ra > lateExactLeft*f.uu:
		// b alone accounts for the move to rounding, over every round
		// pooled, and a does not: late, whatever lag.go read of its
		// speed from answers paired with the wrong prices (a council
		// that moves partway answers this round's prices too, in
		// quantities, not log mixes, and b alone cannot account for it
		// so exactly).
		f.late = true
	case f.n < lateRounds:
		// From one round only a clear case: b alone accounts for the
		// move, as it does exactly for a late council of the fitted
		// forms.
		f.late = ra > lateLeft*f.uu && rb < lateSharp*f.uu && l.whole(c)
	default:
		share := lateShare
		if l.m.plan.Councils[c].Role == planning.Worker {
			share = lateShareWorker
		}
		f.late = ra > lateLeft*f.uu && rb < share*ra && l.whole(c)
	}
	if f.late && !was {
		if cf := l.m.cf[c]; cf != nil {
			// Its σ was read from answers paired with the wrong prices.
			cf.n = 0
		}
		// What lag.go learned of its speed came from answers paired
		// with the wrong prices (a late council's first two proposals
		// answer the same prices, and read as a council that did not
		// move): it starts again, as a council that answers in full.
		a := &l.m.adj[c]
		a.s1, a.su, a.suu, a.sy, a.suy, a.delta, a.noise = 0, 0, 0, 0, 0, 0, 0
		a.lam, a.informed, a.whole = 1, true, false
	}
}

// answeredNow reports whether worker c's proposal pr, though the council
// answers late, answers this round's prices p: a late council whose late
// answer would make a loss at p answers p instead (no council plans a
// loss), and fitted at the round before's prices that proposal reads as
// returns to scale and a speed it does not have (100 × 1,000 mixed
// crowds: a late worker of returns 0.9 read as b 0.78–0.92 and λ̂ 0.45,
// its supply swinging by a factor 3 on price moves of 4%). A worker
// spends the share b of its net output value on its inputs at the prices
// it answers (any technology of constant returns to scale, lag.go): the
// proposal answers the prices at which its input share is nearer the b
// lag.go read from the council's first proposal. (Nearer the b of its
// last fit instead, a fit misread once misreads the next: 15 × 60 late
// workers, one plan never reached 10⁻⁴.)
func (l *Rule) answeredNow(c int, role planning.Role, pr *planning.Proposal, p []float64) bool {
	if role != planning.Worker {
		return false
	}
	b := l.m.adj[c].b
	if !l.m.adj[c].haveB || !(b > 0) {
		return false
	}
	in0, net0 := workerValues(pr, l.m.poll, p)
	in1, net1 := workerValues(pr, l.m.poll, l.pPrev)
	if !(in0 > 0 && net0 > 0) {
		return false
	}
	if !(in1 > 0 && net1 > 0) {
		return true
	}
	return math.Abs(math.Log(in0/(net0*b))) < math.Abs(math.Log(in1/(net1*b)))
}

// isLate reports whether council c answers the round before's prices.
func (l *Rule) isLate(c int) bool {
	return c < len(l.late) && (l.late[c].late || l.late[c].rep)
}

// lateRepeat notes whether council c's fresh proposal pr repeats its
// standing proposal prev although prices moved: a worker's every line the
// same, a consumer's scaled to its new budget (two lines or more; a
// council that rounds repeats whenever its answer moves less than its
// last figure, and is not read). A council that substitutes, on time,
// moves its mix when prices move, even partway; one that answers late
// answers the same prices as last round, and so repeats its answer the
// round after prices first moved (and after any round in which they held).
// Such a proposal is fitted at the prices it answered, the round before's;
// the board learns nothing new from it, and the learned economy, the same
// as last round's, aims where it aimed: the prices hold for the round in
// which the council answers them. It holds one round: the next proposal
// that moves its mix is judged afresh. ray remembers sameRay(pr, prev).
func (l *Rule) lateRepeat(c int, role planning.Role, pr, prev *planning.Proposal, ray *rayMemo) {
	if prev == nil && len(l.late) != len(l.m.props) {
		return // nothing to repeat, and nothing noted yet
	}
	if len(l.late) != len(l.m.props) {
		l.late = make([]lateFit, len(l.m.props))
	}
	f := &l.late[c]
	f.rep = false
	if prev == nil || !ray.of(pr, prev) {
		return
	}
	switch role {
	case planning.Worker:
		if len(pr.Out) == 0 || !(pr.Out[0].Qty > 0) || pr.Out[0].Qty != prev.Out[0].Qty {
			return
		}
	case planning.Consumer:
		if len(pr.In) < 2 {
			return
		}
	}
	f.rep = l.relMoved(pr) && quantumOf(pr) == 0
}

// relMoved reports whether the prices of proposal pr's lines moved
// relative to one another from the round before to this one (by more
// than lagStill in log): where they did not (a step that moved every
// price alike, as the stall safeguard's sign steps often do), a council
// on time keeps its mix too.
func (l *Rule) relMoved(pr *planning.Proposal) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, side := range [2][]planning.Line{pr.Out, pr.In} {
		for _, ln := range side {
			d := l.x[ln.Good] - l.xPrev[ln.Good]
			lo, hi = minOf(lo, d), maxOf(hi, d)
		}
	}
	return hi-lo > lagStill
}

// repeats returns how many councils repeated their proposals in the
// last round (lateRepeat).
func (l *Rule) repeats() int {
	n := 0
	for c := range l.late {
		if l.late[c].rep {
			n++
		}
	}
	return n
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

// sameMix reports whether a fresh proposal pr of a council that does not
// round is its standing proposal prev scaled (sameRay, asked of the memo
// ray), a consumer's with
// two lines or more: it teaches nothing of λ. A consumer that answers
// late repeats its answer in round 1, scaled to its new budget, and read
// by lag_scaled.go it looks like one that did not move at all.
func sameMix(role planning.Role, a *lagFit, pr, prev *planning.Proposal, ray *rayMemo) bool {
	return role == planning.Consumer && a.quantum == 0 && len(pr.In) > 1 && ray.of(pr, prev)
}
