package councils

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// base is a small valid scenario; the cases below break one thing each.
const base = `{
 "name": "t", "numeraire": "labor",
 "goods": [
  {"id": "labor", "kind": "labor"},
  {"id": "land", "kind": "resource", "endowment": 1000},
  {"id": "co2", "kind": "pollutant", "endowment": 80},
  {"id": "bread", "kind": "produced", "price": 2}
 ],
 "councils": [
  {"id": "bakery", "type": "worker", "output": "bread", "scale": 2,
   "inputs": {"labor": 0.5, "land": 0.3}, "emissions": {"co2": 0.1}},
  {"id": "north", "type": "consumer", "members": 100, "hours": 40,
   "weights": {"bread": 0.7, "land": 0.3}}
 ],
 "facilitation": {"tolerance": 0.01, "max_rounds": 200}
}`

func TestDecodeScenarioProblems(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           string // one expected problem line
	}{
		{"unknown field", `"scale": 2,`, `"scale": 2, "colour": "red",`, `councils[0].colour: unknown field "colour"`},
		{"unknown top field", `"name": "t",`, `"name": "t", "x": 1,`, `x: unknown field "x"`},
		{"unknown input good", `"land": 0.3}, "emissions"`, `"lands": 0.3}, "emissions"`, `councils[0].inputs.lands: unknown good "lands"`},
		{"unknown output", `"output": "bread"`, `"output": "cake"`, `councils[0].output: unknown good "cake"`},
		{"unknown numeraire", `"numeraire": "labor"`, `"numeraire": "gold"`, `numeraire: unknown good "gold"`},
		{"duplicate good", `{"id": "bread", "kind": "produced", "price": 2}`, `{"id": "bread", "kind": "produced"}, {"id": "bread", "kind": "produced"}`, `goods[4].id: duplicate good id "bread"`},
		{"duplicate council", `{"id": "north"`, `{"id": "bakery"`, `councils[1].id: duplicate council id "bakery"`},
		{"bad id", `{"id": "north"`, `{"id": "North Side"`, `councils[1].id: "North Side" is not an id`},
		{"negative", `"members": 100`, `"members": -100`, `councils[1].members: -100 is negative`},
		{"not finite", `"members": 100`, `"members": 1e999`, `councils[1].members: 1e999 is not a finite number`},
		{"string for number", `"members": 100`, `"members": "100"`, `councils[1].members: want a number, got a string`},
		{"weights sum", `"weights": {"bread": 0.7, "land": 0.3}`, `"weights": {"bread": 0.7, "land": 0.2}`, `councils[1].weights: the weights sum to 0.9; they must sum to 1`},
		{"returns not decreasing", `"inputs": {"labor": 0.5, "land": 0.3}`, `"inputs": {"labor": 0.7, "land": 0.3}`, `councils[0].inputs: the exponents sum to 1; they must sum to less than 1`},
		{"nobody supplies", `"kind": "resource", "endowment": 1000`, `"kind": "resource"`, `councils[0].inputs.land: "land" is used but the resource has no endowment`},
		{"nobody produces", `{"id": "bread", "kind": "produced", "price": 2}`, `{"id": "bread", "kind": "produced", "price": 2}, {"id": "cake", "kind": "produced"}`, ``},
		{"consumed not produced", `"weights": {"bread": 0.7, "land": 0.3}`, `"weights": {"bread": 0.7, "land": 0.2, "cake": 0.1}`, `councils[1].weights.cake: unknown good "cake"`},
		{"bad kind", `{"id": "land", "kind": "resource"`, `{"id": "land", "kind": "mineral"`, `goods[1].kind: unknown kind "mineral"`},
		{"zero price", `"price": 2`, `"price": 0`, `goods[3].price: a price must be positive`},
		{"pollutant as input", `"inputs": {"labor": 0.5, "land": 0.3}`, `"inputs": {"labor": 0.5, "co2": 0.3}`, `councils[0].inputs.co2: "co2" is a pollutant: list it under emissions`},
		{"emission not pollutant", `"emissions": {"co2": 0.1}`, `"emissions": {"land": 0.1}`, `councils[0].emissions.land: "land" is a resource good, not a pollutant`},
		{"bad type", `"type": "consumer"`, `"type": "household"`, `councils[1].type: unknown council type "household"`},
		{"worker field on consumer", `"hours": 40,`, `"hours": 40, "scale": 3,`, `councils[1].scale: a consumer council has no scale`},
		{"zero tolerance", `"tolerance": 0.01`, `"tolerance": 0`, `facilitation.tolerance: the tolerance must be between 0 and 1`},
		{"tolerance 2", `"tolerance": 0.01`, `"tolerance": 2`, `facilitation.tolerance: the tolerance is a fraction between 0 and 1 (0.01 means every gap within 1%), not 2`},
		{"tolerance 1", `"tolerance": 0.01`, `"tolerance": 1`, `facilitation.tolerance: the tolerance is a fraction between 0 and 1`},
		{"tolerance just under 1", `"tolerance": 0.01`, `"tolerance": 0.99`, ``},
		{"unknown rule", `"max_rounds": 200`, `"max_rounds": 200, "rule": "magic"`, `facilitation.rule: unknown rule "magic"`},
		{"fractional rounds", `"max_rounds": 200`, `"max_rounds": 2.5`, `facilitation.max_rounds: want a whole number`},
		{"array for number", `"tolerance": 0.01`, `"tolerance": [0.01]`, `facilitation.tolerance: want a number, got an array`},
		{"privacy k zero", `"max_rounds": 200`, `"max_rounds": 200, "privacy": {"k": 0}`, `facilitation.privacy.k: k must be a whole number from 1`},
		{"privacy k fractional", `"max_rounds": 200`, `"max_rounds": 200, "privacy": {"k": 2.5}`, `facilitation.privacy.k: want a whole number`},
		{"privacy k huge", `"max_rounds": 200`, `"max_rounds": 200, "privacy": {"k": 2000000}`, `facilitation.privacy.k: k must be a whole number from 1 to 1000000`},
		{"privacy facilitator", `"max_rounds": 200`, `"max_rounds": 200, "privacy": {"facilitator": "some"}`, `facilitation.privacy.facilitator: want "all" or "aggregates", not "some"`},
		{"privacy unknown field", `"max_rounds": 200`, `"max_rounds": 200, "privacy": {"epsilon": 1}`, `facilitation.privacy.epsilon: unknown field "epsilon"`},
		{"privacy not object", `"max_rounds": 200`, `"max_rounds": 200, "privacy": 3`, `facilitation.privacy: want an object, got a number`},
		{"privacy good", `"max_rounds": 200`, `"max_rounds": 200, "privacy": {"k": 5, "facilitator": "aggregates"}`, ``},
		{"syntax", `"scale": 2,`, `"scale": 2,,`, `line 10, column 68: malformed JSON: invalid character ','`},
		{"truncated", base, base[:200], `malformed JSON: unexpected end of JSON input`},
		{"trailing", base, base + ` {}`, `line 16, column 3: malformed JSON: invalid character '{' after top-level value`},
		{"not object", base, `[1,2]`, `want an object, got an array`},
		{"labor not labour", `"hours": 40,`, `"hours": 40, "labor": "land",`, `councils[1].labor: "land" is a resource good, not labour`},
		{"substitution zero", `"scale": 2,`, `"scale": 2, "substitution": 0,`, `councils[0].substitution: the substitution elasticity must be positive`},
		{"substitution negative", `"scale": 2,`, `"scale": 2, "substitution": -0.5,`, `councils[0].substitution: -0.5 is negative`},
		{"substitution string", `"scale": 2,`, `"scale": 2, "substitution": "high",`, `councils[0].substitution: want a number, got a string`},
		{"substitution ok", `"scale": 2,`, `"scale": 2, "substitution": 0.5,`, ``},
		{"substitution on consumer", `"hours": 40,`, `"hours": 40, "substitution": 2,`, `councils[1].substitution: a consumer council has no substitution`},
		{"subsistence ok", `"hours": 40,`, `"hours": 40, "subsistence": {"bread": 3, "land": 0},`, ``},
		{"subsistence negative", `"hours": 40,`, `"hours": 40, "subsistence": {"bread": -3},`, `councils[1].subsistence.bread: -3 is negative`},
		{"subsistence unweighted", `"hours": 40,`, `"hours": 40, "subsistence": {"co2": 1},`, `councils[1].subsistence.co2: "co2" is not among the council's weights`},
		{"subsistence not object", `"hours": 40,`, `"hours": 40, "subsistence": 3,`, `councils[1].subsistence: want an object of numbers, got a number`},
		{"subsistence on worker", `"scale": 2,`, `"scale": 2, "subsistence": {"bread": 1},`, `councils[0].subsistence: a worker council has no subsistence`},
		{"adjust ok", `"scale": 2,`, `"scale": 2, "adjust": 0.4, "round_to": 3,`, ``},
		{"adjust one", `"hours": 40,`, `"hours": 40, "adjust": 1,`, ``},
		{"adjust zero", `"hours": 40,`, `"hours": 40, "adjust": 0,`, `councils[1].adjust: adjust must be in (0, 1]`},
		{"adjust above one", `"hours": 40,`, `"hours": 40, "adjust": 1.5,`, `councils[1].adjust: adjust is 1.5; it must be in (0, 1]`},
		{"adjust negative", `"scale": 2,`, `"scale": 2, "adjust": -0.5,`, `councils[0].adjust: -0.5 is negative`},
		{"round_to zero", `"hours": 40,`, `"hours": 40, "round_to": 0,`, `councils[1].round_to: round_to must be a whole number of significant figures from 1 to 15`},
		{"round_to 16", `"hours": 40,`, `"hours": 40, "round_to": 16,`, `councils[1].round_to: round_to is 16; it must be a whole number of significant figures from 1 to 15`},
		{"round_to fraction", `"scale": 2,`, `"scale": 2, "round_to": 2.5,`, `councils[0].round_to: want a whole number, got 2.5`},
		{"round_to huge", `"scale": 2,`, `"scale": 2, "round_to": 1e300,`, `councils[0].round_to: want a whole number, got 1e+300`},
		{"round_to string", `"scale": 2,`, `"scale": 2, "round_to": "3",`, `councils[0].round_to: want a number, got a string`},
		{"adjust on human consumer", `"weights": {"bread": 0.7, "land": 0.3}}`, `"adjust": 0.5}`, `councils[1].adjust: a human consumer (no weights) council has no adjust`},
		{"round_to on human worker", `"output": "bread", "scale": 2,
   "inputs": {"labor": 0.5, "land": 0.3}, "emissions": {"co2": 0.1}}`, `"round_to": 2}`, `councils[0].round_to: a human worker (no output) council has no round_to`},
		{"human consumer elasticity", `"weights": {"bread": 0.7, "land": 0.3}}`, `"elasticity": 2}`, `councils[1].elasticity: a human consumer council (no weights) has no elasticity`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(base, tc.old, tc.new, 1)
			if src == base && tc.old != base {
				t.Fatalf("replacement %q not found", tc.old)
			}
			_, err := ParseScenario([]byte(src))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("want no error, got %v", err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want Problems, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("problems:\n%v\nwant a line containing %q", err, tc.want)
			}
		})
	}
}

