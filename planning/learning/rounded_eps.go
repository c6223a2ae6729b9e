package learning

import (
	"math"

	"parecon/planning"
)

// A worker that rounds its figures shows its emission per unit of output,
// ε = e/y, only within its rounding: at two figures an emission line and
// an output line are each up to a unit of their last figure from what the
// council would emit and produce, ε a few percent off. Where the net unit
// value q = p_out − ε·p_pollutant is a thin margin of the price (q/p of
// 0.1–0.3 for the knife-edge emitters of a large economy), a few percent
// of ε are tens of percent of q, and the output, which follows q by the
// power 1/(1 − b), is mispredicted many times over: the board overshoots
// and the market swings between no supply and many times its demand.
//
// ε is the technology's (Cobb–Douglas and CES workers emit in fixed
// proportion to their output), so every rounded proposal bounds it:
// e_true ∈ [e − u_e, e] (emissions are rounded up, or left exact) and
// y_true ∈ [y − u_y, y + u_y] (outputs down, or up where the check asks),
// u the unit of the line's last figure. roundedEps intersects these
// intervals over the council's rounds and fits ε at the middle of what is
// left, which narrows as the output moves across rounds. A council whose
// intervals stop overlapping emits in no fixed proportion: its interval
// starts again from the newest proposal. Only councils that move the whole
// way are read (a partial step's lines are not its answer's).

// epsTrack is what roundedEps keeps of one rounding worker: the goods of
// its output and emissions, and the interval of each ε left by its rounds.
type epsTrack struct {
	out    int
	em     []int
	lo, hi []float64
	have   bool
}

// roundedEps narrows worker c's emissions per unit of output (w.eps) to
// the middle of the interval its rounded proposals so far leave (pr the
// newest, rounded to relative resolution q, made at prices p; lam its λ̂),
// and moves the fit's net unit value, input shares and b with them. It
// does nothing for a council that does not round.
func (m *fitted) roundedEps(c int, w *workerFit, pr *planning.Proposal, q, lam float64, p []float64) {
	if len(m.et) != len(m.adj) {
		m.et = make([]epsTrack, len(m.adj))
	}
	t := &m.et[c]
	if q == 0 || w.n == 0 || len(w.em) == 0 {
		return
	}
	n := math.Round(1 - math.Log10(q))
	unit := func(x float64) float64 {
		if !(x > 0) {
			return 0
		}
		return math.Pow(10, math.Floor(math.Log10(x))-n+1)
	}
	y := 0.0
	for _, l := range pr.Out {
		if l.Qty > 0 {
			y = l.Qty
			break
		}
	}
	uy := unit(y)
	if !(y > uy) {
		t.have = false
		return
	}
	same := t.have && t.out == w.out[0] && len(t.em) == len(w.em)
	for i := 0; same && i < len(w.em); i++ {
		same = t.em[i] == w.em[i]
	}
	if !same {
		t.out = w.out[0]
		t.em = append(t.em[:0], w.em...)
		t.lo = append(t.lo[:0], make([]float64, len(w.em))...)
		t.hi = append(t.hi[:0], make([]float64, len(w.em))...)
	}
	i := 0
	for _, l := range pr.In {
		if !m.poll[l.Good] {
			continue
		}
		if i >= len(w.em) || l.Good != w.em[i] {
			t.have = false
			return
		}
		lo := maxOf(0, l.Qty-unit(l.Qty)) / (y + uy)
		hi := l.Qty / (y - uy)
		if same && maxOf(lo, t.lo[i]) <= minOf(hi, t.hi[i]) {
			lo, hi = maxOf(lo, t.lo[i]), minOf(hi, t.hi[i])
		}
		t.lo[i], t.hi[i] = lo, hi
		i++
	}
	t.have = true
	// The fit at the middle of the intervals: q moves by what the
	// emissions' values move, and the shares of q·y (b with them)
	// inversely.
	q0 := w.netUnitValue(p)
	dq := 0.0
	for i, g := range w.em {
		e := 0.5 * (t.lo[i] + t.hi[i])
		dq -= p[g] * (e - w.eps[i])
	}
	q1 := q0 + dq
	if !(q0 > 0) || !(q1 > 0) || dq == 0 {
		return
	}
	for i := range w.em {
		w.eps[i] = 0.5 * (t.lo[i] + t.hi[i])
	}
	s := q0 / q1
	for i := range w.beta {
		w.beta[i] *= s
		w.cur[i] *= s
	}
	w.b *= s
	w.bE = minOf(w.b, maxB)
	w.lq = math.Log(q1)
}

// lagLines returns the proposals a worker's λ̂ is read from (lag.go): for
// a council that rounds (to resolution q), the midpoints of what its
// rounded proposal pr and its standing proposal prev stand for, as the fit
// takes them (unround). Read from the rounded figures, the identity of a
// worker's answer, C − b·V = 0 with b from the first proposal, is off by
// the outputs rounded down and the inputs rounded up, a bias that a
// council moving the whole way shows as a λ̂ of 0.8–0.9 and one moving
// partway as one nearer 1 than its own.
func (m *fitted) lagLines(role planning.Role, q float64, pr, prev *planning.Proposal) (*planning.Proposal, *planning.Proposal) {
	if q == 0 || role != planning.Worker {
		return pr, prev
	}
	pr = unround(pr, q, role, &m.unrL[0])
	if prev != nil {
		if qp := quantumOf(prev); qp > 0 {
			prev = unround(prev, qp, role, &m.unrL[1])
		}
	}
	return pr, prev
}
