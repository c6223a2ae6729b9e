package learning

import (
	"math"

	"parecon/planning"
)

// This file holds what the learning rule learns of how far each council
// moves in a round: a council that adjusts only part of the way from its
// standing proposal x_{t−1} towards its answer x*_t at the round's prices
// proposes x_t = x_{t−1} + λ·(x*_t − x_{t−1}). The board estimates λ from
// identities that hold for any answer of the usual kinds, whatever its
// form, so it needs no model of the answer to do it:
//
//   - a consumer council's answer spends its budget B, so with P the cost
//     of x_{t−1} and C that of x_t at the round's prices,
//     C − P = λ·(B − P);
//   - a worker council's answer, for any technology with constant returns
//     to scale b (Cobb–Douglas, CES, ...), spends the share b of its net
//     output value on inputs: with A and Y the input value and net output
//     value of x_{t−1} at the round's prices and C, V those of x_t,
//     C − b·V = (1 − λ)·(A − b·Y), b read from its first proposal (a
//     council's first proposal is its answer).
//
// A consumer's step scaled down to its budget spends it whatever λ is;
// lag_scaled.go reads such a step against the council's fitted answer.
// Pooled over rounds by least squares, these give λ̂; the rule then fits
// the council's answers to the de-lagged proposals x_{t−1} + (x_t −
// x_{t−1})/λ̂, and predicts its next proposal as the partial adjustment it
// will be: (1 − λ̂)·x_t + λ̂·x*(p).

// lagMemory is the weight an older round keeps at each new one.
const lagMemory = 0.98

// lagPrior is the weight, in squared relative values, of the prior λ = 1:
// a round whose identity moves less than about its square root teaches
// little about λ.
const lagPrior = 1e-4

// lagSnap is the distance from 1 within which λ̂ is taken as 1: an answer
// rounded to a few figures looks like λ a little below 1.
const lagSnap = 0.03

// lagStill is the change of every log price below which a round teaches
// nothing about λ (its identities are of the order of the change, far
// below lagPrior's square root).
const lagStill = 1e-6

// lagSig is how many standard errors of its regression (from the
// council's rounding) 1 − λ̂ must be of a rounding council before the rule
// takes it to move partway.
const lagSig = 2.0

// answerTol is the largest |y| relative to |u| of an informative round's
// identity (see add) that reads as the council's exact answer: a
// proposal that spends what its answer spends to the precision of
// float64 arithmetic, which no partial step of such a round does.
const answerTol = 1e-9

// lagMin is the smallest λ̂ the rule believes.
const lagMin = 0.1

// lagFit is what the rule knows of one council's adjustment speed.
type lagFit struct {
	b     float64 // a worker's input share of net output value
	haveB bool
	// The pooled regression of u − v on u (see add): its sums, with the
	// older rounds' weights decayed by lagMemory, and its intercept δ.
	s1, su, suu, sy, suy float64
	delta                float64
	// Until a round has shown a partial step (moved: an informative
	// round whose identity alone reads a λ between lagMin and 1 −
	// lagSnap), the rounds whose proposal was the council's exact answer
	// (see answerTol) are also pooled apart in z1…zuy, decayed alike;
	// from that round on the regression leaves them out (unless the
	// council answers late). A council that moves partway answers in
	// full now and then (a worker whose step would fall below SB/SC =
	// 1), and such a round read before any partial step, while λ̂ is
	// still 1 and observe cannot tell it for a full answer, says λ = 1
	// as loudly as every later round says 0.3 (a CES worker of λ 0.32
	// read 0.83 after five rounds and 0.63 after seventeen, its good's
	// gap at 0.2 for ten of them). Later full answers are observe's to
	// tell.
	z1, zu, zuu, zy, zuy float64
	moved                bool
	// late says the rule has taken the council to answer late (late.go)
	// in some round: its full answers are not a partial mover's, and
	// the regression keeps them.
	late bool
	// noise is the running mean square of the regression's residuals (a
	// council whose answers are noisy): the prior λ = 1 weighs as much as
	// it asks.
	noise float64
	lam   float64 // λ̂ (0 before the first proposal: read as 1)
	// whole says the newest proposal is the council's answer itself,
	// not a partial step: a worker's partial step that would fall below
	// SB/SC = 1 is replaced by its answer.
	whole bool
	// informed says a round has taught λ̂ something (its identity moved
	// by more than lagPrior's square root); prior is the λ the
	// regression shrinks towards: the mean λ̂ of the informed councils
	// (1 while there are none).
	informed bool
	prior    float64
	// exact says one of the identities above has informed λ̂ (not only
	// the fitted answer of lag_scaled.go).
	exact bool
	// quantum is the relative resolution of the council's newest
	// proposal if it rounds (see quantumOf), else 0.
	quantum float64
	// amp is how many times its lines' rounding a rounding worker's
	// identity scatters by (0, read as 1, for a consumer or before such a
	// proposal): √((1 + (G² + E²)/N²)/2), G its outputs' value, E its
	// emissions', N = G − E the net value the identity weighs by b (its
	// inputs' rounding and the net value's, independent; 1 without
	// emissions). A thin margin (emissions that cost most of the outputs'
	// value) multiplies the rounding of every line, and a whole mover's
	// identities then scatter as a partial mover's would (a worker of b =
	// 0.9 whose emissions cost 93% of its price, at two figures, read λ̂
	// 0.44 and was de-lagged to 10⁵ times its demand).
	amp float64
	// strays counts the rounds in which a rounding worker read as
	// moving the whole way had its outputs, pooled over its rounds, move
	// as no answer of its figures can (strayTest); partial says strays
	// reached partialAfter: the council moves partway, whatever its
	// identities, too scattered by its rounding to show it, say.
	strays  int
	partial bool
	// see, sed, sdd and sn are strayTest's pooled sums.
	see, sed, sdd float64
	sn            int
	// geo is what the rule knows of whether the council moves in
	// proportion rather than in amount (lag_geo.go).
	geo geoFit
}

