package councils

import (
	"fmt"
	"math"
	"math/rand/v2"

	"parecon/planning"
)

// PeopleOptions are the shares (0 to 1) of a scenario's simulated councils
// that AddPeople gives each behaviour of "Councils as people", and the
// seed of its draws.
type PeopleOptions struct {
	Seed         uint64  `json:"seed"`
	Substitution float64 `json:"substitution,omitempty"` // worker councils with CES technology
	Subsistence  float64 `json:"subsistence,omitempty"`  // consumer councils with Stone–Geary needs
	Adjust       float64 `json:"adjust,omitempty"`       // councils that adjust part of the way
	RoundTo      float64 `json:"round_to,omitempty"`     // councils that round their quantities
	People       float64 `json:"people,omitempty"`       // councils given one or more of these at random
}

// AddPeople gives a share of sc's simulated councils the behaviours of
// "Councils as people" (docs/spec/economy.md), drawing from o.Seed on a
// stream of its own (Generate's economy for a seed is the same with or
// without them), and checks the result:
//   - o.Substitution of the worker councils get a CES technology, σ
//     log-uniform in 0.4–2.5;
//   - o.Subsistence of the consumer councils get Stone–Geary needs;
//   - o.Adjust of all councils adjust part of the way, λ in 0.3–0.8;
//   - o.RoundTo of all councils round to 2 or 3 significant figures;
//   - o.People of all councils get a random non-empty set of the
//     behaviours that apply to them.
//
// Needs stay feasible: a council needs some of the goods it weights, each
// a fraction f (0.1–0.4, one per council) of the least it would request
// at the scenario's prices and at the equilibrium of the economy without
// needs, so the needs cost well below its budget at the start and at the
// end. Human councils are left as they are; a behaviour a council already
// has is replaced only if it is drawn again.
func AddPeople(sc *Scenario, o PeopleOptions) error {
	for _, sh := range []struct {
		path string
		x    float64
	}{{"substitution", o.Substitution}, {"subsistence", o.Subsistence}, {"adjust", o.Adjust}, {"round_to", o.RoundTo}, {"people", o.People}} {
		if !(sh.x >= 0 && sh.x <= 1) {
			return Problems{{Path: sh.path, Message: fmt.Sprintf("a share of councils is in [0, 1], not %v", sh.x)}}
		}
	}
	if o.Substitution == 0 && o.Subsistence == 0 && o.Adjust == 0 && o.RoundTo == 0 && o.People == 0 {
		return nil
	}
	sc.Name += "-people"
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e091e))
	const (
		sub = 1 << iota // substitution or subsistence
		adj
		rnd
	)
	needs := map[int]float64{} // council → its f
	for i := range sc.Councils {
		c := &sc.Councils[i]
		if c.Human() {
			continue
		}
		var b int
		share := o.Substitution
		if c.Type == "consumer" {
			share = o.Subsistence
		}
		if rng.Float64() < share {
			b |= sub
		}
		if rng.Float64() < o.Adjust {
			b |= adj
		}
		if rng.Float64() < o.RoundTo {
			b |= rnd
		}
		if rng.Float64() < o.People {
			b |= 1 + rng.IntN(7)
		}
		sigma := round3(math.Exp(math.Log(0.4) + rng.Float64()*math.Log(2.5/0.4)))
		lambda := math.Round((0.3+0.5*rng.Float64())*100) / 100
		n := 2 + rng.IntN(2)
		f := 0.1 + 0.3*rng.Float64()
		if b&sub != 0 {
			if c.Type == "worker" {
				c.Substitution = sigma
			} else {
				needs[i] = f
			}
		}
		if b&adj != 0 {
			c.Adjust = lambda
		}
		if b&rnd != 0 {
			c.RoundTo = n
		}
	}
	if len(needs) > 0 {
		if err := addNeeds(sc, needs, rng); err != nil {
			return err
		}
	}
	if ps := Validate(sc); len(ps) > 0 {
		return ps
	}
	return nil
}

// addNeeds gives council i of sc, for each i in needs, Stone–Geary needs
// of a fraction needs[i] of the least it requests (see leastRequests).
func addNeeds(sc *Scenario, needs map[int]float64, rng *rand.Rand) error {
	// What each council requests at the start and at the equilibrium of
	// the economy as it is so far, paced as fast as it can be.
	least, err := leastRequests(sc)
	if err != nil {
		return err
	}
	for i := 0; i < len(sc.Councils); i++ {
		f, ok := needs[i]
		if !ok {
			continue
		}
		c := &sc.Councils[i]
		c.Subsistence = map[string]float64{}
		goods := sortedGoods(c.Weights)
		for _, g := range goods {
			if rng.Float64() < 0.5 {
				c.Subsistence[g] = sig4(f * least[i][g])
			}
		}
		if len(c.Subsistence) == 0 {
			g := goods[rng.IntN(len(goods))]
			c.Subsistence[g] = sig4(f * least[i][g])
		}
	}
	return nil
}

// leastRequests returns, per consumer council, the least of what it
// requests of each good in round 0 and at the equilibrium (to 1e-3, or
// wherever 300 rounds of the default rule get) of sc without adjust and
// round_to.
func leastRequests(sc *Scenario) ([]map[string]float64, error) {
	cp := *sc
	cp.Councils = withoutPace(sc.Councils)
	e, err := NewEconomy(&cp)
	if err != nil {
		return nil, err
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-3, MaxRounds: 300})
	if err != nil {
		return nil, err
	}
	rs := res.Board.Rounds()
	first, last := rs[0], res.Last()
	out := make([]map[string]float64, len(sc.Councils))
	for i := range sc.Councils {
		if sc.Councils[i].Type != "consumer" {
			continue
		}
		out[i] = map[string]float64{}
		for _, r := range []int{0, 1} {
			pr := []*planning.Round{first, last}[r].Proposals[i]
			if pr == nil {
				continue
			}
			for _, l := range pr.In {
				id := e.Plan.Goods[l.Good].ID
				if x, ok := out[i][id]; !ok || l.Qty < x {
					out[i][id] = l.Qty
				}
			}
		}
	}
	return out, nil
}

// withoutPace returns a copy of cs without adjust and round_to, which
// change how a council gets to the equilibrium but not where it is.
func withoutPace(cs []CouncilSpec) []CouncilSpec {
	out := append([]CouncilSpec(nil), cs...)
	for i := range out {
		out[i].Adjust, out[i].RoundTo = 0, 0
	}
	return out
}

// sig4 rounds x down to 4 significant figures.
func sig4(x float64) float64 { return RoundSig(x, 4, false) }
