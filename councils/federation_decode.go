package councils

// federation decodes one entry of a scenario's "federations".
func (w *walker) federation(path string, v any) FederationSpec {
	f := FederationSpec{}
	m := w.object(path, v, "id", "name", "parent", "members", "levy", "weights", "elasticity", "adjust", "round_to")
	if m == nil {
		return f
	}
	for _, k := range sortedKeys(m) {
		p, x := join(path, k), m[k]
		switch k {
		case "id":
			f.ID = w.str(p, x)
		case "name":
			f.Name = w.str(p, x)
		case "parent":
			f.Parent = w.str(p, x)
		case "members":
			for i, c := range w.array(p, x) {
				f.Members = append(f.Members, w.str(index(p, i), c))
			}
			if f.Members == nil {
				f.Members = []string{}
			}
		case "levy":
			f.Levy = w.num(p, x)
		case "weights":
			f.Weights = w.numbers(p, x)
		case "elasticity":
			n := len(w.probs)
			f.Elasticity = w.num(p, x)
			if f.Elasticity == 0 && len(w.probs) == n {
				w.add(p, "the elasticity must be positive")
			}
		case "adjust":
			n := len(w.probs)
			f.Adjust = w.num(p, x)
			if f.Adjust == 0 && len(w.probs) == n {
				w.add(p, "adjust must be in (0, 1]: the fraction of the way a federation moves each round")
			}
		case "round_to":
			n := len(w.probs)
			f.RoundTo = w.integer(p, x)
			if f.RoundTo == 0 && len(w.probs) == n {
				w.add(p, "round_to must be a whole number of significant figures from 1 to %d", MaxRoundTo)
			}
		}
	}
	return f
}
