package learning

import (
	"math"

	"parecon/planning"
)

// A worker council's elasticity of substitution between its inputs. The
// Cobb–Douglas fit (fit.go) predicts a worker's output exactly to first
// order whatever its technology, since the output's response to the
// input prices goes through the unit cost of the inputs, whose elasticity
// to each input price is that input's value share; but it keeps the
// input shares fixed. A CES worker (σ from 0.4 to 2.5) moves its input
// mix with their relative prices, and the learned economy that misses it
// misses every input market by the step times (σ − 1): round after round
// the gaps then fall by a fixed factor only (about 0.2 a round at
// 15 × 60, from last year's prices as from a cold start). As for a
// consumer's budget shares, how the shares move across proposals shows σ:
// with s_k(p) = a_k^σ p_k^(1−σ) / Σ a_i^σ p_i^(1−σ),
//
//	Δ ln β_k − mean = (1 − σ)·(Δ ln p_k − mean),
//
// the means over the worker's inputs, pooled over pairs of successive
// proposals of a council that answers in full and does not round
// (showsAnswer) and held at Cobb–Douglas unless the shares say otherwise
// (workerSigma). The fit is anchored at the newest proposal as before:
// its value shares and prices; σ sets how the shares and the unit cost
// move from there. (15 × 60 CES workers, seeds 1–12: from last year's
// prices 10⁻⁴ in 4–6 rounds, mean 4.5, where it took 5–15, mean 7.1;
// cold 4–5, mean 4.1, where it took 5–14, mean 6.5.)

// sigmaPair sets w.pending to the regression sums of the change of the
// input shares from the fit's last proposal to pr (made at prices p, logs
// lnp; inv = 1/(q·y)), which learnSigmas adds to the regression for σ if
// the round shows the council's answer as it is. The fit's slices still
// hold the last proposal's shares and log prices, with the same inputs;
// w.cur, which fit sets again after, holds each input's log change of
// share (computed once).
func (w *workerFit) sigmaPair(pr *planning.Proposal, poll []bool, p, lnp []float64, inv float64) {
	mx, my, n := 0.0, 0.0, 0
	i := 0
	for _, l := range pr.In {
		if poll[l.Good] {
			continue
		}
		if b := p[l.Good] * l.Qty * inv; b > 0 && w.beta[i] > 0 {
			d := math.Log(b / w.beta[i])
			w.cur[i] = d
			mx += lnp[l.Good] - w.pin[i]
			my += d
			n++
		}
		i++
	}
	if n < 2 {
		return
	}
	mx /= float64(n)
	my /= float64(n)
	var sxx, sxy, syy float64
	i = 0
	for _, l := range pr.In {
		if poll[l.Good] {
			continue
		}
		if b := p[l.Good] * l.Qty * inv; b > 0 && w.beta[i] > 0 {
			dx := lnp[l.Good] - w.pin[i] - mx
			dy := w.cur[i] - my
			sxx += dx * dx
			sxy += dx * dy
			syy += dy * dy
		}
		i++
	}
	w.pending, w.pendingDof, w.havePending = [3]float64{sxx, sxy, syy}, n-1, true
}

// learnSigmas adds, after a round's proposals have been read, each
// refitted worker's pending pair to its regression for σ if the round
// showed its answer as it is (showsAnswer), and drops the fitted
// economy's cached passes if some σ moved.
func (l *Rule) learnSigmas() {
	m := l.m
	moved := false
	for _, c := range m.workers {
		w := m.wf[c]
		if w == nil || !w.havePending {
			continue
		}
		w.havePending = false
		if l.showsAnswer(c) && w.addPending() {
			moved = true
		}
	}
	if moved {
		m.wOK, m.gradsOK, m.flat.ok, m.flat.built = false, false, false, false
	}
}

// addPending adds the pending pair to the regression, sets σ and reports
// whether it moved.
func (w *workerFit) addPending() bool {
	w.sxx += w.pending[0]
	w.sxy += w.pending[1]
	w.syy += w.pending[2]
	w.dof += w.pendingDof
	s := workerSigma(w.sxx, w.sxy, w.syy, w.dof)
	moved := s != w.sigma
	w.sigma = s
	return moved
}

