package councils

import (
	"math"
	"strconv"
)

// RoundScenario rounds every number of sc to n significant figures (1 to
// MaxRoundTo), for a scenario people read: prices, endowments, scales,
// exponents, emissions, members, effort, hours, elasticities, needs and
// adjust. The rules that rounding could break still hold after it: a
// consumer council's weights are rounded to decimals and its largest
// weight set to one minus the others, so that they still sum to 1; a
// worker council's exponents are rounded down, so that they still sum to
// less than 1; no positive number becomes 0. It changes sc in place.
func RoundScenario(sc *Scenario, n int) {
	r := func(x float64) float64 { return roundKeep(x, n) }
	for i := range sc.Goods {
		g := &sc.Goods[i]
		g.Price, g.Endowment = r(g.Price), r(g.Endowment)
	}
	for i := range sc.Councils {
		c := &sc.Councils[i]
		c.Scale, c.Members, c.Effort, c.Hours = r(c.Scale), r(c.Members), r(c.Effort), r(c.Hours)
		c.Elasticity, c.Substitution, c.Adjust = r(c.Elasticity), r(c.Substitution), math.Min(1, r(c.Adjust))
		for g, x := range c.Inputs {
			if d := RoundSig(x, n, false); d > 0 {
				c.Inputs[g] = d
			}
		}
		for g, x := range c.Emissions {
			c.Emissions[g] = r(x)
		}
		for g, x := range c.Subsistence {
			c.Subsistence[g] = r(x)
		}
		roundWeights(c.Weights, n)
	}
}

// roundKeep rounds x to n significant figures, keeping a positive x
// positive.
func roundKeep(x float64, n int) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return x
	}
	f, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	if err != nil || f == 0 {
		return x
	}
	return f
}

// roundWeights rounds weights that sum to 1 to n decimals (at least
// enough for the smallest weight to keep n significant figures) and sets
// the largest to one minus the others, so that their sum stays 1 to the
// float's precision.
func roundWeights(w map[string]float64, n int) {
	if len(w) < 2 {
		return
	}
	largest, lo := "", math.Inf(1)
	for g, x := range w {
		if largest == "" || x > w[largest] || (x == w[largest] && g < largest) {
			largest = g
		}
		if x > 0 {
			lo = math.Min(lo, x)
		}
	}
	dec := n
	if lo > 0 && !math.IsInf(lo, 0) {
		dec = max(n, n-1-int(math.Floor(math.Log10(lo))))
	}
	dec = min(dec, 15)
	p := math.Pow(10, float64(dec))
	rest := 0.0
	for g, x := range w {
		if g == largest {
			continue
		}
		if d := math.Round(x*p) / p; d > 0 {
			w[g] = d
		}
		rest += w[g]
	}
	w[largest] = math.Round((1-rest)*p) / p
}
