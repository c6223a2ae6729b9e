package live

import (
	"sync"

	"parecon/councils"
	"parecon/internal/examples"
	"parecon/internal/wire"
)

var (
	exampleOnce sync.Once
	exampleList wire.ExampleList
)

// Examples returns the bundled scenarios with their descriptions, goods
// and councils (wire.ExampleList), parsed once.
func Examples() wire.ExampleList {
	exampleOnce.Do(func() {
		exampleList = wire.ExampleList{Examples: examples.Names(), Details: []wire.ExampleInfo{}}
		for _, name := range exampleList.Examples {
			info := wire.ExampleInfo{Name: name, Description: examples.Description(name), Goods: []wire.Good{}, Councils: []wire.ExampleCouncil{}}
			if b, err := examples.Scenario(name); err == nil {
				if sc, err := councils.ParseScenario(b); err == nil {
					info.Title = sc.Name
					for _, g := range sc.Goods {
						info.Goods = append(info.Goods, wire.Good{ID: g.ID, Name: g.Name, Unit: g.Unit, Kind: g.Kind})
					}
					suggested := map[string]bool{}
					for _, id := range SuggestedHumans(sc) {
						suggested[id] = true
					}
					for _, c := range sc.Councils {
						info.Councils = append(info.Councils, wire.ExampleCouncil{ID: c.ID, Type: c.Type, Makes: c.Output, Human: c.Human(), Suggested: suggested[c.ID]})
					}
				}
			}
			exampleList.Details = append(exampleList.Details, info)
		}
	})
	return exampleList
}

// SuggestedHumans returns the councils a demo leaves to people: the first
// worker and the first consumer council that have models.
func SuggestedHumans(sc *councils.Scenario) []string {
	var ids []string
	seen := map[string]bool{}
	for _, c := range sc.Councils {
		if !c.Human() && !seen[c.Type] {
			seen[c.Type] = true
			ids = append(ids, c.ID)
		}
	}
	return ids
}
