package councils

import (
	"strings"
	"testing"
)

// TestScenarioBounds checks that every bounded scenario field is refused
// just beyond its bound, naming its path, and accepted at the bound.
func TestScenarioBounds(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name, old, new string
		want           string // "" = accepted
	}{
		{"price high", `"price": 2`, `"price": 1.1e12`, `goods[3].price: 1.1e+12 is outside [1e-12, 1e+12]`},
		{"price low", `"price": 2`, `"price": 1e-13`, `goods[3].price: 1e-13 is outside`},
		{"price at bounds", `"price": 2`, `"price": 1e12`, ``},
		{"endowment", `"endowment": 1000`, `"endowment": 1e13`, `goods[1].endowment: 1e+13 is above 1e+12, the largest quantity`},
		{"endowment at bound", `"endowment": 1000`, `"endowment": 1e12`, ``},
		{"members", `"members": 100`, `"members": 1e13`, `councils[1].members: 1e+13 is above 1e+12`},
		{"hours", `"hours": 40`, `"hours": 2e12`, `councils[1].hours: 2e+12 is above 1e+12`},
		{"effort", `"hours": 40,`, `"hours": 40, "effort": 1001,`, `councils[1].effort: 1001 is above 1000`},
		{"scale", `"scale": 2`, `"scale": 1.5e6`, `councils[0].scale: 1.5e+06 is above 1e+06, the largest scale`},
		{"emission", `"co2": 0.1}}`, `"co2": 1e13}}`, `councils[0].emissions.co2: 1e+13 is above 1e+12`},
		{"elasticity high", `"hours": 40,`, `"hours": 40, "elasticity": 101,`, `councils[1].elasticity: 101 is outside [0.01, 100]`},
		{"elasticity low", `"hours": 40,`, `"hours": 40, "elasticity": 0.001,`, `councils[1].elasticity: 0.001 is outside`},
		{"elasticity at bound", `"hours": 40,`, `"hours": 40, "elasticity": 100,`, ``},
		{"substitution", `"scale": 2,`, `"scale": 2, "substitution": 1000,`, `councils[0].substitution: 1000 is outside [0.01, 100]`},
		{"subsistence", `"hours": 40,`, `"hours": 40, "subsistence": {"bread": 2e12},`, `councils[1].subsistence.bread: 2e+12 is above 1e+12`},
		{"step", `"max_rounds": 200`, `"max_rounds": 200, "step": 1e7`, `facilitation.step: 1e+07 is above 1e+06, the largest step`},
		{"max rounds", `"max_rounds": 200`, `"max_rounds": 1000001`, `facilitation.max_rounds: 1000001 is above 1000000`},
		{"max rounds at bound", `"max_rounds": 200`, `"max_rounds": 1000000`, ``},
		{"name", `"name": "t"`, `"name": "` + long(201) + `"`, `name: 201 characters; a name or unit has at most 200`},
		{"name at bound", `"name": "t"`, `"name": "` + strings.Repeat("é", 200) + `"`, ``},
		{"unit", `{"id": "labor", "kind": "labor"}`, `{"id": "labor", "kind": "labor", "unit": "` + long(300) + `"}`, `goods[0].unit: 300 characters`},
		{"good name", `{"id": "labor", "kind": "labor"}`, `{"id": "labor", "kind": "labor", "name": "` + long(201) + `"}`, `goods[0].name: 201 characters`},
		{"id", `{"id": "north"`, `{"id": "` + long(65) + `"`, `councils[1].id: "` + long(64) + `…" is longer than 64 bytes`},
		{"id at bound", `{"id": "north"`, `{"id": "` + long(64) + `"`, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(base, tc.old, tc.new, 1)
			if src == base {
				t.Fatalf("replacement %q not found", tc.old)
			}
			_, err := ParseScenario([]byte(src))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("problems:\n%v\nwant a line containing %q", err, tc.want)
			}
		})
	}
}

// TestScenarioSizeBounds checks the most goods and councils a scenario may
// have, refused before anything else is checked.
func TestScenarioSizeBounds(t *testing.T) {
	sc := mustParse(t, base)
	goods := sc.Goods
	sc.Goods = make([]GoodSpec, MaxGoods+1)
	if ps := Validate(sc); len(ps) != 1 || ps[0].Path != "goods" || !strings.Contains(ps[0].Message, "at most 10000") {
		t.Errorf("too many goods: %v", ps)
	}
	sc.Goods = goods
	sc.Councils = make([]CouncilSpec, MaxCouncils+1)
	if ps := Validate(sc); len(ps) != 1 || ps[0].Path != "councils" || !strings.Contains(ps[0].Message, "at most 200000") {
		t.Errorf("too many councils: %v", ps)
	}
}
