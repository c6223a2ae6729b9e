package learning

// A producing worker council's fitted technology: its value (the lines it
// proposes at the evaluated prices) and its three shapes of the weighted
// Jacobian, side by side (see derivatives.go).

// addWorker adds fitted worker c's lines at log prices x (m.p set by
// startWorkers) to supV and demV and returns its surplus.
func (m *fitted) addWorker(c int, x []float64) float64 {
	w := m.wf[c]
	w.predict(m.p, x)
	v := w.val
	for i, g := range w.out {
		m.supV[g] += v[i]
	}
	o := len(w.out)
	for i, g := range w.em {
		m.demV[g] += v[o+i]
	}
	o += len(w.em)
	for i, g := range w.in {
		m.demV[g] += v[o+i]
	}
	return w.s
}

// workerRows adds the producing workers' terms to the dense rows J and
// their surplus's gradient to m.gradPool unless the budgets lag (the
// gradients w.g, w.h are set: ensureGrads).
func (m *fitted) workerRows(J [][]float64, wd, ws []float64) {
	for _, c := range m.workers {
		w := m.wf[c]
		if w.y == 0 || w.shape.on {
			continue
		}
		nl := len(w.val)
		g, h, val := w.g[:nl], w.h[:nl], w.val
		goods := w.ibuf[:nl] // outputs, emissions, inputs: the lines' order
		nOut, nio := len(w.out), len(w.out)+len(w.em)
		for a, ga := range goods {
			wt, ua := wd[ga], val[a]
			if a < nOut {
				wt, ua = ws[ga], -ua
			}
			ua *= wt
			row := J[ga]
			for c2, gc := range goods {
				row[gc] += ua * g[c2]
			}
			if a < nio {
				row[ga] += ua
			} else {
				// An input's value moves with q too.
				wv := wt * val[a]
				for c2, gc := range goods[:nio] {
					row[gc] += wv * h[c2]
				}
				// And, for a CES fit, its share with the input prices:
				// ∂ln β_a/∂ln p_c = (1−σ)(δ_ac − β_c/b).
				if e := w.subst(); e != 0 {
					wv *= e
					row[ga] += wv
					for c2, gc := range goods[nio:] {
						row[gc] -= wv * w.cur[c2] / w.b
					}
				}
			}
		}
		if !m.lag {
			for c2, gc := range goods {
				m.gradPool[gc] += w.s * (g[c2] + h[c2])
			}
		}
	}
	m.shapedRows(J, wd, ws)
}

// workerProduct adds the producing workers' terms of J·v to out and
// returns gp (∇pool·v so far) with their surplus's part unless the
// budgets lag.
func (m *fitted) workerProduct(v, out, wd, ws []float64, gp float64) float64 {
	// The producing workers: per worker, H = Σ h·v over its outputs and
	// emissions and B = Σ β·v over its inputs give ∇ln y·v = kb·H − ks·B
	// and ∇ln q·v = H.
	m.ensureFlat(wd, ws)
	f := &m.flat
	lag := m.lag
	for k := range f.kb {
		qy := f.qy[k]
		if qy == 0 {
			continue
		}
		ioLo, ioHi, inLo, inHi := f.io[k], f.io[k+1], f.in[k], f.in[k+1]
		ioGood, ioH, ioWa := f.ioGood[ioLo:ioHi], f.ioH[ioLo:ioHi], f.ioWa[ioLo:ioHi]
		ioH, ioWa = ioH[:len(ioGood)], ioWa[:len(ioGood)]
		inGood, inBeta := f.inGood[inLo:inHi], f.inBeta[inLo:inHi]
		inBeta = inBeta[:len(inGood)]
		H := 0.0
		for i, g := range ioGood {
			H += ioH[i] * v[g]
		}
		// Two sums, to overlap the additions' latency.
		B0, B1 := 0.0, 0.0
		i := 0
		for ; i+1 < len(inGood); i += 2 {
			B0 += inBeta[i] * v[inGood[i]]
			B1 += inBeta[i+1] * v[inGood[i+1]]
		}
		if i < len(inGood) {
			B0 += inBeta[i] * v[inGood[i]]
		}
		B := B0 + B1
		gdot := f.kb[k]*H - f.ks[k]*B
		for i, g := range ioGood {
			out[g] += ioWa[i] * (gdot + v[g])
		}
		gh := gdot + H
		t := qy * gh
		if e := f.es[k]; e != 0 {
			// A CES fit's shares move with the input prices too.
			mean := B * f.ib[k]
			for i, g := range inGood {
				out[g] += wd[g] * inBeta[i] * (t + qy*e*(v[g]-mean))
			}
		} else {
			for i, g := range inGood {
				out[g] += wd[g] * inBeta[i] * t
			}
		}
		if !lag {
			gp += f.s[k] * gh
		}
	}
	return m.shapedProduct(v, out, wd, ws, gp)
}

// workerDiagonal adds the producing workers' terms of the weighted
// Jacobian's diagonal (row weights wd, ws) to dg, and their surplus's
// gradient to m.gradPool unless the budgets lag.
func (m *fitted) workerDiagonal(wd, ws, dg []float64) {
	m.ensureFlat(wd, ws)
	f := &m.flat
	lag := m.lag
	for k := range f.kb {
		kb, ks, qy, sk := f.kb[k], f.ks[k], f.qy[k], f.s[k]
		if qy == 0 {
			continue
		}
		// Outputs and emissions: ∂ln y = kb·h; a line's own column lands
		// on the diagonal (a good appears once in a worker's lines).
		for i := f.io[k]; i < f.io[k+1]; i++ {
			g, h := f.ioGood[i], f.ioH[i]
			dg[g] += f.ioWa[i] * (kb*h + 1)
			if !lag {
				m.gradPool[g] += sk * (kb + 1) * h
			}
		}
		// Inputs: ∂ln y = −ks·β, value β·q·y.
		e, ib := f.es[k], f.ib[k]
		for i := f.in[k]; i < f.in[k+1]; i++ {
			g, b := f.inGood[i], f.inBeta[i]
			dg[g] -= wd[g] * b * qy * (ks*b - e*(1-b*ib))
			if !lag {
				m.gradPool[g] -= sk * ks * b
			}
		}
	}
	m.shapedDiagonal(wd, ws, dg)
}