// TestDecodeScenarioOnePass breaks fields that fail to decode and fields
// that only Validate checks in one scenario: every problem comes in the
// one report, and each field is named once (a negative price is not also
// "a price must be positive"; a member count that is no number is not
// also "needs members").
func TestDecodeScenarioOnePass(t *testing.T) {
	src := base
	for _, r := range [][2]string{
		{`"price": 2`, `"price": -2`},                              // decode: negative
		{`"members": 100`, `"members": "many"`},                    // decode: not a number
		{`"kind": "resource"`, `"kind": "mineral"`},                // validate: unknown kind
		{`"bread": 0.7, "land": 0.3`, `"bread": 0.7, "land": 0.2`}, // validate: weights sum
		{`"tolerance": 0.01`, `"tolerance": 2`},                    // validate: out of (0, 1)
		{`"scale": 2,`, `"scale": -2,`},                            // decode: negative
	} {
		if !strings.Contains(src, r[0]) {
			t.Fatalf("%q not in the scenario", r[0])
		}
		src = strings.Replace(src, r[0], r[1], 1)
	}
	_, err := ParseScenario([]byte(src))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %v", err)
	}
	want := map[string]string{
		"goods[3].price":         "-2 is negative",
		"councils[1].members":    "want a number",
		"goods[1].kind":          `unknown kind "mineral"`,
		"councils[1].weights":    "sum to 0.9",
		"facilitation.tolerance": "not 2",
		"councils[0].scale":      "-2 is negative",
	}
	seen := map[string]int{}
	for _, p := range ps {
		seen[p.Path]++
		if w, ok := want[p.Path]; ok && !strings.Contains(p.Message, w) {
			t.Errorf("%s: %q, want it to say %q", p.Path, p.Message, w)
		}
	}
	for path, n := range seen {
		if n > 1 {
			t.Errorf("%s reported %d times:\n%v", path, n, err)
		}
	}
	for path := range want {
		if seen[path] == 0 {
			t.Errorf("%s not reported in:\n%v", path, err)
		}
	}
	// A good whose endowment did not decode is not also "used but has no
	// endowment" where councils use it.
	_, err = ParseScenario([]byte(strings.Replace(base, `"endowment": 1000`, `"endowment": -1000`, 1)))
	if err == nil || strings.Contains(err.Error(), "is used but") || !strings.Contains(err.Error(), "goods[1].endowment: -1000 is negative") {
		t.Errorf("a negative endowment: %v", err)
	}
}

