package learning

import "parecon/planning"

// The councils held at their standing proposals (wholly, weight 1, or for
// the part 1 − λ̂ a partial mover keeps): their value moves with each
// line's own price only, and a worker's goes into the pool. Value and the
// three shapes of the Jacobian side by side (see derivatives.go).

// heldValue adds the held councils' lines at the evaluated prices to supV
// and demV and returns the workers' surplus s with theirs.
func (m *fitted) heldValue(s float64) float64 {
	for k, c := range m.held {
		pr, wt := m.props[c], m.heldW[k]
		for _, l := range pr.Out {
			v := m.p[l.Good] * l.Qty * wt
			m.supV[l.Good] += v
			if m.plan.Councils[c].Role == planning.Worker {
				s += v
			}
		}
		for _, l := range pr.In {
			v := m.p[l.Good] * l.Qty * wt
			m.demV[l.Good] += v
			if m.plan.Councils[c].Role == planning.Worker {
				s -= v
			}
		}
	}
	return s
}

func (m *fitted) heldRows(J [][]float64, wd, ws []float64) {
	for k, c := range m.held {
		pr, wt := m.props[c], m.heldW[k]
		worker := m.plan.Councils[c].Role == planning.Worker
		for _, l := range pr.Out {
			v := m.p[l.Good] * l.Qty * wt
			J[l.Good][l.Good] -= ws[l.Good] * v
			if worker && !m.lag {
				m.gradPool[l.Good] += v
			}
		}
		for _, l := range pr.In {
			v := m.p[l.Good] * l.Qty * wt
			J[l.Good][l.Good] += wd[l.Good] * v
			if worker && !m.lag {
				m.gradPool[l.Good] -= v
			}
		}
	}
}

func (m *fitted) heldProduct(v, out, wd, ws []float64, gp float64) float64 {
	for k, c := range m.held {
		pr, wt := m.props[c], m.heldW[k]
		worker := m.plan.Councils[c].Role == planning.Worker
		for _, l := range pr.Out {
			x := m.p[l.Good] * l.Qty * wt * v[l.Good]
			out[l.Good] -= ws[l.Good] * x
			if worker && !m.lag {
				gp += x
			}
		}
		for _, l := range pr.In {
			x := m.p[l.Good] * l.Qty * wt * v[l.Good]
			out[l.Good] += wd[l.Good] * x
			if worker && !m.lag {
				gp -= x
			}
		}
	}
	return gp
}

func (m *fitted) heldDiagonal(wd, ws, dg []float64) {
	for k, c := range m.held {
		pr, wt := m.props[c], m.heldW[k]
		worker := m.plan.Councils[c].Role == planning.Worker
		for _, l := range pr.Out {
			v := m.p[l.Good] * l.Qty * wt
			dg[l.Good] -= ws[l.Good] * v
			if worker && !m.lag {
				m.gradPool[l.Good] += v
			}
		}
		for _, l := range pr.In {
			v := m.p[l.Good] * l.Qty * wt
			dg[l.Good] += wd[l.Good] * v
			if worker && !m.lag {
				m.gradPool[l.Good] -= v
			}
		}
	}
}
