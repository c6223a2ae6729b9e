package examples

// descriptions are the bundled examples' one-line descriptions, for the
// start page and `parecon demo --help`. A test checks every bundled
// example has one.
//
// Millbrook, the town, will gain an open-source design commons (a commons
// good that the workplaces share) and wards (federations of its
// neighbourhoods) once commons goods and federations are in the engine.
var descriptions = map[string]string{
	"millbrook":         "Millbrook, a small town: four neighbourhoods and nine workplaces plan a week of bread, vegetables, housing, transit, power and tools, within a CO₂ allowance.",
	"bread-and-land":    "The smallest economy: one bakery, two households, land and a CO₂ allowance.",
	"fisher-small":      "Three households trading four endowed goods (a Fisher market), no production.",
	"economy-12":        "A generated economy of 12 goods (g000…g011) made by 18 workplaces for 15 households.",
	"economy-12-ces":    "economy-12 with households whose goods substitute more or less easily (CES preferences).",
	"economy-12-people": "economy-12 with councils that behave like people: needs, gradual moves, rounded numbers.",
	"economy-40":        "A generated economy of 40 goods, 55 workplaces and 30 households, from a cold start.",
	"economy-40-warm":   "economy-40 starting from last year's prices, so it converges faster.",
	"economy-120":       "A large generated economy: 120 goods, 180 workplaces and 100 households.",
	"pequod-shaped-300": "The shape of the Pequod experiments: 300 workplaces, 300 households, 10 kinds of labour.",
}

// Description returns the bundled example's one-line description, or ""
// for none.
func Description(name string) string { return descriptions[name] }
