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
// elasticity σ, and
//
//   - the council answering in full, v = w(σ), its best σ leaving the
//     residual R₀;
//   - a partial step, v − w(σ) = k·(π − ρ·w(σ)), its best σ and k leaving
//     R₁,
//
// and reads λ only where the partial step explains the step clearly better
// (R₀ > scaledSep·R₁) and well (R₁ at most scaledFit² of the fitted move's
// square, R₀ more than that: a full answer that misses by less is as good
// an account of the step). Otherwise the round teaches nothing of λ: a council that
// answered in full keeps the prior, and one whose answer has another form
// waits for an unscaled round. The read enters the pooled regression of
// lag.go like any identity, weighted by the fitted move (the norm of
// π − ρ·w), and only until an identity of lag.go has informed λ̂ (those
// need no fit of the answer).

// scaledLines is the fewest goods a scaled step must name to be read:
// the budget, the move and σ take three of its degrees of freedom, and the
// residuals that tell them apart need the rest.
const scaledLines = 4

// scaledFit is the largest residual of a partial step's least squares, as
// a share of the fitted move, for which observeScaled reads the round, and
// scaledSep how many times the residual of the full answer must exceed it.
const (
	scaledFit = 0.01
	scaledSep = 100
)

// The range of σ the fits search (ln σ), and the golden-section steps.
const (
	scaledLnSigmaLo = -3.0 // σ ≈ 0.05
	scaledLnSigmaHi = 3.0  // σ ≈ 20
	scaledGolden    = 40
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
		s.w[i] = s.lw[i] + e*s.dx[i]
		m = math.Max(m, s.w[i])
	}
	t := 0.0
	for i := range s.w {
		s.w[i] = math.Exp(s.w[i] - m)
		t += s.w[i]
	}
	for i := range s.w {
		s.w[i] /= t
	}
}

// full returns R₀ at elasticity e^ls.
func (s *scaledFitter) full(ls float64) float64 {
	s.shares(ls)
	r := 0.0
	for i, v := range s.v {
		d := v - s.w[i]
		r += d * d
	}
	return r
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

// golden returns the ln σ in the search range minimising f, and f there.
func golden(f func(float64) float64) (float64, float64) {
	const g = 0.6180339887498949
	a, b := scaledLnSigmaLo, scaledLnSigmaHi
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := f(c), f(d)
	for range scaledGolden {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = f(d)
		}
	}
	if fc < fd {
		return c, fc
	}
	return d, fd
}

// observeScaled adds the identity of a consumer council's scaled partial
// step pr from prev, at prices p (logs x) with budget, given cf, its fit
// before this round. It reports whether it read the round: the step must
// have been scaled (prev costs at least the budget, and the step spends
// it), name the same goods as prev and the fit, at least scaledLines of
// them, and the council must not round (its shares are known only to
// their last figures, a few per cent at two, as far off as a step's whole
// move near the end) nor have shown λ̂ by an identity of lag.go yet.
func (a *lagFit) observeScaled(pr, prev *planning.Proposal, cf *consumerFit, x, p []float64, budget float64, s *scaledFitter) bool {
	n := len(pr.In)
	if a.exact || a.quantum > 0 || prev == nil || !(budget > 0) || cf == nil || cf.n == 0 || !(cf.f > 0) ||
		n < scaledLines || len(cf.goods) != n || !sameLines(pr.In, prev.In) {
		return false
	}
	for i, l := range pr.In {
		if cf.goods[i] != l.Good {
			return false
		}
	}
	pc := planning.Value(prev.In, p)
	if pc < budget*(1-1e-6) || planning.Value(pr.In, p) < budget*(1-1e-6) {
		// Not scaled: a step that spends less than the budget (of a
		// council whose answer spends less, f < 1) was not scaled to it.
		return false
	}
	s.v, s.pi, s.lw, s.dx, s.w = resize(s.v, n), resize(s.pi, n), resize(s.lw, n), resize(s.dx, n), resize(s.w, n)
	s.rho = pc / budget
	for i, l := range pr.In {
		s.v[i] = p[l.Good] * l.Qty / budget
		s.pi[i] = p[l.Good] * prev.In[i].Qty / budget
		s.lw[i] = cf.lw[i]
		s.dx[i] = x[l.Good] - cf.pj[i]
	}
	_, r0 := golden(s.full)
	ls1, r1 := golden(func(ls float64) float64 { r, _, _ := s.partial(ls); return r })
	r1, k, sxx := s.partial(ls1)
	if mv := scaledFit * scaledFit * k * k * sxx; !(r0 > scaledSep*r1) || !(r0 > mv) || r1 > mv {
		return false
	}
	c := (1 - k*s.rho) / cf.f
	if !(k >= 0) || !(c > 0) {
		// Not a partial step between the two.
		return false
	}
	lam := c / (k + c)
	u := math.Sqrt(sxx)
	a.add(u, lam*u)
	return true
}
