package learning

import (
	"math"

	"parecon/planning"
)

// A council may move partway in proportion rather than in amount: from
// its standing proposal x_{t−1} it proposes x_{t−1}^(1−λ)·x*_t^λ line by
// line, the same share λ of the way in log quantity (a council that says
// "half as much more again", not "half the difference"). Near the
// equilibrium the two are the same; from far away they are not, and a
// proportional mover read by lag.go's identities, which mix quantities
// linearly, shows a λ that changes with the size of its step, so its
// de-lagged answers are wrong and the prediction misses every round.
//
// The identities hold in both forms: the answer a proposal stands for
// spends its budget (a consumer) or spends the share b of its net output
// on inputs (a worker). So each informative round gives two readings of
// λ: lag.go's linear one and the λ that makes prev·(x/prev)^(1/λ) satisfy
// the identity. A council whose rounds give the same λ in the second form
// and a scattered one in the first is taken to move in proportion: its
// proposals are de-lagged in logs, and its next proposal is predicted by
// the linear step that moves as far as the proportional one does at the
// answers it last showed (the fitted economy mixes linearly).

// geoFit holds the two readings of λ a council's rounds gave, pooled with
// lagMemory's decay.
type geoFit struct {
	n            float64 // rounds read in both forms (decayed)
	lS, lSS      float64 // linear readings: sum, sum of squares
	gS, gSS      float64 // proportional readings
	on           bool    // the council is taken to move in proportion
	eff          float64 // the linear λ of its next step (on only)
	rounds       int     // rounds read in both forms
	lastL, lastG float64 // the newest readings (for a test's message)
}

// geoMinRounds is how many rounds must have read λ in both forms before
// the rule may take a council to move in proportion.
const geoMinRounds = 2

// geoRatio is how much more scattered the linear readings must be than
// the proportional ones (in variance).
const geoRatio = 16

// geoSpread is the least standard deviation of the linear readings that
// counts as scattered: below it the two forms do not differ.
const geoSpread = 1e-3

// geoExact is the largest standard deviation of the proportional readings
// that counts as one λ: a council whose proposals are noisy scatters in
// both forms, and the proportional reading, bounded by its bisection in
// [lagMin, 1], would look the steadier.
const geoExact = 0.01

// geoFar is the least size of a step's identity (u, of lag.go's add) from
// which one round alone may show a council to move in proportion.
const geoFar = 0.5

