package councils

import (
	"math"

	"parecon/planning"
)

// The checks of the commons fields of a scenario (docs/spec/economy.md,
// "Commons goods" and "Scenario fields (version 2)"); Validate calls them.

// isCommons reports whether good id is a commons good of the scenario
// (commons holds the commons goods' stocks).
func isCommons(commons map[string]float64, id string) bool {
	_, ok := commons[id]
	return ok
}

// commonsGood checks good g's rival and stock fields: only a produced
// good may be non-rival, and only a commons good has a stock.
func (w *walker) commonsGood(path string, g *GoodSpec, k planning.Kind) {
	if g.IsCommons() && k != planning.Produced {
		w.add(join(path, "rival"), "a %s good is always rival; only a produced good can be a commons good (rival: false)", k)
	}
	w.quantity(join(path, "stock"), g.Stock)
	if g.Stock != 0 && !g.IsCommons() {
		w.add(join(path, "stock"), "only a commons good (rival: false) has a stock")
	}
}

// workerCommons checks worker council c's commons inputs {good: γ}: each a
// commons good with a stock > 0 and γ > 0, and b + Σγ < 1 where b is the
// sum of its input exponents.
func (w *walker) workerCommons(path string, c *CouncilSpec, b float64, kinds map[string]planning.Kind, commons map[string]float64) {
	sum := b
	for _, g := range sortedGoods(c.Commons) {
		q := join(join(path, "commons"), g)
		gamma := c.Commons[g]
		stock, isC := commons[g]
		_, known := kinds[g]
		switch {
		case !known:
			w.add(q, "unknown good %q", short(g))
		case !isC:
			w.add(q, "%q is a rival good; a council draws on commons goods (rival: false) only", short(g))
		case g == c.Output:
			w.add(q, "a council does not draw on its own output")
		case !(stock > 0):
			w.add(q, "%q has no stock: a council may draw on a commons good only where its stock is > 0", short(g))
		}
		if !(gamma > 0) || math.IsInf(gamma, 0) {
			w.add(q, "a commons exponent must be a positive finite number")
		}
		sum += gamma
	}
	if len(c.Commons) > 0 && sum >= 1 {
		w.add(join(path, "commons"), "the input and commons exponents sum to %.6g; they must sum to less than 1 (decreasing returns)", sum)
	}
}

// consumerVote checks a simulated consumer council's vote: commons_share
// in [0, 1), and commons_weights only with it, over commons goods, each ≥ 0
// and summing to 1.
func (w *walker) consumerVote(path string, c *CouncilSpec, kinds map[string]planning.Kind, commons map[string]float64) {
	if c.CommonsShare != nil {
		w.share(join(path, "commons_share"), *c.CommonsShare)
	}
	if c.CommonsWeights == nil {
		return
	}
	p := join(path, "commons_weights")
	if c.CommonsShare == nil {
		w.add(p, "commons_weights without commons_share: a council that splits the fund votes its share too")
	}
	w.splitWeights(p, c.CommonsWeights, kinds, commons)
}

// share checks a levy or a vote for one: a finite number in [0, 1).
func (w *walker) share(path string, x float64) {
	if !(x >= 0 && x < 1) {
		w.add(path, "%v is not a share of income in [0, 1)", x)
	}
}

// splitWeights checks the weights of a split of the commons fund: commons
// goods, each weight finite and ≥ 0, summing to 1.
func (w *walker) splitWeights(path string, m map[string]float64, kinds map[string]planning.Kind, commons map[string]float64) {
	if len(m) == 0 {
		w.add(path, "the weights split the fund over at least one commons good")
		return
	}
	sum := 0.0
	for _, g := range sortedGoods(m) {
		q := join(path, g)
		if _, ok := kinds[g]; !ok {
			w.add(q, "unknown good %q", short(g))
		} else if !isCommons(commons, g) {
			w.add(q, "%q is a rival good; the fund is split over commons goods (rival: false) only", short(g))
		}
		x := m[g]
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			w.add(q, "a weight must be a finite number ≥ 0")
			continue
		}
		sum += x
	}
	if math.Abs(sum-1) > WeightSlack {
		w.add(path, "the weights sum to %.12g; they must sum to 1", sum)
	}
}
