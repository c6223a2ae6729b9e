package examples

// descriptions are the bundled examples' one-line descriptions, for the
// start page and `parecon demo --help`. A test checks every bundled
// example has one.
//
// Millbrook, the town, could gain an open-source design commons (a
// commons good that the workplaces share) and wards (federations of its
// neighbourhoods): commons-small and federation-city show both.
var descriptions = map[string]string{
	"millbrook":          "Millbrook, a small town: four neighbourhoods and nine workplaces plan a week of bread, vegetables, housing, transit, power and tools, within a CO₂ allowance.",
	"bread-and-land":     "The smallest economy: one bakery, two households, land and a CO₂ allowance.",
	"fisher-small":       "Three households trading four endowed goods (a Fisher market), no production.",
	"economy-12":         "A generated economy of 12 goods (g000…g011) made by 18 workplaces for 15 households.",
	"economy-12-ces":     "economy-12 with households whose goods substitute more or less easily (CES preferences).",
	"economy-12-people":  "economy-12 with councils that behave like people: needs, gradual moves, rounded numbers.",
	"economy-40":         "A generated economy of 40 goods, 55 workplaces and 30 households, from a cold start.",
	"economy-40-warm":    "economy-40 starting from last year's prices, so it converges faster.",
	"economy-120":        "A large generated economy: 120 goods, 180 workplaces and 100 households.",
	"pequod-shaped-300":  "The shape of the Pequod experiments: 300 workplaces, 300 households, 10 kinds of labour.",
	"commons-small":      "A bakery and an open oven design that everyone uses free: three neighbourhoods vote the levy that pays the design's makers.",
	"federation-city":    "Riverton: two wards and a city that plan transit and parks in common, beside four neighbourhoods' own consumption.",
	"economy-40-commons": "economy-40 with four commons goods and a federation tree of wards and neighbourhoods.",
	"economy-40-newgood": "economy-40 in which one workplace starts making a new good at round 3, without asking anyone.",
}

// Description returns the bundled example's one-line description, or ""
// for none.
func Description(name string) string { return descriptions[name] }