// partialAfter is how many rounds a rounding worker read as a whole mover
// must have strayed from its answer's move (strayTest) before the rule
// takes it to move partway: one round's reading of a few rounds can flip
// on a unit of a last figure. (Taking one round far beyond the scatter,
// sixteen times strayChi, for two put two of the tests' economies, seeds
// 1–3, past their bounds: people-0.5 seed 3 with CES consumers never
// within 1.25 times its floor in 40 rounds, people-1 seed 2 from its own
// last year 9 rounds for 8; though the 40 × 200 people-1 crowds came
// 1.2 rounds sooner.)
const partialAfter = 2

// speed returns λ̂, 1 until a proposal has been seen.
func (a *lagFit) speed() float64 {
	if a.lam == 0 {
		return 1
	}
	return a.lam
}

// priorSpeed returns the λ the council's regression shrinks towards.
func (a *lagFit) priorSpeed() float64 {
	if a.prior == 0 {
		return 1
	}
	return a.prior
}

// workerValues returns a worker proposal's input value and net output
// value (outputs less emissions) at prices p.
func workerValues(pr *planning.Proposal, poll []bool, p []float64) (in, net float64) {
	for _, l := range pr.Out {
		net += p[l.Good] * l.Qty
	}
	for _, l := range pr.In {
		v := p[l.Good] * l.Qty
		if poll[l.Good] {
			net -= v
		} else {
			in += v
		}
	}
	return in, net
}

// sameLines reports whether a and b name the same goods in the same order.
func sameLines(a, b []planning.Line) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Good != b[i].Good {
			return false
		}
	}
	return true
}

// observe updates λ̂ from the council's fresh proposal pr, its standing
// proposal before it prev (nil if none), the round's prices p and the
// council's budget (consumers); ray remembers sameRay of the two (nil:
// none).
func (a *lagFit) observe(role planning.Role, pr, prev *planning.Proposal, poll []bool, p []float64, budget float64, ray *rayMemo) {
	if role == planning.Worker {
		in, net := workerValues(pr, poll, p)
		if a.quantum > 0 && net > 0 {
			if g := planning.Value(pr.Out, p); g >= net {
				e := g - net
				a.amp = math.Sqrt((1 + (g*g+e*e)/(net*net)) / 2)
			}
		}
		if !a.haveB {
			// The first proposal with output is the answer, or a partial
			// step from nothing, which is the answer scaled: either way
			// its input share is b.
			if net > 0 && in > 0 {
				a.b, a.haveB = in/net, true
			}
			if a.lam == 0 {
				a.lam = 1
			}
			return
		}
		if prev == nil || !(net > 0) || !sameLines(pr.Out, prev.Out) || !sameLines(pr.In, prev.In) || (a.quantum == 0 && ray.of(pr, prev)) {
			return
		}
		pin, pnet := workerValues(prev, poll, p)
		s := maxOf(net, math.Abs(pnet))
		u := (pin - a.b*pnet) / s
		v := (in - a.b*net) / s
		a.whole = false
		if lam := a.speed(); lam < 1 && u*u > lagPrior && math.Abs(v-a.delta) < 0.2*(1-lam)*math.Abs(u) {
			// The identity of the answer itself, where a partial step
			// would have left a clear trace: the council answered in
			// full this round (or, rarely, happened to).
			a.whole = true
			return
		}
		a.add(u, u-v) // λ·u = u − v
		a.exact = a.exact || u*u > lagPrior
		if u*u > lagPrior {
			a.observeGeo(role, pr, prev, poll, p, budget, u, (u-v)/u)
			if a.geo.on {
				a.lam = a.geoSpeed()
			}
		}
		return
	}
	if prev == nil || !(budget > 0) || !sameLines(pr.In, prev.In) {
		a.lam = a.speed()
		return
	}
	c, pc := planning.Value(pr.In, p), planning.Value(prev.In, p)
	if pc >= budget*(1-1e-6) {
		// The partial step would cost more than the budget and is
		// scaled down to it: it spends the budget whatever λ is.
		return
	}
	u := (budget - pc) / budget
	a.add(u, (c-pc)/budget)
	a.exact = a.exact || u*u > lagPrior
	if u*u > lagPrior {
		a.observeGeo(role, pr, prev, poll, p, budget, u, (c-pc)/budget/u)
		if a.geo.on {
			a.lam = a.geoSpeed()
		}
	}
}

