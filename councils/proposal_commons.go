package councils

import (
	"math"
	"sort"

	"parecon/planning"
)

// A consumer council's commons vote and uses in a proposal
// (docs/spec/protocol.md, version 2: `commons: {share, weights}`, `uses:
// {good: people}`); ParseProposal, ProposalFromDoc and Doc call these.

// proposalCommons decodes the commons and uses fields of a consumer
// council's proposal object m into doc.
func (w *walker) proposalCommons(m map[string]any, doc *ProposalDoc) {
	if v, ok := m["commons"]; ok {
		cm := w.object("commons", v, "share", "weights")
		if cm != nil {
			doc.Commons = &CommonsVote{}
			if s, ok := cm["share"]; ok {
				doc.Commons.Share = w.num("commons.share", s)
			} else {
				w.add("commons.share", "missing: a vote for the commons fund names its share of the plan's income")
			}
			if ws, ok := cm["weights"]; ok {
				doc.Commons.Weights = w.numbers("commons.weights", ws)
			}
		}
	}
	if v, ok := m["uses"]; ok {
		doc.Uses = w.numbers("uses", v)
	}
}

// commonsLine refuses a commons good g in a proposal's part (requests,
// inputs): nobody pays for a commons good or uses it up.
func (e *Economy) commonsLine(part, field string, g int) error {
	if !e.Plan.Goods[g].Commons {
		return nil
	}
	id := e.Plan.Goods[g].ID
	if part == "requests" {
		return Errorf(Invalid, field, "%q is a commons good: it is free to use and without limit, so nobody requests it; say how many of your members use it under uses, and vote for its fund under commons", short(id))
	}
	if part == "inputs" {
		return Errorf(Invalid, field, "%q is a commons good: it is free to use and never used up, so it is no input; the board publishes the commons every council draws on", short(id))
	}
	return nil
}

// voteFromDoc checks doc's vote and uses and puts them in pr: a share in
// [0, 1), weights over commons goods summing to 1, uses of commons goods
// as finite numbers ≥ 0.
func (e *Economy) voteFromDoc(doc *ProposalDoc, pr *planning.Proposal) error {
	if v := doc.Commons; v != nil {
		if !e.Plan.HasCommons() {
			return Errorf(Invalid, "commons", "the plan has no commons good to vote a fund for")
		}
		if !(v.Share >= 0 && v.Share < 1) {
			return Errorf(Invalid, "commons.share", "%v is not a share of income in [0, 1)", v.Share)
		}
		vote := &planning.Vote{Share: v.Share}
		if v.Weights != nil {
			vote.Weights = []planning.Line{}
			sum := 0.0
			for _, id := range sortedGoods(v.Weights) {
				field := "commons.weights." + id
				g, err := e.commonsGood(field, id)
				if err != nil {
					return err
				}
				x := v.Weights[id]
				if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
					return Errorf(Invalid, field, "a weight must be a finite number ≥ 0")
				}
				sum += x
				vote.Weights = append(vote.Weights, planning.Line{Good: g, Qty: x})
			}
			if len(vote.Weights) == 0 || math.Abs(sum-1) > WeightSlack {
				return Errorf(Invalid, "commons.weights", "the weights sum to %.12g; they must sum to 1 over commons goods", sum)
			}
			sortLines(vote.Weights)
		}
		pr.Vote = vote
	}
	for _, id := range sortedGoods(doc.Uses) {
		field := "uses." + id
		g, err := e.commonsGood(field, id)
		if err != nil {
			return err
		}
		x := doc.Uses[id]
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return Errorf(Invalid, field, "a number of people must be a finite number ≥ 0")
		}
		if x > MaxQuantity {
			return Errorf(Invalid, field, "%v is above %g, the largest quantity", x, float64(MaxQuantity))
		}
		pr.Uses = append(pr.Uses, planning.Line{Good: g, Qty: x})
	}
	return nil
}

// commonsGood returns the index of commons good id, named at field.
func (e *Economy) commonsGood(field, id string) (int, error) {
	g, ok := e.goods[id]
	switch {
	case !ok:
		return 0, Errorf(Invalid, field, "unknown good %q", short(id))
	case !e.Plan.Goods[g].Commons:
		return 0, Errorf(Invalid, field, "%q is a rival good; only commons goods (rival: false) have a fund and users", short(id))
	}
	return g, nil
}

// voteDoc writes pr's vote and uses into doc.
func (e *Economy) voteDoc(pr *planning.Proposal, doc *ProposalDoc) {
	if v := pr.Vote; v != nil {
		doc.Commons = &CommonsVote{Share: v.Share}
		if v.Weights != nil {
			doc.Commons.Weights = map[string]float64{}
			for _, l := range v.Weights {
				doc.Commons.Weights[e.Plan.Goods[l.Good].ID] = l.Qty
			}
		}
	}
	for _, l := range pr.Uses {
		if doc.Uses == nil {
			doc.Uses = map[string]float64{}
		}
		doc.Uses[e.Plan.Goods[l.Good].ID] = l.Qty
	}
}

// sortLines sorts lines by good.
func sortLines(ls []planning.Line) {
	sort.Slice(ls, func(a, b int) bool { return ls[a].Good < ls[b].Good })
}
