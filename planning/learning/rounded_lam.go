package learning

import (
	"math"

	"parecon/planning"
)

// A rounding worker that strayTest takes to move partway shows, through
// its identities (lag.go), too little to say how far: they scatter by its
// rounding. Its first output says more. A council moving partway proposes
// A_t = y_{t−1} + λ·(y*_t − y_{t−1}) from its standing proposal y_{t−1}
// (as proposed, rounded), and rounds A_t down to its figures: A_t is
// within half a unit of the last figure of the midpoint a_t. Its answer
// moves with the prices as y*_t = G_t·y*_{t−1}, G_t = exp(η·e_t) for any
// technology homogeneous of degree b (η = b/(1 − b), e_t the change of
// ln q − ln c of roundedB), and y*_{t−1} = y_{t−2} + (A_{t−1} − y_{t−2})/λ,
// so that, exactly in λ,
//
//	(A_t − y_{t−1}) − G_t·(A_{t−1} − y_{t−2}) = λ·(G_t·y_{t−2} − y_{t−1}).
//
// ownSpeed pools these over the council's rounds by weighted least
// squares, for each b its figures allow (strayTest's interval), and keeps
// the λ of the b that fits best, if its standard error is below ownSE:
// the rule then reads the council at its own λ̂ rather than at the mean of
// the partial movers' (a council of λ = 0.74 read at their mean 0.56 is
// predicted to lag behind what it does, round after round), or, where its
// λ̂ is within lagSig standard errors of 1, as the whole mover it then
// is (strayTest, too, errs).

// ownKeep is how many rounds ownSpeed pools (the newest).
const ownKeep = 12

// ownSE is the largest standard error of ownSpeed's λ̂ the rule believes.
const ownSE = 0.08

// ownGrid is how many values of b, evenly spread over the interval the
// council's figures allow, ownSpeed tries.
const ownGrid = 16

// lamObs is one round's terms of ownSpeed's identity: e, y_{t−2}, the
// midpoint a_{t−1} and y_{t−1}, the midpoint a_t, and the half units of
// the two midpoints.
type lamObs struct {
	e, y2, a1, y1, a, u1, u float64
}

// lamTrack is what ownSpeed keeps of one rounding worker: its first
// output's good and the two rounds before's figures, how many rounds
// running it proposed the same lines, and the pooled rounds.
type lamTrack struct {
	good       int
	y1, a1, u1 float64
	y2         float64
	n          int
	obs        []lamObs
}

// ownSpeed records worker c's round (its proposal pr rounded to relative
// resolution q; e the change of ln q − ln c since its last round, cont
// whether its inputs are the same goods; rel its figures' relative
// bound on b) and, for a council strayTest takes to move partway,
// re-estimates its own λ̂ (lagFit.own: 1 where it is within lagSig
// standard errors of 1, 0 where its rounds do not tell it).
func (m *fitted) ownSpeed(c int, w *workerFit, pr *planning.Proposal, q, e float64, cont bool, rel float64) {
	t := &m.bt[c].own
	a := &m.adj[c]
	g, y := -1, 0.0
	for _, l := range pr.Out {
		if l.Qty > 0 {
			g, y = l.Good, l.Qty
			break
		}
	}
	if g < 0 || !finite(e) {
		t.n, t.obs, a.own = 0, t.obs[:0], 0
		return
	}
	n := math.Round(1 - math.Log10(q))
	u := pow10(math.Floor(math.Log10(y))-n+1) / 2
	mid := y + u // outputs are rounded down
	if !cont || g != t.good {
		t.n, t.obs = 0, t.obs[:0]
	}
	if t.n >= 2 {
		if len(t.obs) == ownKeep {
			copy(t.obs, t.obs[1:])
			t.obs = t.obs[:ownKeep-1]
		}
		t.obs = append(t.obs, lamObs{e: e, y2: t.y2, a1: t.a1, y1: t.y1, a: mid, u1: t.u1, u: u})
	}
	t.y2 = t.y1
	t.good, t.y1, t.a1, t.u1 = g, y, mid, u
	t.n++
	a.own = 0
	if !a.partial || len(t.obs) < 3 {
		return
	}
	lo := math.Max(math.Min(w.b*(1-rel), w.bE), 0.01)
	hi := math.Min(math.Max(w.b*(1+rel), w.bE), maxB)
	bestChi, bestLam, bestSxx := math.Inf(1), 0.0, 0.0
	for k := 0; k < ownGrid; k++ {
		b := lo
		if hi > lo {
			b = lo + (hi-lo)*float64(k)/float64(ownGrid-1)
		}
		eta := b / (1 - b)
		var sxx, sxy, syy float64
		for _, o := range t.obs {
			ge := eta * o.e
			if math.Abs(ge) > 30 {
				sxx = 0
				break
			}
			G := math.Exp(ge)
			s := o.y1
			lhs := ((o.a - o.y1) - G*(o.a1-o.y2)) / s
			x := (G*o.y2 - o.y1) / s
			v := (o.u*o.u+G*G*o.u1*o.u1)/(s*s) + strayRel*strayRel*ge*ge
			if !(v > 0) || !finite(lhs) || !finite(x) {
				sxx = 0
				break
			}
			sxx += x * x / v
			sxy += x * lhs / v
			syy += lhs * lhs / v
		}
		if !(sxx > 0) {
			continue
		}
		lam := sxy / sxx
		if chi := syy - lam*sxy; chi < bestChi {
			bestChi, bestLam, bestSxx = chi, lam, sxx
		}
		if hi <= lo {
			break
		}
	}
	if !(bestSxx > 0) {
		return
	}
	dof := float64(len(t.obs) - 1)
	se := math.Sqrt(math.Max(1, bestChi/dof) / bestSxx)
	switch {
	case se >= ownSE || !(bestLam > lagMin):
		// Its rounds do not tell it.
	case bestLam < 1-lagSig*se:
		a.own = bestLam
	default:
		// Its outputs move as a whole mover's do.
		a.own = 1
	}
}
