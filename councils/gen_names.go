package councils

import (
	"fmt"
	"strings"
)

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
	genNeighbourhoods = []string{"old town", "riverside", "hillside", "station quarter", "north end", "market square",
		"harbour", "millbrook", "east gate", "west fields", "park row", "orchard", "canal side", "south bank", "high street", "meadows"}
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

// genSlug turns a generated name into a council id: "old town 2" →
// "old-town-2".
func genSlug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// workplaceID names the k-th workplace (from 0) making good: "bread-works",
// "bread-works-2", after the good's name.
func workplaceID(sc *Scenario, good string, k int) string {
	name := good
	for _, g := range sc.Goods {
		if g.ID == good && g.Name != "" {
			name = g.Name
		}
	}
	id := genSlug(name) + "-works"
	if k > 0 {
		id += fmt.Sprintf("-%d", k+1)
	}
	return id
}