// add pools one round's identity λ·u = v and re-estimates λ̂. A council
// that rounds its quantities (a consumer's requests down, a worker's
// outputs down and inputs up) adds a bias of its own: the identity is
// u − v = (1 − λ)·u + δ, with δ of the order of its rounding whatever u
// is. The regression fits both, by least squares with ridges: δ is
// shrunk towards 0 as much as one round's u counts, 1 − λ towards 0 (λ =
// 1) by lagPrior and by as much as the council's noise (the residuals'
// running mean square) asks, so a round far from the last (a large u)
// teaches λ and a near one teaches δ.
func (a *lagFit) add(u, v float64) {
	y := u - v
	if !finite(u) || !finite(y) {
		return
	}
	if a.lam != 0 {
		r := y - (1-a.lam)*u - a.delta
		a.noise = lagMemory*a.noise + (1-lagMemory)*r*r
	}
	if u*u > lagPrior {
		a.informed = true
	}
	exact := u*u > lagPrior && math.Abs(y) <= answerTol*math.Abs(u)
	if k := y / u; !a.moved && u*u > lagPrior && !exact && k > lagSnap && k < 1-lagMin {
		a.moved = true
	}
	a.s1, a.su, a.suu = lagMemory*a.s1, lagMemory*a.su, lagMemory*a.suu
	a.sy, a.suy = lagMemory*a.sy, lagMemory*a.suy
	a.z1, a.zu, a.zuu = lagMemory*a.z1, lagMemory*a.zu, lagMemory*a.zuu
	a.zy, a.zuy = lagMemory*a.zy, lagMemory*a.zuy
	if exact && !a.moved {
		a.z1, a.zu, a.zuu, a.zy, a.zuy = a.z1+1, a.zu+u, a.zuu+u*u, a.zy+y, a.zuy+u*y
	}
	a.s1, a.su, a.suu, a.sy, a.suy = a.s1+1, a.su+u, a.suu+u*u, a.sy+y, a.suy+u*y
	s1, su, suu, sy, suy := a.s1, a.su, a.suu, a.sy, a.suy
	if a.moved && !a.late && a.z1 > 0 {
		s1, su, suu, sy, suy = s1-a.z1, su-a.zu, suu-a.zuu, sy-a.zy, suy-a.zuy
	}
	// [suu+τk, su; su, s1+τd]·[k; δ] = [suy; sy]
	// A council that rounds scatters its identities by about its
	// resolution q however it moves (a uniform error of q has variance
	// q²/12): that much noise it has at least.
	qn := a.roundNoise()
	tk := maxOf(lagPrior, 16*maxOf(a.noise, qn))
	const td = 1
	a11, a12, a22 := suu+tk, su, s1+td
	det := a11*a22 - a12*a12
	k0 := 1 - a.priorSpeed()
	b1 := suy + tk*k0
	k := (b1*a22 - a12*sy) / det
	a.delta = (a11*sy - a12*b1) / det
	lam := 1 - k
	if math.Abs(lam-1) < lagSnap || lam > 1 || !finite(lam) {
		lam = 1
	}
	if a.quantum > 0 && k < lagSig*math.Sqrt(maxOf(a.noise, qn)*a22/det) {
		// A council that rounds moves partway only where its rounds
		// show it beyond their rounding's scatter: its identities'
		// errors, of the order of its resolution, read as a λ̂ of
		// 0.9 (half the councils of a crowd that only rounds, each
		// then de-lagged and predicted as a partial mover).
		lam = 1
	}
	a.lam = maxOf(lagMin, lam)
}

// roundNoise returns the variance the council's rounding adds to each of
// its identities: a uniform error of its resolution, times amp.
func (a *lagFit) roundNoise() float64 {
	q := a.quantum * maxOf(1, a.amp)
	return q * q / 12
}

