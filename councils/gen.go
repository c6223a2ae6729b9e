package councils

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GenOptions describes a random economy for Generate.
type GenOptions struct {
	Goods    int     // produced goods (≥ 2)
	Councils int     // worker and consumer councils together
	Seed     uint64  // the same seed gives the same economy
	CES      bool    // consumer councils with CES preferences, σ from 0.25 to 4
	Warm     float64 // if > 0, prices start at last year's equilibrium of a copy shocked by up to this fraction
	// The shares (0 to 1) of councils given each behaviour of "Councils
	// as people" (see AddPeople); the draws come from Seed.
	Substitution float64 // worker councils with CES technology, σ from 0.4 to 2.5
	Subsistence  float64 // consumer councils with Stone–Geary needs
	Adjust       float64 // councils that adjust part of the way, λ from 0.3 to 0.8
	RoundTo      float64 // councils that round to 2 or 3 significant figures
	People       float64 // councils given one or more of the above, at random
	// Federations, if > 0, adds a federation tree of a city with that
	// many wards (see AddFederations).
	Federations int
	// Commons is how many of the produced goods are commons goods (see
	// addCommons).
	Commons int
	// Appears, if > 0, is the round at which one produced good, drawn
	// from Seed, joins the catalogue (see addAppears).
	Appears int
	// Allowance, if > 0, scales the pollutant's allowance (1, the
	// default, makes it bind; from about 3 it may not, and the pollutant
	// is then free at the equilibrium).
	Allowance float64
}

// maxAllowance bounds GenOptions.Allowance.
const maxAllowance = 1000