// showsAnswer reports whether council c's newest proposal shows its
// answer as it is, to be read for σ: it does not round, and its rounds
// have shown it answering in full (λ̂ = 1), or, where they taught nothing
// of how far it moves, every council whose rounds did answered in full.
// A partial step de-lagged by a λ̂ still being learned (or taken for the
// answer, λ̂ = 1 before anything showed otherwise) moves the input shares
// by as much as the price moves that show σ: read from such steps, σ
// cost the partial adjusters of TestLearningPeopleLarge (seed 1,
// Cobb–Douglas consumers) 7 → 12 rounds to 3%.
func (l *Rule) showsAnswer(c int) bool {
	a := &l.m.adj[c]
	if a.quantum > 0 {
		return false
	}
	if a.informed {
		return a.lam == 1
	}
	return l.lamPrior == 1
}

// lnCost returns the change of the log unit cost of the worker's inputs
// from the fit's anchor to log prices x, and sets w.cur to the input
// value shares there: Σ (β_k/b)·Δ ln p_k and the anchor's shares for a
// Cobb–Douglas fit, (1/(1−σ))·ln Σ (β_k/b)·e^((1−σ)·Δ ln p_k) and the
// shares moved by the same weights for a CES one.
func (w *workerFit) lnCost(x []float64) float64 {
	if w.b == 0 {
		copy(w.cur, w.beta)
		return 0
	}
	e1 := w.subst()
	if e1 == 0 {
		copy(w.cur, w.beta)
		c := 0.0
		for i, g := range w.in {
			c += w.beta[i] * (x[g] - w.pin[i])
		}
		return c / w.b
	}
	// Log weights ln β_k + (1−σ)·Δ ln p_k, their log-sum-exp L (ln b at
	// the anchor), the shares b·e^(z_k − L).
	m := math.Inf(-1)
	for i, g := range w.in {
		z := math.Inf(-1)
		if w.beta[i] > 0 {
			z = math.Log(w.beta[i]) + e1*(x[g]-w.pin[i])
		}
		w.cur[i] = z
		m = maxOf(m, z)
	}
	sum := 0.0
	for i, z := range w.cur {
		w.cur[i] = math.Exp(z - m)
		sum += w.cur[i]
	}
	for i := range w.cur {
		w.cur[i] *= w.b / sum
	}
	return (m + math.Log(sum) - math.Log(w.b)) / e1
}

// subst returns the 1 − σ the fit predicts with: 0 for a Cobb–Douglas
// fit (σ unset or 1), and (1 − σ)·t while solveSigma solves with the
// elasticities taken the share t of the way from 1.
func (w *workerFit) subst() float64 {
	if w.sigma == 0 {
		return 0
	}
	return w.sigmaT * (1 - w.sigma)
}

// sigmaSteps are the shares of the way from Cobb–Douglas to the fitted
// elasticities along which solveSigma follows the learned economy's
// equilibrium when it cannot solve it at once.
var sigmaSteps = [...]float64{0, 0.5, 1}

// solveSigma solves the learned economy from log prices x0 (as
// solveCommons) and, where that fails while some worker's fitted σ is
// not 1, follows its equilibrium from the economy with every worker
// Cobb–Douglas, which anchored at the same proposals predicts the same
// round and the same output response to first order, to the fitted
// elasticities (sigmaSteps), each solve starting from the last one's
// solution. It reports the solution of the furthest step solved (the
// rule then steps towards an equilibrium nearer its fits than none), and
// false if even the Cobb–Douglas economy cannot be solved. From last
// year's prices a CES worker may plan a hundred times the equilibrium's
// quantities, where the learned economy with its fitted σ can have no
// equilibrium Newton finds from there (15 × 60, seed 12: five rounds of
// safe steps, then the stall safeguard for 30 more) while the
// Cobb–Douglas one does. The fits predict with the full σ again after.
func (l *Rule) solveSigma(x0 []float64) (float64, bool) {
	mx, ok := l.solveCommons(x0)
	if ok || !l.m.anySigma() {
		return mx, ok
	}
	defer l.m.setSigmaT(1)
	var x []float64
	solved := -1
	for k, t := range sigmaSteps {
		l.m.setSigmaT(t)
		start := x0
		if x != nil {
			start = x
		}
		m, ok := l.solveCommons(start)
		if !ok {
			break
		}
		mx, solved = m, k
		x = append(x[:0], l.s.x...)
	}
	if solved < 0 {
		return mx, false
	}
	copy(l.s.x, x)
	return mx, true
}

