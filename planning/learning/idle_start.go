package learning

import "math"

// A worker whose shape the board has read (shape.go) and whose fitted
// margin at a point is at or below what it needs to cover its spending
// per unit makes nothing there, and the fitted supply of its good has no
// slope: where every fitted producer of a demanded good is in that flat
// region at the solver's start, Newton has nothing to follow towards the
// prices where they produce, and the learned economy was taken for
// unsolvable (fixed-proportions workers after the first rounds of a cold
// start: round after round of safe steps while the fits knew, exactly,
// at what margin each producer makes what). liftStart raises, before the
// solve, the start's log price of every good the learned economy leaves
// demanded and unsupplied there to the least price at which one of its
// idle shaped producers is back at the margin of the proposal its fit is
// anchored at (z = 0, where it made y₀), its inputs' prices as they are;
// a few passes carry the rises on to the goods made from these.

// liftPasses is how many times liftStart evaluates the learned economy.
const liftPasses = 4

// liftStart returns x0, or a copy of it in l.lift with the goods above
// lifted, and whether it lifted any.
func (l *Rule) liftStart(x0 []float64) ([]float64, bool) {
	m := l.m
	num := m.plan.Numeraire
	n := len(x0)
	x := x0
	lifted := false
	hi := x0[num] + lnCeil
	for pass := 0; pass < liftPasses; pass++ {
		m.eval(x, false, 0)
		l.liftNeed = resize(l.liftNeed, n)
		need := l.liftNeed
		for j := range need {
			need[j] = math.Inf(1)
			if j == num || m.supV[j] > 0 || !(m.demV[j] > 0) {
				need[j] = math.NaN() // supplied, or not wanted: leave it
			}
		}
		any := false
		for _, c := range m.workers {
			w := m.wf[c]
			if w == nil || !w.shape.on || w.y != 0 || len(w.out) != 1 || !(w.q > 0) {
				continue
			}
			j := w.out[0]
			if math.IsNaN(need[j]) {
				continue
			}
			d := w.lq + w.shapeLnCost(x) - math.Log(w.q) // −z
			if d > 0 && d < need[j] {
				need[j] = d
				any = true
			}
		}
		if !any {
			break
		}
		if !lifted {
			l.lift = append(l.lift[:0], x0...)
			x, lifted = l.lift, true
		}
		grew := false
		for j, d := range need {
			if d > 0 && !math.IsInf(d, 1) && !math.IsNaN(d) && x[j] < hi {
				x[j] = minOf(hi, x[j]+d+liftMargin)
				grew = true
			}
		}
		if !grew {
			break
		}
	}
	return x, lifted
}

// liftMargin is the log rise beyond z = 0 that liftStart gives, so that
// the producer is on the sloped side of its supply.
const liftMargin = 0.05

// shapeLnCost returns ln c(x) of w's shape (on) at log prices x, as
// predictShaped computes it.
func (w *workerFit) shapeLnCost(x []float64) float64 {
	t := &w.shape
	if len(t.alsh) != len(w.in) {
		t.anchor(w)
	}
	if t.sigma == 1 {
		lc := 0.0
		for i, g := range w.in {
			lc += w.beta[i] / w.b * (x[g] - w.pin[i])
		}
		return lc
	}
	e := 1 - t.sigma
	mx := math.Inf(-1)
	for i, g := range w.in {
		mx = maxOf(mx, t.alsh[i]+e*(x[g]-w.pin[i]))
	}
	s := 0.0
	for i, g := range w.in {
		s += math.Exp(t.alsh[i] + e*(x[g]-w.pin[i]) - mx)
	}
	return (mx + math.Log(s)) / e
}
