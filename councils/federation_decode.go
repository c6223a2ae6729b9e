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
			f.Elasticity = w.nonZero(p, x, "the elasticity must be positive")
		case "adjust":
			f.Adjust = w.nonZero(p, x, "adjust must be in (0, 1]: the fraction of the way a federation moves each round")
		case "round_to":
			f.RoundTo = w.nonZeroInt(p, x, "round_to must be a whole number of significant figures from 1 to %d", MaxRoundTo)
		}
	}
	return f
}
