package learning

// The fitted economy's derivatives. Every fitted form (the fixed supply,
// the producing workers, the councils held at their standing proposals,
// the CES consumers and the pool that the consumers' budgets share) adds
// its part of the weighted Jacobian in three shapes: dense rows (for
// small economies' Newton steps), a product with a vector (GMRES) and the
// diagonal (GMRES's preconditioner). Each form's three are written side
// by side in its own file, next to its value (worker_terms.go,
// held_terms.go, ces_terms.go, and the fixed supply and the pool below),
// and the drivers here call them in one order, so that the three shapes
// cannot disagree.
//
// Row j of the Jacobian is wd_j·∂(demand value of j)/∂ln p −
// ws_j·∂(supply value of j)/∂ln p. With unit weights it is the Jacobian of
// excess demand in value; with wd = 1/demand value and ws = 1/supply
// value, that of ln(demand/supply). Alongside, every form adds its part of
// ∂pool/∂ln p (m.gradPool, or the product's gp), which the pool's term
// then spreads over the goods the consumers buy.

// jacobian sets the dense matrix J (n×n) to the weighted Jacobian at the
// evaluated point.
func (m *fitted) jacobian(J [][]float64, wd, ws []float64) {
	m.ensureGrads()
	m.fixedRows(J, ws)
	m.workerRows(J, wd, ws)
	m.heldRows(J, wd, ws)
	m.cesRows(J, wd)
	m.poolRows(J, wd)
}

// jv sets out = J·v at the evaluated point without forming J, in
// O(lines).
func (m *fitted) jv(v, out, wd, ws []float64) {
	gp := m.fixedProduct(v, out, ws) // ∇pool·v
	gp = m.workerProduct(v, out, wd, ws, gp)
	gp = m.heldProduct(v, out, wd, ws, gp)
	m.cesProduct(v, out, wd)
	m.poolProduct(out, wd, gp)
}

// diagonal sets dg (n) to the diagonal of the weighted Jacobian less the
// pool's term, and m.gradPool to ∂pool/∂ln p; poolDiagonal gives the
// pool's term of each good.
func (m *fitted) diagonal(wd, ws, dg []float64) {
	m.fixedDiagonal(dg, ws)
	m.workerDiagonal(wd, ws, dg)
	m.heldDiagonal(wd, ws, dg)
	m.cesDiagonal(wd, dg)
}

// The fixed supply (endowments, labour): its value p_j·fixed_j moves with
// its own price, and all of it is in the pool.

func (m *fitted) fixedRows(J [][]float64, ws []float64) {
	for j := range m.p {
		row := J[j]
		for i := range row {
			row[i] = 0
		}
		row[j] -= ws[j] * m.fixed[j] * m.p[j]
		m.gradPool[j] = m.fixed[j] * m.p[j]
	}
}

func (m *fitted) fixedProduct(v, out, ws []float64) float64 {
	gp := 0.0
	for j := range m.p {
		fp := m.fixed[j] * m.p[j]
		out[j] = -ws[j] * fp * v[j]
		gp += fp * v[j]
	}
	return gp
}

func (m *fitted) fixedDiagonal(dg, ws []float64) {
	for j := range m.p {
		dg[j] = -ws[j] * m.fixed[j] * m.p[j]
		m.gradPool[j] = m.fixed[j] * m.p[j]
	}
}

// The pool: consumer demand of good j moves with the pool by a_j
// (m.a), so row j gains wd_j·a_j·∂pool/∂ln p.

func (m *fitted) poolRows(J [][]float64, wd []float64) {
	n := len(m.p)
	for j := 0; j < n; j++ {
		if m.a[j] == 0 {
			continue
		}
		row := J[j]
		aj := wd[j] * m.a[j]
		for i := 0; i < n; i++ {
			row[i] += aj * m.gradPool[i]
		}
	}
}

func (m *fitted) poolProduct(out, wd []float64, gp float64) {
	for j := range m.p {
		out[j] += wd[j] * m.a[j] * gp
	}
}

// poolDiagonal returns the pool's term of the diagonal at good j, after
// diagonal has set m.gradPool.
func (m *fitted) poolDiagonal(j int, wd []float64) float64 {
	return wd[j] * m.a[j] * m.gradPool[j]
}
