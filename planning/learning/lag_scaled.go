package learning

import (
	"math"

	"parecon/planning"
)

// This file learns how far a consumer council moves from a round whose
// partial step the budget identity of lag.go cannot read: a step that
// would cost more than the budget B is scaled down to it, so it spends B
// whatever λ is. Such rounds are the rule at the start of a cold plan,
// after the first leap of prices, and a rule that waits for an unscaled
// one loses the rounds in which knowing λ matters most.
//
// The scaled step is x = s·((1 − λ)·x_{t−1} + λ·x*), with x* the answer at
// the round's prices. In value shares of B (v for x, π for x_{t−1}, and
// f·w for x*, w the answer's budget shares and f the fraction it spends)
// that is v = k·π + c·f·w with k = s·(1 − λ), c = s·λ, and spending B
// says k·ρ + c·f = 1, ρ = P/B the cost of x_{t−1} over the budget. So
//
//	v − w = k·(π − ρ·w),
//
// one unknown k, read by least squares over the council's goods, and
// then c = (1 − k·ρ)/f and λ = c/(k + c).
//
// The answer's shares w are not known: the council's fit gives them at the
// prices of its last proposal, and how they move with prices depends on
// its elasticity σ, which a council's first rounds have not shown yet. To
// first order in the price changes, a partial step (k > 0) and a council
// that answers in full with σ < 1 tilt the shares alike; they differ in
// the higher orders, which a cold plan's first leap of prices shows well.
// So the rule fits both: w(σ) = the fit's shares moved with CES
// elasticity σ (each fitted by Gauss–Newton in ln σ from the fit's σ),
// and
//
//   - the council answering in full, v = w(σ), its best σ leaving the
//     residual R₀;
//   - a partial step, v − w(σ) = k·(π − ρ·w(σ)), its best σ and k leaving
//     R₁,
//
// and reads λ only where the partial step explains the step clearly better
// (R₀ > scaledSep·R₁) and well (R₁ at most scaledFit² of the fitted move's
// square, R₀ more than that: a full answer that misses by less is as good
// an account of the step). Otherwise the round teaches nothing of λ: a
// council that answered in full keeps the prior, and one whose answer has
// another form waits for an unscaled round (a Stone–Geary answer, a fixed
// bundle plus Cobb–Douglas shares of the rest, is itself much like a
// partial step from that bundle; the tolerances were set so that on the
// generated crowds of TestPeopleTable, 15 × 60 seeds 1–24, 100 × 1,000
// seeds 1–2 and 200 × 2,000 seed 1, no reference, substitution or
// subsistence plan takes a round more than without the read: ten times
// looser, a Stone–Geary plan of 200 goods took one more). The read
// enters the pooled regression of lag.go like any identity, weighted by
// the fitted move (the norm of π − ρ·w), and only until an identity of
// lag.go has informed λ̂ (those need no fit of the answer). It costs a
// few passes over the council's lines per Gauss–Newton step, in the
// rounds its steps are scaled (a cold plan's first two or three); a
// council whose step its fit already accounts for costs two. The rule
// reads only where Rule.ahead can aim at the least-squares point
// (catalogues up to lsValueMax).

// scaledLines is the fewest goods a scaled step must name to be read:
// the budget, the move and σ take three of its degrees of freedom, and the
// residuals that tell them apart need the rest.
const scaledLines = 4

// scaledFit is the largest residual of a partial step's least squares, as
// a share of the fitted move, for which observeScaled reads the round, and
// scaledSep how many times the residual of the full answer must exceed it.
const (
	scaledFit = 0.001
	scaledSep = 10000
)

// The range of σ the fits search (ln σ), and the Gauss–Newton steps.
const (
	scaledLnSigmaLo = -3.0 // σ ≈ 0.05
	scaledLnSigmaHi = 3.0  // σ ≈ 20
	scaledSteps     = 8
)

// scaledFitter holds one scaled step's value shares for observeScaled.
type scaledFitter struct {
	v, pi, lw, dx, w []float64
	rho              float64
}

// shares sets s.w to the fit's shares moved with elasticity e^ls.
func (s *scaledFitter) shares(ls float64) {
	e := 1 - math.Exp(ls)
	m := math.Inf(-1)
	for i := range s.w {
		w := s.lw[i] + e*s.dx[i]
		s.w[i] = w
		m = maxOf(m, w)
	}
	toShares(s.w, m)
}

// full returns R₀ at elasticity e^ls.
func (s *scaledFitter) full(ls float64) float64 {
	s.shares(ls)
	return s.residual()
}

// residual returns R₀ at the shares s.w.
func (s *scaledFitter) residual() float64 {
	r := 0.0
	for i, v := range s.v {
		d := v - s.w[i]
		r += d * d
	}
	return r
}

// slope returns k at the shares s.w.
func (s *scaledFitter) slope() float64 {
	var sxy, sxx float64
	for i, v := range s.v {
		d := s.pi[i] - s.rho*s.w[i]
		sxy += (v - s.w[i]) * d
		sxx += d * d
	}
	if !(sxx > 0) {
		return 0
	}
	return sxy / sxx
}

