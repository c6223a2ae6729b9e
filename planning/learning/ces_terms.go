package learning

// The consumer councils whose fitted elasticity is not 1 (CES), evaluated
// one by one (the Cobb–Douglas ones aggregate exactly: model.go): value
// and the three shapes of the Jacobian side by side (see derivatives.go).

// cesValue adds the CES consumers' requests at log prices x to demV and
// their response to the pool to m.a.
func (m *fitted) cesValue(x []float64) {
	for _, c := range m.ces {
		f := m.cf[c]
		f.predict(x)
		share := m.budgetShare(c)
		spend := m.spent(f) * share * m.pool
		for i, g := range f.goods {
			m.demV[g] += spend * f.w[i]
			m.a[g] += m.spent(f) * share * f.w[i]
		}
	}
}

func (m *fitted) cesRows(J [][]float64, wd []float64) {
	for _, c := range m.ces {
		f := m.cf[c]
		e := 1 - f.sigma
		if e == 0 {
			continue
		}
		spend := m.spent(f) * m.budgetShare(c) * m.pool
		for a, ga := range f.goods {
			dv := wd[ga] * spend * f.w[a] * e
			row := J[ga]
			row[ga] += dv
			for b, gb := range f.goods {
				row[gb] -= dv * f.w[b]
			}
		}
	}
}

func (m *fitted) cesProduct(v, out, wd []float64) {
	for _, c := range m.ces {
		f := m.cf[c]
		e := 1 - f.sigma
		if e == 0 {
			continue
		}
		spend := m.spent(f) * m.budgetShare(c) * m.pool
		wv := 0.0
		for b, gb := range f.goods {
			wv += f.w[b] * v[gb]
		}
		for a, ga := range f.goods {
			out[ga] += wd[ga] * spend * f.w[a] * e * (v[ga] - wv)
		}
	}
}

func (m *fitted) cesDiagonal(wd, dg []float64) {
	for _, c := range m.ces {
		f := m.cf[c]
		e := 1 - f.sigma
		spend := m.spent(f) * m.budgetShare(c) * m.pool
		for a, ga := range f.goods {
			dg[ga] += wd[ga] * spend * f.w[a] * e * (1 - f.w[a])
		}
	}
}
