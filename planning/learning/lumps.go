package learning

import (
	"math"

	"parecon/planning"
)

// lumps raises each good's floor (setFloor) to the reach of its rounded
// lines' last figures: a line rounded to n figures stands for a quantity
// anywhere within one unit u of its last figure, which the fit takes at
// the midpoint (unround), so the council's answer is within u/2 of what
// the rule takes it for, whatever the prices. The floor of good j becomes
// at least √Σ(u/2)² over its rounded lines, relative to its larger side:
// for a good with one producer that rounds to two figures, up to 5% (a
// line of 1,0xx) and at least 0.5% (9,9xx), where an eighth of the
// resolution q·x (setFloor) says 1.25% for all of them and the rule
// chases, round after round, a gap no prices can close. Summed in squares,
// the many lines of a good that many councils trade count for what they
// leave together, their errors apart, not for the worst case of each.
func (l *Rule) lumps(r *planning.Round) {
	l.lump = resize(l.lump, len(l.floor))
	for j := range l.lump {
		l.lump[j] = 0
	}
	for c, pr := range r.Proposals {
		q := l.m.adj[c].quantum
		if pr == nil || q == 0 {
			continue
		}
		n := math.Round(1 - math.Log10(q))
		for _, side := range [2][]planning.Line{pr.Out, pr.In} {
			for _, x := range side {
				if x.Qty > 0 {
					h := pow10(math.Floor(math.Log10(x.Qty))-n+1) / 2
					l.lump[x.Good] += h * h
				}
			}
		}
	}
	for j, v := range l.lump {
		if s := maxOf(r.Supply[j], r.Demand[j]); s > 0 && v > 0 {
			l.floor[j] = maxOf(l.floor[j], math.Sqrt(v)/s)
		}
	}
}