// partial returns R₁, k and the fitted move's square at elasticity e^ls.
func (s *scaledFitter) partial(ls float64) (res, k, sxx float64) {
	s.shares(ls)
	var sxy float64
	for i, v := range s.v {
		d := s.pi[i] - s.rho*s.w[i]
		sxy += (v - s.w[i]) * d
		sxx += d * d
	}
	if !(sxx > 0) {
		return math.Inf(1), 0, 0
	}
	k = sxy / sxx
	for i, v := range s.v {
		e := v - s.w[i] - k*(s.pi[i]-s.rho*s.w[i])
		res += e * e
	}
	return res, k, sxx
}

// fit returns the ln σ, from ls, that minimises R₀ (full) or R₁, by
// Gauss–Newton in ln σ (R₁'s k solved for at each σ: its residuals'
// derivative holds k at its least squares, k·ρ of w's change cancelling),
// and the residual there.
func (s *scaledFitter) fit(ls float64, full bool) (float64, float64) {
	res := func(ls float64) float64 {
		if full {
			return s.full(ls)
		}
		r, _, _ := s.partial(ls)
		return r
	}
	r := res(ls)
	for range scaledSteps {
		// At ls (s.w set by res): ∂w_i/∂ln σ = −σ·w_i·(dx_i − Σ w·dx).
		sigma, mean := math.Exp(ls), 0.0
		for i, w := range s.w {
			mean += w * s.dx[i]
		}
		k := 0.0
		if !full {
			k = s.slope()
		}
		// −∂e_i/∂ln σ, for R₁ less its part along π − ρ·w, which k
		// takes up (variable projection).
		var gd, dd float64
		if !full {
			for i, w := range s.w {
				d := s.pi[i] - s.rho*w
				gd += -sigma * w * (s.dx[i] - mean) * (1 - k*s.rho) * d
				dd += d * d
			}
		}
		proj := 0.0
		if dd > 0 {
			proj = gd / dd
		}
		var eg, gg float64
		for i, w := range s.w {
			g := -sigma * w * (s.dx[i] - mean) * (1 - k*s.rho)
			e := s.v[i] - w
			if !full {
				d := s.pi[i] - s.rho*w
				g -= proj * d
				e -= k * d
			}
			eg += e * g
			gg += g * g
		}
		if !(gg > 0) {
			break
		}
		step := maxOf(-1, minOf(1, eg/gg))
		moved := false
		for range 4 {
			t := maxOf(scaledLnSigmaLo, minOf(scaledLnSigmaHi, ls+step))
			if rt := res(t); rt < r {
				ls, r, moved = t, rt, true
				break
			}
			step /= 2
		}
		if !moved || math.Abs(step) < 1e-4 {
			break
		}
	}
	return ls, r
}

// observeScaled adds the identity of a consumer council's scaled partial
// step pr from prev, at prices p (logs x) with budget, given cf, its fit
// before this round. It reports whether it read the round: the step must
// have been scaled (prev costs more than the budget by more than
// lagPrior's square root of it, and the step spends it), name the same goods as prev and the fit, at least scaledLines of
// them, and the council must not round (its shares are known only to
// their last figures, a few per cent at two, as far off as a step's whole
// move near the end) nor have shown λ̂ by an identity of lag.go yet.
func (a *lagFit) observeScaled(pr, prev *planning.Proposal, cf *consumerFit, x, p []float64, budget float64, s *scaledFitter) bool {
	if a.exact || a.quantum > 0 {
		return false
	}
	lam, u, ok := s.read(pr, prev, cf, x, p, budget)
	if ok {
		a.add(u, lam*u)
	}
	return ok
}

// read returns the λ a scaled step reads (see observeScaled) and the
// fitted move's norm it is weighted by, or false.
func (s *scaledFitter) read(pr, prev *planning.Proposal, cf *consumerFit, x, p []float64, budget float64) (lam, u float64, ok bool) {
	n := len(pr.In)
	if prev == nil || !(budget > 0) || cf == nil || cf.n == 0 || !(cf.f > 0) ||
		n < scaledLines || len(cf.goods) != n || !sameLines(pr.In, prev.In) {
		return 0, 0, false
	}
	for i, l := range pr.In {
		if cf.goods[i] != l.Good {
			return 0, 0, false
		}
	}
	pc := planning.Value(prev.In, p)
	if d := pc/budget - 1; d*d <= lagPrior || planning.Value(pr.In, p) < budget*(1-1e-6) {
		// Not scaled, or barely: a step that spends less than the budget
		// (of a council whose answer spends less, f < 1) was not scaled
		// to it, and one from a bundle that costs about the budget moved
		// too little to teach λ, as the budget identity's would (the
		// steady rounds of a plan, where most consumers are here).
		return 0, 0, false
	}
	// ln σ, and whether the fit's shares move with prices (scaledFitter.
	// shares' e): at σ = 1, ln 1 = 0 and 1 − e⁰ = 0 exactly, without the
	// calls (TestLnOne).
	lc, moves := 0.0, false
	if cf.sigma != 1 {
		lc = math.Log(cf.sigma)
		moves = 1-math.Exp(lc) != 0
	}
	if !moves && fittedSure(pr, prev, cf, x, p, budget, pc/budget) {
		// (fitted's test, decided without its exponentials.)
		return 0, 0, false
	}
	if s.fitted(pr, prev, cf, x, p, budget, pc, lc) {
		return 0, 0, false
	}
	ls1, _ := s.fit(lc, false)
	r1, k, sxx := s.partial(ls1)
	mv := scaledFit * scaledFit * k * k * sxx
	if r1 > mv {
		return 0, 0, false
	}
	if _, r0 := s.fit(lc, true); !(r0 > scaledSep*r1) || !(r0 > mv) {
		return 0, 0, false
	}
	c := (1 - k*s.rho) / cf.f
	if !(k >= 0) || !(c > 0) {
		// Not a partial step between the two.
		return 0, 0, false
	}
	return c / (k + c), math.Sqrt(sxx), true
}