func TestProblemsDedupe(t *testing.T) {
	tests := []struct {
		name string
		in   Problems
		want []string
	}{
		{"same path", Problems{{"a.b", "x"}, {"a.b", "y"}}, []string{"a.b: x"}},
		{"inside", Problems{{"goods[0]", "x"}, {"goods[0].id", "y"}, {"goods[0]x", "z"}}, []string{"goods[0]: x", "goods[0]x: z"}},
		{"index inside", Problems{{"goods", "x"}, {"goods[1].id", "y"}}, []string{"goods: x"}},
		{"root", Problems{{"", "not an object"}, {"goods", "y"}}, []string{"not an object"}},
		{"prefix that is not a parent", Problems{{"good", "x"}, {"goods", "y"}}, []string{"good: x", "goods: y"}},
		{"order kept", Problems{{"b", "1"}, {"a", "2"}}, []string{"b: 1", "a: 2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.in.Dedupe()
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].Error() != tc.want[i] {
					t.Errorf("[%d] = %q, want %q", i, got[i].Error(), tc.want[i])
				}
			}
		})
	}
}

func TestDecodeScenarioGood(t *testing.T) {
	sc, err := ParseScenario([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Councils[1]
	if c.Effort != 1 || c.Elasticity != 1 || c.Hours != 40 || c.Human() {
		t.Errorf("consumer defaults: %+v", c)
	}
	if sc.Goods[0].Price != 1 || sc.Goods[3].Price != 2 {
		t.Errorf("prices: %+v", sc.Goods)
	}
}

func TestBundledExamplesDecode(t *testing.T) {
	for _, name := range exampleNames(t) {
		if _, err := loadExample(t, name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// exampleNames lists the bundled scenarios (internal/examples/scenarios).
func exampleNames(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir("../internal/examples/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".json") && !strings.HasSuffix(n, ".expected.json") {
			names = append(names, strings.TrimSuffix(n, ".json"))
		}
	}
	if len(names) == 0 {
		t.Fatal("no bundled examples")
	}
	return names
}

func loadExample(t testing.TB, name string) (*Economy, error) {
	t.Helper()
	f, err := os.Open("../internal/examples/scenarios/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc, err := DecodeScenario(f)
	if err != nil {
		return nil, err
	}
	return NewEconomy(sc)
}
