package councils

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParseScenario drives the scenario decoder and the checks with
// arbitrary bytes: it must never panic, a refused one names each field
// once, and an accepted scenario must compile and play a round.
func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte(`{"goods":[{"id":"a","kind":"resource","endowment":1}],"councils":[{"id":"c","type":"consumer","members":1,"weights":{"a":1}}]}`))
	f.Add([]byte(`{"goods":[{"id":"a","kind":"produced"}],"councils":[{"id":"w","type":"worker","output":"a","scale":1e308,"inputs":{"a":0.5}}]}`))
	f.Add([]byte(`{"goods": [1e999]}`))
	people := strings.Replace(base, `"hours": 40,`, `"hours": 40, "subsistence": {"bread": 30}, "adjust": 0.5, "round_to": 2,`, 1)
	f.Add([]byte(strings.Replace(people, `"scale": 2,`, `"scale": 2, "substitution": 0.6, "adjust": 0.3, "round_to": 1,`, 1)))
	f.Add([]byte(strings.Replace(base, `"scale": 2,`, `"scale": 2, "substitution": 1e-300, "round_to": 15,`, 1)))
	f.Add([]byte(strings.Replace(base, `"hours": 40,`, `"hours": 40, "subsistence": {"bread": 1e300, "land": 5e-324},`, 1)))
	if b, err := os.ReadFile("../internal/examples/scenarios/federation-city.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(federatedHead + `[{"id": "x", "parent": "y", "members": ["a"], "levy": 0.5, "weights": {"food": 1}, "adjust": 0.5},
		{"id": "y", "members": ["farm", "b"], "levy": 0.49, "weights": {"parks": 0.5, "land": 0.5}, "round_to": 3}]}`))
	if b, err := os.ReadFile("../internal/examples/scenarios/economy-12-people.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(commonsBase))
	f.Add([]byte(strings.Replace(commonsBase, `"stock": 10`, `"stock": 1e300`, 1)))
	if b, err := os.ReadFile("../internal/examples/scenarios/commons-small.json"); err == nil {
		f.Add(b)
	}
	if b, err := os.ReadFile("../internal/examples/scenarios/bread-and-land.json"); err == nil {
		f.Add(b)
	}
	// New goods: appears on produced, commons, used and weighted goods.
	f.Add([]byte(newGoodBase))
	f.Add([]byte(strings.Replace(newGoodBase, `"stock": 10}`, `"stock": 10, "appears": 1}`, 1)))
	f.Add([]byte(strings.Replace(newGoodBase, `"price": 2}`, `"price": 2, "appears": 4}`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario(data)
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error is not Problems: %v", err)
			}
			seen := map[string]bool{}
			for _, p := range ps {
				if p.Message == "" || strings.Contains(p.Error(), "\n") {
					t.Fatalf("bad problem %q", p.Error())
				}
				if seen[p.Path] {
					t.Fatalf("%s reported twice:\n%v", p.Path, err)
				}
				seen[p.Path] = true
			}
			return
		}
		e, err := NewEconomy(sc)
		if err != nil {
			t.Fatalf("validated scenario does not compile: %v", err)
		}
		if len(e.Humans()) > 0 {
			return
		}
		res, err := Run(e, RunOptions{Rule: "tatonnement", MaxRounds: 2})
		if err != nil {
			t.Fatal(err)
		}
		if res.Rounds < 1 {
			t.Fatalf("no round played")
		}
	})
}
