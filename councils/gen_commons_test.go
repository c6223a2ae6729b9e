package councils

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestGenerateCommons(t *testing.T) {
	for _, m := range []int{1, 3, 7} {
		sc, err := Generate(GenOptions{Goods: 12, Councils: 40, Seed: uint64(m), Commons: m})
		if err != nil {
			t.Fatal(err)
		}
		// It goes through the scenario format unchanged.
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(sc); err != nil {
			t.Fatal(err)
		}
		back, err := DecodeScenario(&buf)
		if err != nil {
			t.Fatalf("%d commons: the generated scenario does not decode: %v", m, err)
		}
		commons, drawn, votes := 0, 0, 0
		for _, g := range back.Goods {
			if g.IsCommons() {
				commons++
				if !(g.Stock > 0) {
					t.Errorf("commons good %s has stock %v", g.ID, g.Stock)
				}
			}
		}
		for _, c := range back.Councils {
			if len(c.Commons) > 0 {
				drawn++
			}
			if c.CommonsShare != nil {
				votes++
			}
		}
		if commons != m || drawn == 0 || votes == 0 {
			t.Errorf("%d commons wanted: %d commons goods, %d councils drawing on them, %d votes", m, commons, drawn, votes)
		}
	}
	if _, err := Generate(GenOptions{Goods: 4, Councils: 10, Seed: 1, Commons: 4}); err == nil {
		t.Error("4 commons goods of 4 produced: no error")
	}
	// Without commons the generator is what it was.
	a, _ := Generate(GenOptions{Goods: 12, Councils: 40, Seed: 5})
	for _, g := range a.Goods {
		if g.Rival != nil || g.Stock != 0 {
			t.Fatalf("good %s has commons fields without --commons", g.ID)
		}
	}
}

// TestGenerateCommonsDeterministic generates the same commons economies
// again and again: a seed must give one scenario, bit for bit (sums taken
// in a map's order changed the weights' last bits from run to run, and
// with them the plan's rounds).
func TestGenerateCommonsDeterministic(t *testing.T) {
	for _, opt := range []GenOptions{
		{Goods: 30, Councils: 80, Seed: 1, Commons: 4},
		{Goods: 40, Councils: 200, Seed: 2, Commons: 8, CES: true},
	} {
		var first []byte
		for i := range 8 {
			sc, err := Generate(opt)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(sc)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = b
			} else if !bytes.Equal(b, first) {
				t.Fatalf("%+v: generation %d differs from the first", opt, i)
			}
		}
	}
}