// Generate returns a valid random scenario: labour types, resources, one
// pollutant whose allowance binds, produced goods made by Cobb–Douglas
// worker councils with 2 to 20 inputs, and consumer councils (Cobb–Douglas
// or CES). With Warm it solves a shocked copy with the default rule to set
// last year's prices; solve errors are returned.
func Generate(o GenOptions) (*Scenario, error) {
	if o.Goods < 2 {
		return nil, Problems{{Path: "goods", Message: "at least 2 produced goods"}}
	}
	nLabor := clamp(o.Goods/25, 1, 10)
	nRes := clamp(o.Goods/20, 1, 10)
	minCouncils := o.Goods + 1
	if o.Councils < minCouncils {
		return nil, Problems{{Path: "councils", Message: fmt.Sprintf("at least %d councils for %d goods: one worker council per good and a consumer council", minCouncils, o.Goods)}}
	}
	if o.Warm < 0 || o.Warm >= 1 || math.IsNaN(o.Warm) {
		return nil, Problems{{Path: "warm", Message: "the shock must be in [0, 1)"}}
	}
	if o.Allowance < 0 || o.Allowance > maxAllowance || math.IsNaN(o.Allowance) {
		return nil, Problems{{Path: "allowance", Message: fmt.Sprintf("the allowance's scale must be in (0, %g], or 0 for the default", float64(maxAllowance))}}
	}
	allow := o.Allowance
	if allow == 0 {
		allow = 1
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	sc := &Scenario{Name: fmt.Sprintf("gen-%d-%d-%d", o.Goods, o.Councils, o.Seed)}
	if o.CES {
		sc.Name += "-ces"
	}
	var labor, res, prod []string
	for i := 0; i < nLabor; i++ {
		id := fmt.Sprintf("l%d", i)
		labor = append(labor, id)
		sc.Goods = append(sc.Goods, GoodSpec{ID: id, Kind: "labor", Unit: "hour", Price: 1})
	}
	for i := 0; i < nRes; i++ {
		id := fmt.Sprintf("r%d", i)
		res = append(res, id)
		sc.Goods = append(sc.Goods, GoodSpec{ID: id, Kind: "resource", Price: 1})
	}
	sc.Goods = append(sc.Goods, GoodSpec{ID: "co2", Kind: "pollutant", Price: 1})
	for i := 0; i < o.Goods; i++ {
		id := fmt.Sprintf("g%03d", i)
		prod = append(prod, id)
		sc.Goods = append(sc.Goods, GoodSpec{ID: id, Kind: "produced", Price: 1})
	}
	sc.Numeraire = labor[0]
	nameGoods(sc)

	nWorkers := max(o.Goods, o.Councils/2)
	nConsumers := o.Councils - nWorkers
	resUse := make([]float64, nRes) // how much each resource is wanted, to size endowments
	for i := 0; i < nWorkers; i++ {
		out := i % o.Goods
		c := CouncilSpec{ID: workplaceID(sc, prod[out], i/o.Goods), Type: "worker", Output: prod[out],
			Scale: round3(0.8 + 2*rng.Float64()), Inputs: map[string]float64{}}
		nIn := 2 + rng.IntN(19) // 2..20 inputs
		b := 0.55 + 0.35*rng.Float64()
		// Labour first (every labour type used by someone), then resources,
		// then produced goods as intermediates.
		names := []string{labor[i%nLabor]}
		if i < nRes || rng.Float64() < 0.5 {
			names = append(names, res[i%nRes])
		}
		for len(names) < nIn {
			var g string
			switch r := rng.Float64(); {
			case r < 0.1:
				g = labor[rng.IntN(nLabor)]
			case r < 0.2:
				g = res[rng.IntN(nRes)]
			default:
				g = prod[rng.IntN(o.Goods)]
			}
			if g == prod[out] || contains(names, g) {
				if len(names) >= nLabor+nRes+o.Goods-1 {
					break
				}
				continue
			}
			names = append(names, g)
		}
		shares := dirichlet(rng, len(names))
		// Labour gets the largest part of the exponent, as in real production.
		shares[0] += 1
		total := 0.0
		for _, s := range shares {
			total += s
		}
		for k, g := range names {
			c.Inputs[g] = math.Max(0.001, round6(b*shares[k]/total))
		}
		for k, g := range names[1:] {
			for ri, r := range res {
				if g == r {
					resUse[ri] += c.Inputs[names[k+1]]
				}
			}
		}
		if rng.Float64() < 0.4 {
			c.Emissions = map[string]float64{"co2": round3(0.05 + 0.5*rng.Float64())}
		}
		sc.Councils = append(sc.Councils, c)
	}
	for i := 0; i < nConsumers; i++ {
		c := CouncilSpec{ID: genSlug(genName(genNeighbourhoods, i)), Type: "consumer",
			Members: float64(10 + rng.IntN(190)), Hours: float64(30 + rng.IntN(16)),
			Effort: round3(0.8 + 0.4*rng.Float64()), Labor: labor[i%nLabor], Elasticity: 1,
			Weights: map[string]float64{}}
		n := min(o.Goods, 3+rng.IntN(28))
		names := []string{prod[i%o.Goods]} // every produced good wanted by someone
		for len(names) < n {
			if g := prod[rng.IntN(o.Goods)]; !contains(names, g) {
				names = append(names, g)
			}
		}
		if rng.Float64() < 0.3 {
			names = append(names, res[rng.IntN(nRes)])
		}
		w := dirichlet(rng, len(names))
		sum := 0.0
		for k, g := range names[:len(names)-1] {
			c.Weights[g] = math.Max(1e-6, round6(w[k]))
			sum += c.Weights[g]
		}
		last := names[len(names)-1]
		c.Weights[last] = 1 - sum
		if c.Weights[last] <= 0 { // rounding left nothing: rescale
			for _, g := range names {
				c.Weights[g] = 1 / float64(len(names))
			}
		}
		if o.CES {
			c.Elasticity = round3(math.Exp(math.Log(0.25) + rng.Float64()*math.Log(16)))
		}
		sc.Councils = append(sc.Councils, c)
	}
	if err := addCommons(sc, o.Commons, o.Seed); err != nil {
		return nil, err
	}
	labourSupply := 0.0
	for _, c := range sc.Councils {
		labourSupply += c.Members * c.Hours
	}
	// Resources: endowments in proportion to their use, so none is wildly
	// scarce or abundant.
	for ri := range res {
		sc.Goods[nLabor+ri].Endowment = round3(labourSupply * (0.05 + resUse[ri]/float64(nWorkers)) * (0.5 + rng.Float64()))
	}
	// The pollutant's allowance: a share of what the workers would emit at
	// the scenario's prices with the pollutant free, so that it binds.
	emitted, err := emissionsWhenFree(sc)
	if err != nil {
		return nil, err
	}
	sc.Goods[nLabor+nRes].Endowment = round3(math.Max(1, emitted*(0.3+0.3*rng.Float64())) * allow)
	if allow != 1 {
		sc.Name += fmt.Sprintf("-allow%g", allow)
	}
	if err := AddPeople(sc, PeopleOptions{Seed: o.Seed, Substitution: o.Substitution, Subsistence: o.Subsistence,
		Adjust: o.Adjust, RoundTo: o.RoundTo, People: o.People}); err != nil {
		return nil, err
	}
	if err := AddFederations(sc, o.Federations, o.Seed); err != nil {
		return nil, err
	}
	if o.Federations > 0 {
		sc.Name += fmt.Sprintf("-fed%d", o.Federations)
	}
	if err := addAppears(sc, o.Appears, o.Seed); err != nil {
		return nil, err
	}
	if o.Warm > 0 {
		if err := warmStart(sc, o.Warm, rng); err != nil {
			return nil, err
		}
	}
	if ps := Validate(sc); len(ps) > 0 {
		return nil, ps
	}
	return sc, nil
}

// emissionsWhenFree returns what the worker councils would emit at the
// equilibrium of the economy with the pollutant free: it solves a copy
// without emissions with the default rule and applies the emission rates
// to the outputs found.
func emissionsWhenFree(sc *Scenario) (float64, error) {
	tmp := *sc
	tmp.Councils = append([]CouncilSpec(nil), sc.Councils...)
	for i := range tmp.Councils {
		tmp.Councils[i].Emissions = nil
	}
	e, err := NewEconomy(&tmp)
	if err != nil {
		return 0, err
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-4, MaxRounds: 300})
	if err != nil {
		return 0, err
	}
	if res.Diverged {
		return 0, fmt.Errorf("gen: the default rule diverged on the economy without emissions")
	}
	last := res.Last()
	total := 0.0
	for i, c := range sc.Councils {
		if pr := last.Proposals[i]; pr != nil && len(pr.Out) > 0 {
			total += c.Emissions["co2"] * pr.Out[0].Qty
		}
	}
	return total, nil
}

