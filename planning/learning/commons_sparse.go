package learning

import "math"

// The fewest commons goods that explain a council's response to K. While
// K has moved in fewer directions than there are commons goods, the
// rounds leave a council's response c undetermined, and the least c that
// explains them (kSolve) spreads it over every commons good that moved.
// But a workplace draws on few of the commons, and the rounds can test
// that: with s goods and more than s rounds, the least squares on those s
// goods explains the rounds only if they are the ones it draws on (for
// rounds in general position), so two moves of K tell which single good a
// council draws on, three which pair, whatever the number of commons
// goods. kSparse looks for the smallest such set that explains the rounds
// to within the council's noise and, if exactly one set of that size
// does, takes its fit; otherwise (no set, or several) the rounds do not
// tell, and the least c stands.

// kSparseMax is the largest set of commons goods kSparse tries.
const kSparseMax = 3

// kSparseFloor is the mean square, per round, of the errors of an exact
// council's residual ln y (the arithmetic of its fit) below which a set
// of goods explains the rounds.
const kSparseFloor = 1e-18

// kSparseChi is how many times the council's noise variance, per round, a
// set's mean square residual may reach and still explain the rounds.
const kSparseChi = 9

// kSparse sets c (m values) to the fit on the smallest set of at most
// kSparseMax commons goods, fewer than the rounds rows (m per round) to
// obs, that explains them within the noise variance noise, if exactly one
// set of that size does, every fitted c_j > 0 and their sum below cMax.
// It reports whether it set c; it leaves c alone if the rounds already
// determine it (as many rounds as goods) or no set is unique.
func kSparse(rows, obs []float64, noise float64, c []float64) bool {
	m := len(c)
	n := len(obs)
	if n < 2 || n >= m {
		return false
	}
	a := make([]float64, m*m)
	b := make([]float64, m)
	yy := 0.0
	for s, o := range obs {
		r := rows[s*m : (s+1)*m]
		yy += o * o
		for i := range m {
			b[i] += r[i] * o
			for j := range m {
				a[i*m+j] += r[i] * r[j]
			}
		}
	}
	thr := float64(n) * (kSparseChi*noise + kSparseFloor)
	if yy <= thr {
		return false // no response the rounds can tell from none
	}
	set := make([]int, 0, kSparseMax)
	fit := make([]float64, kSparseMax)
	best := make([]float64, kSparseMax)
	var bestSet []int
	for size := 1; size <= kSparseMax && size < n; size++ {
		found := 0
		set = set[:size]
		for i := range set {
			set[i] = i
		}
		for {
			if rss, ok := subsetFit(a, b, rows, obs, set, fit[:size]); ok && rss <= thr {
				found++
				if found > 1 {
					return false
				}
				copy(best, fit[:size])
				bestSet = append(bestSet[:0], set...)
			}
			if !nextSet(set, m) {
				break
			}
		}
		if found == 1 {
			for i := range c {
				c[i] = 0
			}
			for k, j := range bestSet {
				c[j] = best[k]
			}
			return true
		}
	}
	return false
}

// nextSet advances set (increasing indices below m) to the next set of
// its size in lexicographic order, reporting false after the last.
func nextSet(set []int, m int) bool {
	k := len(set)
	for i := k - 1; i >= 0; i-- {
		if set[i] < m-k+i {
			set[i]++
			for j := i + 1; j < k; j++ {
				set[j] = set[j-1] + 1
			}
			return true
		}
	}
	return false
}

// subsetFit solves the normal equations a (m×m), b restricted to set
// (Gaussian elimination with partial pivoting) into fit and returns the
// residual sum of squares of the rounds (rows, obs) it leaves, summed
// round by round (the normal equations' yy − 2bᵀc + cᵀAc would lose the
// small rounds to cancellation). It reports false if the
// restricted system is singular (a good in set never moved), a fitted
// c_j is not positive, or their sum reaches cMax.
func subsetFit(a, b, rows, obs []float64, set []int, fit []float64) (float64, bool) {
	k := len(set)
	m := len(b)
	var g [kSparseMax * (kSparseMax + 1)]float64
	w := k + 1
	scale := 0.0
	for r, i := range set {
		for s, j := range set {
			g[r*w+s] = a[i*m+j]
		}
		g[r*w+k] = b[i]
		scale = maxOf(scale, a[i*m+i])
	}
	if !(scale > 0) {
		return 0, false
	}
	for col := 0; col < k; col++ {
		p := col
		for r := col + 1; r < k; r++ {
			if math.Abs(g[r*w+col]) > math.Abs(g[p*w+col]) {
				p = r
			}
		}
		if !(math.Abs(g[p*w+col]) > 1e-13*scale) {
			return 0, false
		}
		if p != col {
			for s := 0; s < w; s++ {
				g[p*w+s], g[col*w+s] = g[col*w+s], g[p*w+s]
			}
		}
		for r := col + 1; r < k; r++ {
			f := g[r*w+col] / g[col*w+col]
			for s := col; s < w; s++ {
				g[r*w+s] -= f * g[col*w+s]
			}
		}
	}
	sum := 0.0
	for r := k - 1; r >= 0; r-- {
		v := g[r*w+k]
		for s := r + 1; s < k; s++ {
			v -= g[r*w+s] * fit[s]
		}
		fit[r] = v / g[r*w+r]
		if !(fit[r] > 0) {
			return 0, false
		}
		sum += fit[r]
	}
	if !(sum < cMax) {
		return 0, false
	}
	rss := 0.0
	for t, o := range obs {
		r := rows[t*m : (t+1)*m]
		for q, i := range set {
			o -= r[i] * fit[q]
		}
		rss += o * o
	}
	return rss, true
}
