package councils

import "fmt"

// A generated economy's goods are named for people who read it: the
// names below in turn, then again with a number ("bread 2").
var (
	genProduced = [][2]string{
		{"bread", "loaf"}, {"housing", "home-month"}, {"transit", "ride"}, {"power", "kWh"},
		{"water", "m³"}, {"clothing", "garment"}, {"tools", "toolset"}, {"furniture", "piece"},
		{"bicycles", "bicycle"}, {"books", "book"}, {"medicine", "dose"}, {"vegetables", "kg"},
		{"fruit", "kg"}, {"cheese", "kg"}, {"soap", "bar"}, {"paper", "ream"},
		{"bricks", "pallet"}, {"glass", "pane"}, {"steel", "tonne"}, {"cement", "bag"},
		{"textiles", "metre"}, {"shoes", "pair"}, {"radios", "radio"}, {"pumps", "pump"},
	}
	genLabour    = []string{"general labour", "skilled labour", "care work", "technical labour", "farm work"}
	genResources = [][2]string{{"land", "hectare"}, {"timber", "m³"}, {"ore", "tonne"}, {"clay", "tonne"}, {"sand", "tonne"}}
)

// genName returns the i-th name of a list, numbered after the first lap.
func genName(names []string, i int) string {
	n := names[i%len(names)]
	if lap := i / len(names); lap > 0 {
		n = fmt.Sprintf("%s %d", n, lap+1)
	}
	return n
}

// nameGoods names the goods of a generated scenario and gives them units.
func nameGoods(sc *Scenario) {
	var lab, res, prod int
	first := func(p [][2]string) []string {
		out := make([]string, len(p))
		for i, x := range p {
			out[i] = x[0]
		}
		return out
	}
	for i := range sc.Goods {
		g := &sc.Goods[i]
		switch g.Kind {
		case "labor":
			g.Name, g.Unit = genName(genLabour, lab), "hour"
			lab++
		case "resource":
			g.Name, g.Unit = genName(first(genResources), res), genResources[res%len(genResources)][1]
			res++
		case "pollutant":
			g.Name, g.Unit = "CO₂ emissions", "tonne"
		case "produced":
			g.Name, g.Unit = genName(first(genProduced), prod), genProduced[prod%len(genProduced)][1]
			prod++
		}
	}
}