// warmStart shocks a copy of sc by up to f (scales, endowments, labour
// hours), solves it with the default rule, and sets sc's prices to the
// copy's equilibrium: last year's prices.
func warmStart(sc *Scenario, f float64, rng *rand.Rand) error {
	shock := func(x float64) float64 { return x * (1 + f*(2*rng.Float64()-1)) }
	cp := *sc
	cp.Goods = append([]GoodSpec(nil), sc.Goods...)
	cp.Councils = withoutPace(sc.Councils)
	for i := range cp.Goods {
		cp.Goods[i].Endowment = shock(cp.Goods[i].Endowment)
	}
	for i := range cp.Councils {
		c := &cp.Councils[i]
		if c.Type == "worker" {
			c.Scale = shock(c.Scale)
		} else {
			c.Hours = shock(c.Hours)
		}
	}
	e, err := NewEconomy(&cp)
	if err != nil {
		return err
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-8, MaxRounds: 200})
	if err != nil {
		return err
	}
	if !res.Converged {
		return fmt.Errorf("gen: could not solve last year's economy for the warm start (%s, %d rounds)", res.Rule, res.Rounds)
	}
	last := res.Last()
	num := e.Plan.Numeraire
	for j := range sc.Goods {
		sc.Goods[j].Price = last.Prices[j] / last.Prices[num]
	}
	return nil
}

func dirichlet(rng *rand.Rand, n int) []float64 {
	w := make([]float64, n)
	s := 0.0
	for i := range w {
		w[i] = rng.ExpFloat64()
		s += w[i]
	}
	for i := range w {
		w[i] /= s
	}
	return w
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func clamp(x, lo, hi int) int { return max(lo, min(hi, x)) }

func round3(x float64) float64 { return math.Round(x*1e3) / 1e3 }
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
