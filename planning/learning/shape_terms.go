package learning

// The shaped workers' terms of the weighted Jacobian (shape.go): value in
// predictShaped, and the shapes side by side as for the Cobb–Douglas
// workers (worker_terms.go), which skip them. With h_c = ∂ln q/∂ln p_c
// (outputs and emissions), s_c the inputs' shares at the evaluated point
// and Z_c = ∂z/∂ln p_c (h − s for the net margin; for the gross one an
// output's value over the gross unit value, less an emission's or an
// input's cost over the total unit cost), ∂ln y = ε·Z, an output's or
// emission's value moves by its own price and ∂ln y, and input k's by s +
// (γ + ε)·Z + (1 − σ)·(e_k − s); the surplus q·y − U·y by q·y·(h + ε·Z) −
// U·y·(s + (γ + ε)·Z).

// zGrad returns ∂z/∂ln p of w's line i (predictShaped set it: the
// outputs' and emissions' in g, the inputs' in h, the halves of each that
// their other gradient leaves free), nio the outputs and emissions.
func (w *workerFit) zGrad(i, nio int) float64 {
	if i < nio {
		return w.g[i]
	}
	return w.h[i]
}

// shapedRows adds the shaped workers' terms to the dense rows J and to
// m.gradPool unless the budgets lag.
func (m *fitted) shapedRows(J [][]float64, wd, ws []float64) {
	for _, c := range m.workers {
		w := m.wf[c]
		if !w.shape.on || w.y == 0 {
			continue
		}
		t := &w.shape
		nl := len(w.val)
		nOut, nio := len(w.out), len(w.out)+len(w.em)
		goods := w.ibuf[:nl]
		E, G, T := w.shapeE(), t.gam, 1-t.sigma
		hs := func(i int) (float64, float64) { // h and s of line i
			if i < nio {
				return w.h[i], 0
			}
			return 0, w.g[i]
		}
		qy := w.q * w.y
		for a, ga := range goods {
			wt, ua := wd[ga], w.val[a]
			if a < nOut {
				wt, ua = ws[ga], -ua
			}
			ua *= wt
			row := J[ga]
			for c2, gc := range goods {
				_, s := hs(c2)
				z := w.zGrad(c2, nio)
				var d float64
				if a < nio {
					d = E * z
					if a == c2 {
						d++
					}
				} else {
					d = s + (G+E)*z - T*s
					if a == c2 {
						d += T
					}
				}
				row[gc] += ua * d
			}
		}
		if !m.lag {
			for c2, gc := range goods {
				h, s := hs(c2)
				z := w.zGrad(c2, nio)
				m.gradPool[gc] += qy*(h+E*z) - t.uy*(s+(G+E)*z)
			}
		}
	}
}

// shapedProduct adds the shaped workers' terms of J·v to out and returns
// gp with their surplus's part unless the budgets lag (the shaped
// workers m.flat lists: ensureFlat has set it).
func (m *fitted) shapedProduct(v, out, wd, ws []float64, gp float64) float64 {
	for _, k := range m.flat.shaped {
		w := m.wf[m.workers[k]]
		if !w.shape.on || w.y == 0 {
			continue
		}
		t := &w.shape
		nOut, nio := len(w.out), len(w.out)+len(w.em)
		E, G, T := w.shapeE(), t.gam, 1-t.sigma
		H, S, Z := 0.0, 0.0, 0.0
		for i, g := range w.out {
			H += w.h[i] * v[g]
			Z += w.g[i] * v[g]
		}
		for i, g := range w.em {
			H += w.h[nOut+i] * v[g]
			Z += w.g[nOut+i] * v[g]
		}
		for i, g := range w.in {
			S += w.g[nio+i] * v[g]
			Z += w.h[nio+i] * v[g]
		}
		for i, g := range w.out {
			out[g] -= ws[g] * w.val[i] * (v[g] + E*Z)
		}
		for i, g := range w.em {
			out[g] += wd[g] * w.val[nOut+i] * (v[g] + E*Z)
		}
		for i, g := range w.in {
			out[g] += wd[g] * w.val[nio+i] * (S + (G+E)*Z + T*(v[g]-S))
		}
		if !m.lag {
			gp += w.q*w.y*(H+E*Z) - t.uy*(S+(G+E)*Z)
		}
	}
	return gp
}

// shapedDiagonal adds the shaped workers' terms of the weighted
// Jacobian's diagonal to dg, and their surplus's gradient to m.gradPool
// unless the budgets lag (the shaped workers m.flat lists, as for
// shapedProduct).
func (m *fitted) shapedDiagonal(wd, ws, dg []float64) {
	for _, k := range m.flat.shaped {
		w := m.wf[m.workers[k]]
		if !w.shape.on || w.y == 0 {
			continue
		}
		t := &w.shape
		nOut, nio := len(w.out), len(w.out)+len(w.em)
		E, G, T := w.shapeE(), t.gam, 1-t.sigma
		qy := w.q * w.y
		for i, g := range w.out {
			h, z := w.h[i], w.g[i]
			dg[g] -= ws[g] * w.val[i] * (1 + E*z)
			if !m.lag {
				m.gradPool[g] += qy*(h+E*z) - t.uy*(G+E)*z
			}
		}
		for i, g := range w.em {
			h, z := w.h[nOut+i], w.g[nOut+i]
			dg[g] += wd[g] * w.val[nOut+i] * (1 + E*z)
			if !m.lag {
				m.gradPool[g] += qy*(h+E*z) - t.uy*(G+E)*z
			}
		}
		for i, g := range w.in {
			s, z := w.g[nio+i], w.h[nio+i]
			dg[g] += wd[g] * w.val[nio+i] * (s + (G+E)*z - T*s + T)
			if !m.lag {
				m.gradPool[g] += qy*E*z - t.uy*(s+(G+E)*z)
			}
		}
	}
}