// delag returns the answer the council's proposal pr stands for, given its
// standing proposal prev before it: prev + (pr − prev)/λ̂ line by line, no
// line below a twentieth of pr's. A consumer council whose partial step
// would have cost more than its budget (prev costs more than it at the
// round's prices p) scaled it down by s = budget/((1−λ̂)·P + λ̂·budget),
// which the de-lagging undoes first. It writes into dst and returns it, or
// returns pr itself if λ̂ is 1.
func (a *lagFit) delag(role planning.Role, pr, prev *planning.Proposal, p []float64, budget float64, dst *planning.Proposal) *planning.Proposal {
	lam := a.speed()
	if lam == 1 || a.whole || prev == nil || !sameLines(pr.Out, prev.Out) || !sameLines(pr.In, prev.In) {
		return pr
	}
	unscale := 1.0
	if role == planning.Consumer {
		if pc := planning.Value(prev.In, p); pc > budget && budget > 0 {
			unscale = ((1-lam)*pc + lam*budget) / budget
		}
	}
	f := func(dst, x, x0 []planning.Line) []planning.Line {
		dst = dst[:0]
		for i, l := range x {
			q := x0[i].Qty + (l.Qty*unscale-x0[i].Qty)/lam
			if a.geo.on {
				q = geoStep(x0[i].Qty, l.Qty*unscale, 1/lam)
			}
			dst = append(dst, planning.Line{Good: l.Good, Qty: maxOf(q, l.Qty/20)})
		}
		return dst
	}
	dst.Out = f(dst.Out, pr.Out, prev.Out)
	dst.In = f(dst.In, pr.In, prev.In)
	if a.geo.on {
		a.geo.setEff(lam, pr, dst, p)
	}
	return dst
}

// maxFigures is the most significant figures the rule recognises as
// rounding: a quantity written with at most this many is taken as rounded.
const maxFigures = 4

// figures returns the significant figures x > 0 is written with, if it is
// a decimal of at most maxFigures of them (within a float64's precision),
// else 0.
//
// A decimal of n figures is one of n+1 too, so a quantity that is not one
// of maxFigures is told by one test: most proposals do not round, and
// the rule reads every one each round.
func figures(x float64) int {
	if !(x > 0) || math.IsInf(x, 0) {
		return 0
	}
	e := decExp(x)
	if !decimal(x, maxFigures, e) {
		return 0
	}
	for n := 1; n < maxFigures; n++ {
		if decimal(x, n, e) {
			return n
		}
	}
	return maxFigures
}

// decimal reports whether x, of decimal exponent e, is written with n
// significant figures, within a float64's precision.
func decimal(x float64, n int, e float64) bool {
	m := x * pow10(float64(n-1)-e)
	return math.Abs(m-math.Round(m)) <= 1e-9*m
}

// quantumOf returns the relative resolution of a proposal that rounds its
// quantities to n significant figures, 10^(1−n) (the largest relative
// change rounding makes), or 0 if its quantities are not all rounded. It
// looks at the first line first: a proposal that does not round is told
// by it alone.
func quantumOf(pr *planning.Proposal) float64 {
	n := 0
	for _, side := range [2][]planning.Line{pr.Out, pr.In} {
		for _, l := range side {
			if l.Qty == 0 {
				continue
			}
			k := figures(l.Qty)
			if k == 0 {
				return 0
			}
			n = max(n, k)
		}
	}
	if n == 0 {
		return 0
	}
	return pow10(float64(1 - n))
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// unround returns the midpoints of what a proposal pr rounded to the
// relative resolution q (n = 1 − log₁₀ q significant figures) stands for:
// rounding as the spec has councils round it (a consumer's requests and a
// worker's outputs down, a worker's inputs and emissions up) leaves each
// quantity within one unit u of its last figure of the council's answer,
// and the midpoint is half a unit off: x + u/2 for a line rounded down,
// x − u/2 for one rounded up. Left as they are, a worker's inputs read up
// and its outputs down bias its returns to scale upwards (by about 4% at
// 2 figures), and a worker of returns near 1 answers a price by a power
// 1/(1 − b) of it. It writes into dst and returns it.
func unround(pr *planning.Proposal, q float64, role planning.Role, dst *planning.Proposal) *planning.Proposal {
	n := math.Round(1 - math.Log10(q))
	// mid moves each line half a unit: up (sign 1) for one rounded down.
	mid := func(dst, x []planning.Line, sign float64) []planning.Line {
		dst = dst[:0]
		for _, l := range x {
			v := l.Qty
			if v > 0 {
				v += sign * pow10(math.Floor(math.Log10(v))-n+1) / 2
			}
			dst = append(dst, planning.Line{Good: l.Good, Qty: v})
		}
		return dst
	}
	in := 1.0
	if role == planning.Worker {
		in = -1
	}
	dst.Out = mid(dst.Out, pr.Out, 1)
	dst.In = mid(dst.In, pr.In, in)
	return dst
}
