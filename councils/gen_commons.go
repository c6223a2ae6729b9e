package councils

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// addCommons turns the last m produced goods of a generated scenario into
// commons goods (docs/spec/economy.md, "Commons goods"), with draws from
// seed: each gets a stock; nobody requests it or uses it as an ordinary
// input any more (consumer weights and worker inputs that named it are
// dropped and the rest rescaled); about half the worker councils draw on
// one or two commons goods (γ from 0.02 to 0.08); every consumer council
// votes a share from 0 to 0.1, about half of them with a split of their
// own.
func addCommons(sc *Scenario, m int, seed uint64) error {
	var prod []int
	for j, g := range sc.Goods {
		if g.Kind == "produced" {
			prod = append(prod, j)
		}
	}
	if m < 0 || m >= len(prod) {
		return Problems{{Path: "commons", Message: fmt.Sprintf("%d commons goods: want from 0 to %d, leaving a rival produced good", m, len(prod)-1)}}
	}
	if m == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, 0xc0ffee))
	no := false
	commons := map[string]bool{}
	var ids []string
	for _, j := range prod[len(prod)-m:] {
		g := &sc.Goods[j]
		g.Rival = &no
		g.Stock = round3(20 + 180*rng.Float64())
		commons[g.ID] = true
		ids = append(ids, g.ID)
	}
	rival := sc.Goods[prod[0]].ID
	for i := range sc.Councils {
		c := &sc.Councils[i]
		if c.Type == "worker" {
			for g := range c.Inputs {
				if commons[g] {
					delete(c.Inputs, g)
				}
			}
			b := 0.0
			for _, g := range sortedGoods(c.Inputs) {
				b += c.Inputs[g] // in id order: a map's order would change the sum's last bits
			}
			if rng.Float64() < 0.5 {
				c.Commons = map[string]float64{}
				for k := 0; k < 1+rng.IntN(2); k++ {
					if g := ids[rng.IntN(len(ids))]; g != c.Output {
						c.Commons[g] = round3(0.02 + 0.06*rng.Float64())
					}
				}
				gamma := 0.0
				for _, g := range sortedGoods(c.Commons) {
					gamma += c.Commons[g]
				}
				if len(c.Commons) == 0 || b+gamma >= 0.97 {
					c.Commons = nil
				}
			}
			continue
		}
		kept := 0.0
		for _, g := range sortedGoods(c.Weights) {
			if commons[g] {
				delete(c.Weights, g)
			} else {
				kept += c.Weights[g]
			}
		}
		if len(c.Weights) == 0 {
			c.Weights[rival] = 1
		} else if kept != 1 {
			normalise(c.Weights, kept)
		}
		share := round3(0.1 * rng.Float64())
		c.CommonsShare = &share
		if rng.Float64() < 0.5 {
			w := dirichlet(rng, len(ids))
			c.CommonsWeights = map[string]float64{}
			for k, g := range ids {
				c.CommonsWeights[g] = w[k]
			}
			normalise(c.CommonsWeights, 1)
		}
	}
	return nil
}

// normalise rescales weights that sum to sum so that they sum to 1 within
// WeightSlack after rounding to 6 decimals, the last good (in id order)
// taking the remainder.
func normalise(w map[string]float64, sum float64) {
	keys := make([]string, 0, len(w))
	for g := range w {
		keys = append(keys, g)
	}
	sort.Strings(keys)
	total := 0.0
	for _, g := range keys[:len(keys)-1] {
		w[g] = math.Max(1e-6, round6(w[g]/sum))
		total += w[g]
	}
	last := keys[len(keys)-1]
	w[last] = 1 - total
	if w[last] <= 0 {
		for _, g := range keys {
			w[g] = 1 / float64(len(keys))
		}
	}
}
