package councils

import "parecon/planning"

// The checks of the goods' appears field (docs/spec/economy.md, "New
// goods: free productive choice"); Validate calls them.

// goodsAppear checks every good's appears: a whole number of rounds, 0 to
// MaxPlanRounds; only a produced good may appear late (labour, resources
// and pollutants are there from the start: their supply is fixed), and
// never the numéraire, which every price is measured in.
func (w *walker) goodsAppear(sc *Scenario) {
	numeraire := sc.Numeraire
	if numeraire == "" {
		for _, g := range sc.Goods {
			if g.Kind == planning.Labor.String() {
				numeraire = g.ID
				break
			}
		}
		if numeraire == "" && len(sc.Goods) > 0 {
			numeraire = sc.Goods[0].ID
		}
	}
	for i, g := range sc.Goods {
		if g.Appears == 0 {
			continue
		}
		p := join(index("goods", i), "appears")
		switch {
		case g.Appears < 0:
			w.add(p, "%d: a good appears at a round ≥ 0", g.Appears)
		case g.Appears > MaxPlanRounds:
			w.add(p, "%d is above %d, the most rounds a plan has", g.Appears, MaxPlanRounds)
		case g.ID == numeraire:
			w.add(p, "%q is the numéraire: every price is measured in it, so it cannot appear late", short(g.ID))
		case g.Kind != planning.Produced.String():
			w.add(p, "a %s good is there from the start; only a produced good can appear late", g.Kind)
		}
	}
}