// fitted sets s to the step's value shares and reports whether the fit's
// own answer, at its σ (ln σ = lc), accounts for the step already, to
// within what a read needs (R₀ above scaledFit² of the move, which k ≤ 1/ρ
// bounds): a council answering in full as fitted, as the reference
// councils do every round, costs no search. pc is the standing bundle's
// cost.
func (s *scaledFitter) fitted(pr, prev *planning.Proposal, cf *consumerFit, x, p []float64, budget, pc, lc float64) bool {
	n := len(pr.In)
	s.v, s.pi, s.lw, s.dx, s.w = resize(s.v, n), resize(s.pi, n), resize(s.lw, n), resize(s.dx, n), resize(s.w, n)
	s.rho = pc / budget
	for i, l := range pr.In {
		s.v[i] = p[l.Good] * l.Qty / budget
		s.pi[i] = p[l.Good] * prev.In[i].Qty / budget
		s.lw[i] = cf.lw[i]
		s.dx[i] = x[l.Good] - cf.pj[i]
	}
	_, _, sc := s.partial(lc)
	// (R₀ at the same σ: partial has just set s.w to its shares.)
	return s.residual() <= scaledFit*scaledFit*sc/(s.rho*s.rho)
}

// fittedSure reports whether read's first test, that the fit's own answer
// accounts for the step (R₀ ≤ scaledFit²·sc/ρ² at the fit's σ), holds,
// for a fit whose shares do not move with prices (at σ = 1, where
// scaledFitter.shares adds e = 1 − e^{ln σ} = 0 times the price changes
// to the log shares): read's shares are then the softmax of cf.lw, the
// logarithms of the proposal's shares cf.raw (a zero share standing for
// minShare·f, as consumerFit.observe takes it), normalised. fittedSure
// sums the residuals from cf.raw normalised instead, without an
// exponential a line: the two sets of shares differ by rounding, a
// relative 10⁻¹² or so (the logarithm's, the exponential's and the
// normalisations' errors), and the test is decided here only where it
// holds with a margin far beyond that (fittedSlack on the shares, as an
// absolute bound on the difference in norm, and fittedRel on the sums),
// so that read's own test would find the same, bit for bit. Elsewhere
// (near the bound, or at anything not finite) it reports false and read
// makes the test itself. pc is the standing bundle's cost, rho = pc/budget.
func fittedSure(pr, prev *planning.Proposal, cf *consumerFit, x, p []float64, budget, rho float64) bool {
	raw, zero := cf.raw, minShare*cf.f
	if len(raw) != len(pr.In) {
		return false
	}
	sum := 0.0
	for _, r := range raw {
		if !(r > 0) {
			r = zero
		}
		sum += r
	}
	inv := 1 / sum
	var r0, sc float64
	for i, l := range pr.In {
		g := l.Good
		if d := x[g] - cf.pj[i]; d-d != 0 {
			// Not finite: read's shares are NaN.
			return false
		}
		w := raw[i]
		if !(w > 0) {
			w = zero
		}
		w *= inv
		v := p[g] * l.Qty / budget
		e := v - w
		d := p[g]*prev.In[i].Qty/budget - rho*w
		r0 += e * e
		sc += d * d
	}
	hi := math.Sqrt(r0)*(1+fittedRel) + fittedSlack
	lo := math.Sqrt(sc)*(1-fittedRel) - rho*fittedSlack
	return lo > 0 && hi*hi*(1+fittedRel) < scaledFit*scaledFit*lo*lo/(rho*rho)*(1-fittedRel)
}

// fittedSlack bounds, in norm, how far fittedSure's shares may be from
// read's (relative errors of about 10⁻¹² a share, shares summing to 1),
// and fittedRel the relative rounding of its sums and of read's: both a
// thousand times and more what they stand for.
const (
	fittedSlack = 1e-9
	fittedRel   = 1e-6
)
