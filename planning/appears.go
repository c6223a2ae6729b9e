package planning

// New goods (docs/spec/economy.md, "New goods: free productive choice"): a
// good with Appears = R > 0 joins the catalogue at round R. Before R it has
// no makers, no users and no fund weight, so its totals are zero; the
// board counts it in no split, and no round before the last good's
// appearance converges. The catalogue keeps the good's index throughout,
// so prices and totals keep their length.

// Exists reports whether good j is in the catalogue in round r.
func (p *Plan) Exists(j, r int) bool { return p.Goods[j].Appears <= r }

// LastAppears returns the round from which the whole catalogue exists (0
// when every good is there from the start).
func (p *Plan) LastAppears() int {
	last := 0
	for _, g := range p.Goods {
		last = max(last, g.Appears)
	}
	return last
}

// HoldAbsent sets, in prices for round r, the price of every good that has
// not yet appeared by round r to its price in initial: a good nobody makes
// or asks for has nothing to move its price, and it opens at the price it
// was given. It reports whether it changed any price.
func (p *Plan) HoldAbsent(prices, initial []float64, r int) bool {
	changed := false
	for j, g := range p.Goods {
		if g.Appears > r && j < len(prices) && j < len(initial) && prices[j] != initial[j] {
			prices[j] = initial[j]
			changed = true
		}
	}
	return changed
}
