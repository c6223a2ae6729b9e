package learning

import "math"

// kSolve sets c (m values) to the non-negative least squares fit of the
// rounds rows (m per round, row-major) to obs, with the ridge kRidge on
// every c_j: min Σ_s (rows_s·c − obs_s)² + kRidge·|c|² over c ≥ 0, by the
// active-set method of Lawson and Hanson on the normal equations.
func kSolve(rows, obs, c []float64) {
	m := len(c)
	a := make([]float64, m*m) // ΦᵀΦ + kRidge·I
	b := make([]float64, m)   // Φᵀobs
	for s, o := range obs {
		r := rows[s*m : (s+1)*m]
		for i := range m {
			b[i] += r[i] * o
			for j := range m {
				a[i*m+j] += r[i] * r[j]
			}
		}
	}
	for i := range m {
		a[i*m+i] += kRidge
		c[i] = 0
	}
	free := make([]bool, m)
	z := make([]float64, m)
	w := make([]float64, m)
	for outer := 0; outer < 3*m+3; outer++ {
		// The gradient's descent direction: w = b − A c.
		best, at := 0.0, -1
		for i := range m {
			w[i] = b[i]
			for j := range m {
				w[i] -= a[i*m+j] * c[j]
			}
			if !free[i] && w[i] > best*(1+1e-12) && w[i] > 1e-15*(1+math.Abs(b[i])) {
				best, at = w[i], i
			}
		}
		if at < 0 {
			return
		}
		free[at] = true
		for inner := 0; inner < m+1; inner++ {
			if !solveFree(a, b, free, z) {
				free[at] = false
				return
			}
			alpha, neg := 1.0, false
			for i := range m {
				if free[i] && z[i] <= 0 {
					neg = true
					if d := c[i] - z[i]; d > 0 {
						alpha = math.Min(alpha, c[i]/d)
					} else {
						alpha = 0
					}
				}
			}
			if !neg {
				copy(c, z)
				break
			}
			for i := range m {
				c[i] += alpha * (z[i] - c[i])
				if free[i] && c[i] <= 1e-300 {
					free[i], c[i] = false, 0
				}
			}
		}
	}
}

// solveFree solves A_FF z_F = b_F for the free coordinates F (z = 0
// elsewhere) by Gaussian elimination with partial pivoting; it reports
// false if the system is singular.
func solveFree(a, b []float64, free []bool, z []float64) bool {
	m := len(b)
	var idx []int
	for i := range m {
		z[i] = 0
		if free[i] {
			idx = append(idx, i)
		}
	}
	k := len(idx)
	g := make([]float64, k*(k+1))
	for r, i := range idx {
		for s, j := range idx {
			g[r*(k+1)+s] = a[i*m+j]
		}
		g[r*(k+1)+k] = b[i]
	}
	for col := range k {
		p := col
		for r := col + 1; r < k; r++ {
			if math.Abs(g[r*(k+1)+col]) > math.Abs(g[p*(k+1)+col]) {
				p = r
			}
		}
		if !(math.Abs(g[p*(k+1)+col]) > 0) {
			return false
		}
		if p != col {
			for s := range k + 1 {
				g[p*(k+1)+s], g[col*(k+1)+s] = g[col*(k+1)+s], g[p*(k+1)+s]
			}
		}
		piv := g[col*(k+1)+col]
		for r := col + 1; r < k; r++ {
			f := g[r*(k+1)+col] / piv
			if f == 0 {
				continue
			}
			for s := col; s <= k; s++ {
				g[r*(k+1)+s] -= f * g[col*(k+1)+s]
			}
		}
	}
	for r := k - 1; r >= 0; r-- {
		v := g[r*(k+1)+k]
		for s := r + 1; s < k; s++ {
			v -= g[r*(k+1)+s] * z[idx[s]]
		}
		z[idx[r]] = v / g[r*(k+1)+r]
	}
	return true
}
