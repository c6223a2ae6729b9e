package councils

import (
	"fmt"
	"math/rand/v2"
)

// AddFederations gives sc a federation tree, drawn from seed: a city with
// wards wards, each of two or three neighbourhoods, the councils dealt
// round-robin to the neighbourhoods. The city always has collective
// consumption (a levy of 2–6% over one to three produced goods); about
// half the wards and neighbourhoods have a levy of 1–4%, Cobb–Douglas or
// CES (σ 0.5–2). Levies along a chain stay below 0.15. wards 0 adds none.
func AddFederations(sc *Scenario, wards int, seed uint64) error {
	if wards < 0 || wards > MaxCouncils/4 {
		return Problems{{Path: "federations", Message: fmt.Sprintf("want 0 to %d wards", MaxCouncils/4)}}
	}
	if wards == 0 {
		return nil
	}
	var produced []string // what collective consumption may request: produced rival goods
	for i := range sc.Goods {
		if g := &sc.Goods[i]; g.Kind == "produced" && !g.IsCommons() {
			produced = append(produced, g.ID)
		}
	}
	if len(produced) == 0 {
		return Problems{{Path: "goods", Message: "federations need a produced good to request"}}
	}
	rng := rand.New(rand.NewPCG(seed, 0xfede))
	collective := func(f *FederationSpec, lo, hi float64) {
		f.Levy = round3(lo + (hi-lo)*rng.Float64())
		n := min(len(produced), 1+rng.IntN(3))
		goods := make([]string, 0, n)
		for _, k := range rng.Perm(len(produced))[:n] {
			goods = append(goods, produced[k])
		}
		a := make([]float64, n)
		total := 0.0
		for i := range a {
			a[i] = float64(1 + rng.IntN(9))
			total += a[i]
		}
		f.Weights = make(map[string]float64, n)
		sum := 0.0
		for i, g := range goods {
			w := round6(a[i] / total)
			if i == n-1 {
				w = round6(1 - sum)
			}
			f.Weights[g] = w
			sum += w
		}
		if rng.IntN(2) == 0 {
			f.Elasticity = round3(0.5 + 1.5*rng.Float64())
		}
	}
	city := FederationSpec{ID: "city", Name: "City"}
	collective(&city, 0.02, 0.06)
	feds := []FederationSpec{city}
	var hoods []int
	for w := 1; w <= wards; w++ {
		ward := FederationSpec{ID: fmt.Sprintf("ward-%d", w), Name: fmt.Sprintf("Ward %d", w), Parent: "city"}
		if rng.IntN(2) == 0 {
			collective(&ward, 0.01, 0.04)
		}
		feds = append(feds, ward)
		for n := 1; n <= 2+rng.IntN(2); n++ {
			hood := FederationSpec{ID: fmt.Sprintf("nb-%d-%d", w, n), Name: fmt.Sprintf("Neighbourhood %d.%d", w, n), Parent: ward.ID}
			if rng.IntN(2) == 0 {
				collective(&hood, 0.01, 0.04)
			}
			hoods = append(hoods, len(feds))
			feds = append(feds, hood)
		}
	}
	for i, c := range sc.Councils {
		h := &feds[hoods[i%len(hoods)]]
		h.Members = append(h.Members, c.ID)
	}
	sc.Federations = feds
	return nil
}
