package planning

import "errors"

// Grow makes plan the board's plan between two rounds: plan's catalogue is
// the board's with new goods appended (docs/new-goods.md), its councils the
// same. Every round so far gets entries for the new goods, so that the
// history keeps one length: prices at open (per new good, in order), zero
// totals and gaps, and zero split and K where a round has them. The rounds
// are replaced by grown copies (Rounds returns them), never changed in
// place: whoever holds a round from before keeps it as it was. The
// current round must be closed; the next round opens with Open as ever.
func (b *Board) Grow(plan *Plan, open []float64) error {
	// The rounds say how long the old catalogue was (plan may be the
	// board's own plan, already grown in place).
	old, n := len(b.Current().Prices), len(plan.Goods)
	switch {
	case !b.Current().Closed:
		return errors.New("planning: grow the catalogue between rounds only")
	case n < old || len(open) != n-old:
		return errors.New("planning: a grown catalogue appends goods, with a price each")
	case len(plan.Councils) != len(b.Current().Budgets):
		return errors.New("planning: a grown catalogue keeps the councils")
	}
	pad := func(x []float64, with []float64) []float64 {
		if x == nil {
			return nil
		}
		return append(x[:len(x):len(x)], with...)
	}
	zeros := make([]float64, n-old)
	for i, old := range b.rounds {
		cp := *old
		r := &cp
		b.rounds[i] = r
		r.Prices = pad(r.Prices, open)
		r.Supply = pad(r.Supply, zeros)
		r.Demand = pad(r.Demand, zeros)
		r.Gap = pad(r.Gap, zeros)
		r.Split = pad(r.Split, zeros)
		r.K = pad(r.K, zeros)
	}
	b.plan = plan
	b.fixed = plan.FixedSupply()
	b.commons = plan.HasCommons()
	b.last = plan.LastAppears()
	b.tally.upTo = -1
	return nil
}