// observeGeo pools one informative round: u is its identity's size and
// lamL lag.go's linear reading of it, and the proportional one is solved
// from the identity of the answer (consumer: it spends budget; worker: its
// inputs are b of its net output) at prices p.
func (a *lagFit) observeGeo(role planning.Role, pr, prev *planning.Proposal, poll []bool, p []float64, budget, u, lamL float64) {
	if a.quantum > 0 || a.late || !finite(lamL) || math.Abs(lamL-1) <= lagSnap {
		// Rounding and late councils are lag.go's and late.go's; an
		// answer in full (or a step too short to tell) reads 1 in both
		// forms and says nothing of which is the council's.
		return
	}
	// The answer's value in each term, as a function of k = 1/λ: Σ
	// v·e^(k·r) over its lines (v the standing line's value, r its log
	// step), a linear line (a side of 0) as v + k·d.
	var terms [3]geoTerms // consumer: spending (0); worker: net output (1), inputs (2)
	add := func(t *geoTerms, x, x0 []planning.Line, sign float64) {
		for i, l := range x {
			v0, v := sign*p[l.Good]*x0[i].Qty, sign*p[l.Good]*l.Qty
			if x0[i].Qty > 0 && l.Qty > 0 {
				t.v, t.r = append(t.v, v0), append(t.r, math.Log(l.Qty/x0[i].Qty))
			} else {
				t.lin0, t.lin1 = t.lin0+v0, t.lin1+(v-v0)
			}
		}
	}
	var h func(k float64) float64
	if role == planning.Consumer {
		add(&terms[0], pr.In, prev.In, 1)
		h = func(k float64) float64 { return terms[0].at(k)/budget - 1 }
	} else {
		add(&terms[1], pr.Out, prev.Out, 1)
		for i := range pr.In {
			t, sign := &terms[2], 1.0
			if poll[pr.In[i].Good] {
				t, sign = &terms[1], -1 // emissions count against net output
			}
			add(t, pr.In[i:i+1], prev.In[i:i+1], sign)
		}
		h = func(k float64) float64 {
			net := terms[1].at(k)
			if !(net > 0) {
				return math.NaN()
			}
			return terms[2].at(k)/net - a.b
		}
	}
	lo, hi := lagMin, 1.0
	flo, fhi := h(1/lo), h(1/hi)
	if !finite(flo) || !finite(fhi) || flo*fhi > 0 {
		return
	}
	for range 40 {
		mid := (lo + hi) / 2
		fm := h(1 / mid)
		if !finite(fm) {
			return
		}
		if fm*flo > 0 {
			lo, flo = mid, fm
		} else {
			hi = mid
		}
	}
	lamG := (lo + hi) / 2
	g := &a.geo
	g.n, g.lS, g.lSS, g.gS, g.gSS = lagMemory*g.n+1, lagMemory*g.lS+lamL, lagMemory*g.lSS+lamL*lamL, lagMemory*g.gS+lamG, lagMemory*g.gSS+lamG*lamG
	g.rounds++
	g.lastL, g.lastG = lamL, lamG
	g.on = false
	if g.rounds == 1 && math.Abs(u) >= geoFar && (lamL < lagMin/2 || lamL > 2) && lamG > lagMin && lamG < 1-lagSnap {
		// A step of half the identity's scale whose linear reading is
		// no speed at all, where the proportional one is: a council
		// that moves in proportion, far from its answer (noise of a
		// few percent cannot read so far off on so long a step).
		g.on = true
	}
	if g.rounds >= geoMinRounds {
		vl := g.lSS/g.n - (g.lS/g.n)*(g.lS/g.n)
		vg := g.gSS/g.n - (g.gS/g.n)*(g.gS/g.n)
		if vl > geoSpread*geoSpread && vg*geoRatio < vl && vg < geoExact*geoExact {
			g.on = true
		}
	}
}

// geoTerms is a sum Σ v·e^(k·r) + lin0 + k·lin1 (see observeGeo).
type geoTerms struct {
	v, r       []float64
	lin0, lin1 float64
}

// at returns the sum at k.
func (t *geoTerms) at(k float64) float64 {
	s := t.lin0 + k*t.lin1
	for i, v := range t.v {
		s += v * math.Exp(k*t.r[i])
	}
	return s
}

// geoStep returns the answer a line moved in proportion from x0 to x
// stands for, x0·(x/x0)^k (k = 1/λ); linearly where a side is 0.
func geoStep(x0, x, k float64) float64 {
	if x0 > 0 && x > 0 {
		return x0 * math.Exp(k*math.Log(x/x0))
	}
	return x0 + (x-x0)*k
}

// geoSpeed returns λ̂ of a council taken to move in proportion.
func (a *lagFit) geoSpeed() float64 {
	return maxOf(lagMin, minOf(1, a.geo.gS/a.geo.n))
}

// predSpeed returns the λ with which the fitted economy predicts the
// council's next proposal as a linear partial step.
func (a *lagFit) predSpeed() float64 {
	if a.geo.on && a.geo.eff > 0 {
		return a.geo.eff
	}
	return a.speed()
}

// setEff sets the linear λ that moves as far as the proportional step λ
// from x (the proposal) towards ans (the answer it stood for), averaged
// over lines by value at prices p.
func (g *geoFit) setEff(lam float64, x, ans *planning.Proposal, p []float64) {
	sw, s := 0.0, 0.0
	add := func(x, ans []planning.Line) {
		for i, l := range x {
			if i >= len(ans) {
				return
			}
			w := p[l.Good] * l.Qty
			r := ans[i].Qty / l.Qty
			e := lam
			if l.Qty > 0 && ans[i].Qty > 0 && math.Abs(r-1) > 1e-9 {
				e = (math.Exp(lam*math.Log(r)) - 1) / (r - 1)
			}
			if finite(e) && w > 0 {
				sw += w
				s += w * e
			}
		}
	}
	add(x.Out, ans.Out)
	add(x.In, ans.In)
	g.eff = lam
	if sw > 0 {
		g.eff = maxOf(lagMin, minOf(1, s/sw))
	}
}