// anySigma reports whether some responsive worker's fit has σ ≠ 1.
func (m *fitted) anySigma() bool {
	for _, c := range m.workers {
		if w := m.wf[c]; w != nil && w.sigma != 0 && w.sigma != 1 {
			return true
		}
	}
	return false
}

// setSigmaT sets every responsive worker's share t of the way from
// Cobb–Douglas (subst) and drops the fitted economy's cached passes.
func (m *fitted) setSigmaT(t float64) {
	for _, c := range m.workers {
		if w := m.wf[c]; w != nil {
			w.sigmaT = t
		}
	}
	m.wOK, m.gradsOK, m.flat.ok, m.flat.built = false, false, false, false
}

// sigmaEvidence sets how strongly a worker's fit is held at
// Cobb–Douglas (workerSigma): a slope 1 − σ within sigmaEvidence standard
// errors of 0 is taken as 0.
const sigmaEvidence = 3

// workerSigma returns a worker's σ from its regression sums (see
// estimateSigma), its slope 1 − σ shrunk towards 0 by the positive part
// of 1 − (k·se/slope)², k = sigmaEvidence and se the slope's standard
// error, with the residuals' variance estimated from the degrees of
// freedom beyond the slope's (none with one: then the pair is taken as it
// is, and the next judges it). A worker whose input shares follow CES
// exactly has residuals of zero and shows its σ from one pair of
// proposals; a Cobb–Douglas worker whose shares move a little with other
// things (commons, councils that do not quite follow a form) is left
// Cobb–Douglas: on a 30 × 80 economy with commons and partial adjusters
// (TestLearningCommons, "adjust"), slopes of 0.04 ± 0.04 taken as σ cost
// two rounds to 10⁻⁶. The shrinkage is smooth in the evidence, so that a
// σ that shows only as the small moves near the end add up does not jump
// from 1 at once.
func workerSigma(sxx, sxy, syy float64, dof int) float64 {
	if sxx <= 1e-18 || dof < 1 {
		return 1
	}
	slope := sxy / sxx
	s2 := 0.0
	if dof > 1 {
		s2 = maxOf(0, syy-sxy*slope) / float64(dof-1)
	}
	t2 := slope * slope * sxx // slope² / se² times s2
	if t2 <= sigmaEvidence*sigmaEvidence*s2 {
		return 1
	}
	slope *= 1 - sigmaEvidence*sigmaEvidence*s2/t2
	if math.Abs(slope) < sigmaFlat {
		return 1
	}
	return maxOf(workerSigmaMin, minOf(20, 1-slope))
}

// sigmaFlat is the slope 1 − σ below which a worker's fit is taken as
// Cobb–Douglas: the shares' rounding error, not σ (and lnCost, which
// divides by 1 − σ, stays exact).
const sigmaFlat = 1e-6

// workerSigmaMin is the smallest σ a worker's fit takes: below every CES
// worker councils.AddPeople draws (0.4–2.5). A worker whose shares move
// one for one with the prices has fixed proportions (σ = 0), and its
// output answers nothing like the fit's (stall.go); on the 15 × 60
// fixed-proportions crowd (TestUnseenTable, seeds 1–12) a floor of 0.05
// or 0.2 made no difference beyond the scatter of plans that do not
// converge (3% reached in 14 and 12 of 24 economies, 15 at 70bbe5f), but
// at 0.05 one economy (seed 1, CES consumers) ended its 40 rounds at 13%,
// where TestLearningUnseen allows 10%.
const workerSigmaMin = 0.2
