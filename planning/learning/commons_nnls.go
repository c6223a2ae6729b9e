package learning

import "math"

// kSolve sets c (m values) to the non-negative least squares fit of the
// rounds rows (m per round, row-major) to obs with the ridge λ:
// min Σ_s (rows_s·c − obs_s)² + λ|c|² over c ≥ 0 (with λ = 0, the least
// |c| among the minimisers), by the active-set method of Lawson and
// Hanson on the normal equations (solveFree).
func kSolve(rows, obs []float64, ridge float64, c []float64) {
	m := len(c)
	a := make([]float64, m*m) // ΦᵀΦ + λI
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
		a[i*m+i] += ridge
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
			// Step from c towards z as far as c stays ≥ 0; the
			// coordinate that blocks it (blk) leaves the free set.
			alpha, blk := 1.0, -1
			for i := range m {
				if free[i] && z[i] <= 0 {
					a := 0.0
					if d := c[i] - z[i]; d > 0 {
						a = c[i] / d
					}
					if blk < 0 || a < alpha {
						alpha, blk = a, i
					}
				}
			}
			if blk < 0 {
				copy(c, z)
				break
			}
			for i := range m {
				c[i] += alpha * (z[i] - c[i])
				if free[i] && (i == blk || c[i] <= 0) {
					free[i], c[i] = false, 0
				}
			}
		}
	}
}

// solveFree sets z_F to the least squares solution of least norm of
// A_FF z_F = b_F for the free coordinates F (z = 0 elsewhere), A being
// ΦᵀΦ + λI: by the eigenvectors of A_FF (Jacobi), the directions
// whose eigenvalue is below kCut of the largest left out, so that rounds
// in which K hardly moved (a change of ln K of 10⁻⁴ against one of 2)
// still count in full while the directions no round explored stay at 0.
// It reports false if A_FF is 0.
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
	g := make([]float64, k*k) // A_FF, diagonalised in place
	v := make([]float64, k*k) // its eigenvectors (columns)
	for r, i := range idx {
		for s, j := range idx {
			g[r*k+s] = a[i*m+j]
		}
		v[r*k+r] = 1
	}
	jacobi(g, v, k)
	top := 0.0
	for r := range k {
		top = maxOf(top, g[r*k+r])
	}
	if !(top > 0) {
		return false
	}
	for e := range k {
		lam := g[e*k+e]
		if !(lam > kCut*top) {
			continue
		}
		// z += v_e (v_eᵀ b_F)/λ_e
		t := 0.0
		for r, i := range idx {
			t += v[r*k+e] * b[i]
		}
		t /= lam
		for r, i := range idx {
			z[i] += v[r*k+e] * t
		}
	}
	return true
}

// kCut is the smallest eigenvalue of the regression's normal equations,
// relative to the largest, whose direction counts (see solveFree).
const kCut = 1e-14

// jacobi diagonalises the symmetric k×k matrix g in place by cyclic
// Jacobi rotations, accumulating them in v (the identity on entry).
func jacobi(g, v []float64, k int) {
	for sweep := 0; sweep < 60; sweep++ {
		off, diag := 0.0, 0.0
		for r := range k {
			diag += g[r*k+r] * g[r*k+r]
			for s := r + 1; s < k; s++ {
				off += g[r*k+s] * g[r*k+s]
			}
		}
		if !(off > 1e-32*diag) {
			return
		}
		for p := 0; p < k; p++ {
			for q := p + 1; q < k; q++ {
				apq := g[p*k+q]
				if apq == 0 {
					continue
				}
				theta := (g[q*k+q] - g[p*k+p]) / (2 * apq)
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				sn := t * c
				for r := range k {
					grp, grq := g[r*k+p], g[r*k+q]
					g[r*k+p], g[r*k+q] = c*grp-sn*grq, sn*grp+c*grq
				}
				for r := range k {
					gpr, gqr := g[p*k+r], g[q*k+r]
					g[p*k+r], g[q*k+r] = c*gpr-sn*gqr, sn*gpr+c*gqr
				}
				for r := range k {
					vrp, vrq := v[r*k+p], v[r*k+q]
					v[r*k+p], v[r*k+q] = c*vrp-sn*vrq, sn*vrp+c*vrq
				}
			}
		}
	}
}
