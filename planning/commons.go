package planning

import "sort"

// Vote is a consumer council's say on the commons fund
// (docs/spec/economy.md, "Commons goods"): the share φ of the plan's
// income the commons should get (0 ≤ φ < 1) and how to split it over the
// commons goods (Weights, summing to 1; nil for equal weights).
type Vote struct {
	Share   float64
	Weights []Line
}

// HasCommons reports whether the plan has a commons good.
func (p *Plan) HasCommons() bool {
	for _, g := range p.Goods {
		if g.Commons {
			return true
		}
	}
	return false
}

// medianReach is how close to 1/2 a cumulative weight must come to reach it:
// weights renormalised in floating point may sum to a hair below a half
// that is exactly one in the arithmetic.
const medianReach = 0.5 * (1 - 1e-12)

// Levy returns the levy φ and the split ω (per good, zero for a rival good)
// that the votes decide: votes[i] is council i's vote, nil where it
// abstains (worker councils' entries are ignored). The levy is the median
// of the voters' shares, each weighted by its income share (Income, before
// the federations' levies) renormalised
// over the voters (sorted by share, the first whose cumulative weight
// reaches 1/2); the split is the voters' weights averaged with the same
// weights, a vote without weights counting equal weights over the commons
// goods. With no voter the levy is the plan's CommonsShare and the split
// equal over the commons goods.
func (p *Plan) Levy(votes []*Vote) (float64, []float64) { return p.LevyAt(votes, maxRound) }

// maxRound is a round after every good's appearance.
const maxRound = int(^uint(0) >> 1)

// LevyAt is Levy in round r: a commons good that has not appeared by r
// (Exists) is no commons good yet, so it gets no weight, and a vote's
// weights are spread over the commons goods that exist, in proportion (a
// vote that names none of them counts equal weights).
func (p *Plan) LevyAt(votes []*Vote, r int) (float64, []float64) {
	n := len(p.Goods)
	split := make([]float64, n)
	m := 0
	for _, g := range p.Goods {
		if g.Commons && g.Appears <= r {
			m++
		}
	}
	if m == 0 {
		// No commons good exists yet: a plan without commons goods has no
		// levy and no fund.
		return 0, split
	}
	type voter struct {
		share, w float64
		vote     *Vote
	}
	var vs []voter
	total := 0.0
	for i, v := range votes {
		if v == nil || i >= len(p.Councils) || p.Councils[i].Role != Consumer {
			continue
		}
		w := p.Councils[i].Income
		if w == 0 {
			w = p.Councils[i].Share
		}
		if !(w > 0) {
			continue
		}
		vs = append(vs, voter{v.Share, w, v})
		total += w
	}
	exists := func(j int) bool { return j >= 0 && j < n && p.Goods[j].Commons && p.Goods[j].Appears <= r }
	if len(vs) == 0 {
		for j := range p.Goods {
			if exists(j) {
				split[j] = 1 / float64(m)
			}
		}
		return p.CommonsShare, split
	}
	for k := range vs {
		vs[k].w /= total
		v := vs[k].vote
		named, all := 0.0, true
		for _, l := range v.Weights {
			if exists(l.Good) {
				named += l.Qty
			} else {
				all = false
			}
		}
		if all && v.Weights != nil {
			named = 1 // the weights sum to 1 already
		}
		if !(named > 0) {
			for j := range p.Goods {
				if exists(j) {
					split[j] += vs[k].w / float64(m)
				}
			}
			continue
		}
		// named is 1 but for the weights on goods that have not appeared.
		for _, l := range v.Weights {
			if exists(l.Good) {
				split[l.Good] += vs[k].w * l.Qty / named
			}
		}
	}
	sort.SliceStable(vs, func(a, b int) bool { return vs[a].share < vs[b].share })
	levy, cum := vs[len(vs)-1].share, 0.0
	for _, v := range vs {
		cum += v.w
		if cum >= medianReach {
			levy = v.share
			break
		}
	}
	return levy, split
}

// Budget returns a consumer council's budget from the pool when the levy
// is levy: s_c·(1 − φ)·pool. It is the one place the board's budgets are
// computed.
func (c *Council) Budget(levy, pool float64) float64 {
	return c.Share * (1 - levy) * pool
}

// FundDemand returns what the commons fund of round r buys of good j:
// ω_j·F/p_j (zero for a rival good and in a plan without commons).
func (r *Round) FundDemand(j int) float64 {
	if r.Split == nil || r.Split[j] == 0 {
		return 0
	}
	return r.Split[j] * r.Fund / r.Prices[j]
}

// CommonsK returns the commons K_j = stock_j + the output of j in the
// standing proposals of prev, the round before (nil for round 0: the
// stocks), per good (zero for a rival good).
func (p *Plan) CommonsK(prev *Round) []float64 {
	n := len(p.Goods)
	k := make([]float64, n)
	for j, g := range p.Goods {
		if g.Commons {
			k[j] = g.Stock
		}
	}
	if prev == nil {
		return k
	}
	for _, pr := range prev.Proposals {
		if pr == nil {
			continue
		}
		for _, l := range pr.Out {
			if l.Good >= 0 && l.Good < n && p.Goods[l.Good].Commons {
				k[l.Good] += l.Qty
			}
		}
	}
	return k
}

// Votes returns each council's vote in r's standing proposals (nil where
// a council has no proposal or abstains).
func (r *Round) Votes() []*Vote {
	votes := make([]*Vote, len(r.Proposals))
	for i, pr := range r.Proposals {
		if pr != nil {
			votes[i] = pr.Vote
		}
	}
	return votes
}

// openCommons sets round r's levy, split and commons K from prev, the
// round before (nil for round 0): the votes of prev's standing proposals
// (round 0: the councils' Vote) and CommonsK. The fund needs r's pool,
// set after.
func (b *Board) openCommons(r, prev *Round) {
	r.K = b.plan.CommonsK(prev)
	var votes []*Vote
	if prev == nil {
		votes = make([]*Vote, len(b.plan.Councils))
		for i, c := range b.plan.Councils {
			votes[i] = c.Vote
		}
	} else {
		votes = prev.Votes()
	}
	r.Levy, r.Split = b.plan.LevyAt(votes, r.Number)
}
