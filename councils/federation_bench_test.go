package councils

import (
	"fmt"
	"testing"

	"parecon/planning/rules"
)

// BenchmarkFederationRound measures a steady round of a generated economy
// with and without a federation tree (a city of 20 wards, about 50
// federations, half of them proposing), so that the cost of federations is
// the ratio of the two in one run.
func BenchmarkFederationRound(b *testing.B) {
	for _, wards := range []int{0, 20} {
		b.Run(fmt.Sprintf("goods=200/councils=20000/wards=%d", wards), func(b *testing.B) {
			sc, err := Generate(GenOptions{Goods: 200, Councils: 20000, Seed: 1, Federations: wards})
			if err != nil {
				b.Fatal(err)
			}
			benchRounds(b, mustEconomy(b, sc), rules.Default)
		})
	}
}

// BenchmarkRollUps measures breaking a closed round of that economy down
// by federation, as GET /federations does, for the facilitator (k = 1) and
// under the privacy rules (k = 3).
func BenchmarkRollUps(b *testing.B) {
	sc, err := Generate(GenOptions{Goods: 200, Councils: 20000, Seed: 1, Federations: 20})
	if err != nil {
		b.Fatal(err)
	}
	e := mustEconomy(b, sc)
	p, err := NewProcess(e, ProcessOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.Close(); err != nil {
		b.Fatal(err)
	}
	r := p.Board().Rounds()[0]
	for _, k := range []int{1, 3} {
		b.Run(fmt.Sprintf("federations=%d/k=%d", len(e.Federations), k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.RollUps(r, k)
			}
		})
	}
}
