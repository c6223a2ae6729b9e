package councils

import (
	"sort"

	"parecon/planning"
)

// FederationSpec is one federation of a scenario (docs/spec/economy.md,
// "Federations and collective consumption"): a council of councils, with
// a parent federation, its member councils and, with a levy, collective
// consumption. A federation with a levy and weights is simulated like a
// consumer council; with a levy and no weights it is human.
type FederationSpec struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Parent  string   `json:"parent,omitempty"`
	Members []string `json:"members,omitempty"`
	// Levy is τ_f in [0, 1): the share of its consumer councils' budgets
	// that the federation spends in common.
	Levy       float64            `json:"levy,omitempty"`
	Weights    map[string]float64 `json:"weights,omitempty"`
	Elasticity float64            `json:"elasticity,omitempty"` // default 1
	// Adjust and RoundTo are the behaviours of "Councils as people".
	Adjust  float64 `json:"adjust,omitempty"`
	RoundTo int     `json:"round_to,omitempty"`
}

// Human reports whether the federation has collective consumption and no
// model: people submit its collective requests.
func (f *FederationSpec) Human() bool { return f.Levy > 0 && f.Weights == nil }

// Collective reports whether the federation requests goods in common (a
// levy above 0): only then is it a proposer on the board.
func (f *FederationSpec) Collective() bool { return f.Levy > 0 }

// Federation is a scenario's federation compiled: its place in the tree
// and, if it has collective consumption, its index among the board's
// proposers.
type Federation struct {
	ID, Name string
	Parent   int   // index in Economy.Federations, −1 for a root
	Children []int // sub-federations, in scenario order
	Members  []int // member councils (direct), indices of the board's councils
	// Councils holds every council of its subtree (its members and its
	// sub-federations' members), in council order.
	Councils []int
	Levy     float64
	// Proposer is the federation's index among the board's councils (after
	// the scenario's councils), or −1 without a levy.
	Proposer int
	// Share is τ_f · Σ s_c over the consumer councils of its subtree: its
	// budget is Share · (1 − φ) · pool (planning.Council.Budget).
	Share float64
}

// FederationOf returns the index of the federation whose proposer is
// board council c, or false if c is one of the scenario's councils.
func (e *Economy) FederationOf(c int) (int, bool) {
	if c < len(e.Scenario.Councils) || c-len(e.Scenario.Councils) >= len(e.proposing) {
		return 0, false
	}
	return e.proposing[c-len(e.Scenario.Councils)], true
}

// federate compiles sc's federations into e: the tree, each consumer
// council's share net of its federations' levies, and a consumer-like
// proposer for each federation with a levy, whose share is its collective
// budget's. plan's councils hold their income shares s_c as it is called
// and their net shares after. A scenario without federations leaves
// everything as it was.
func (e *Economy) federate(sc *Scenario, plan *planning.Plan) {
	if len(sc.Federations) == 0 {
		return
	}
	shares := make([]float64, len(sc.Councils))
	for c := range shares {
		shares[c] = plan.Councils[c].Share
	}
	byID := make(map[string]int, len(sc.Federations))
	for i, f := range sc.Federations {
		byID[f.ID] = i
	}
	feds := make([]Federation, len(sc.Federations))
	of := make([]int, len(sc.Councils)) // each council's own federation, −1 for none
	for i := range of {
		of[i] = -1
	}
	for i, f := range sc.Federations {
		fd := Federation{ID: f.ID, Name: f.Name, Parent: -1, Levy: f.Levy, Proposer: -1}
		if f.Parent != "" {
			fd.Parent = byID[f.Parent]
		}
		for _, m := range f.Members {
			c := e.councils[m]
			fd.Members = append(fd.Members, c)
			of[c] = i
		}
		feds[i] = fd
	}
	for i := range feds {
		if p := feds[i].Parent; p >= 0 {
			feds[p].Children = append(feds[p].Children, i)
		}
	}
	// Every council of a subtree, and each consumer council's total levy.
	levies := make([]float64, len(sc.Councils))
	for c, f := range of {
		for ; f >= 0; f = feds[f].Parent {
			feds[f].Councils = append(feds[f].Councils, c)
			levies[c] += feds[f].Levy
		}
	}
	for i := range feds {
		sort.Ints(feds[i].Councils)
		if feds[i].Levy > 0 {
			s := 0.0
			for _, c := range feds[i].Councils {
				s += shares[c]
			}
			feds[i].Share = feds[i].Levy * s
		}
	}
	for c := range sc.Councils {
		if levies[c] > 0 {
			plan.Councils[c].Income = shares[c]
			plan.Councils[c].Share = shares[c] * (1 - levies[c])
		}
	}
	for i, f := range sc.Federations {
		if !f.Collective() {
			continue
		}
		feds[i].Proposer = len(plan.Councils)
		e.proposing = append(e.proposing, i)
		e.councils[f.ID] = feds[i].Proposer
		plan.Councils = append(plan.Councils, planning.Council{ID: f.ID, Role: planning.Consumer, Share: feds[i].Share, Labor: -1})
		var m Model
		if !f.Human() {
			sigma := f.Elasticity
			if sigma == 0 {
				sigma = 1
			}
			m = newConsumer(f.Weights, sigma, nil, e.goods)
		}
		e.Models = append(e.Models, m)
	}
	e.Federations = feds
}

// personFederations wraps the models of simulated federations that adjust
// part of the way or round their requests (see Person).
func (e *Economy) personFederations(sc *Scenario) {
	for i, f := range sc.Federations {
		c := e.Federations[i].Proposer
		if c < 0 {
			continue
		}
		if m := e.Models[c]; m != nil && ((f.Adjust > 0 && f.Adjust < 1) || f.RoundTo > 0) {
			e.Models[c] = NewPerson(e.Plan, c, m, f.Adjust, f.RoundTo)
		}
	}
}

// Collective returns federation f's budget in round r and its standing
// collective requests there, {good: quantity} (empty without a levy or a
// standing proposal).
func (e *Economy) Collective(r *planning.Round, f int) (float64, map[string]float64) {
	req := map[string]float64{}
	c := e.Federations[f].Proposer
	if c < 0 {
		return 0, req
	}
	if pr := r.Proposals[c]; pr != nil {
		for _, l := range pr.In {
			req[e.Plan.Goods[l.Good].ID] += l.Qty
		}
	}
	return r.Budgets[c], req
}

// proposerPath returns the scenario path of board council c:
// councils[i] or, for a federation's proposer, federations[i].
func (e *Economy) proposerPath(c int) string {
	if f, ok := e.FederationOf(c); ok {
		return index("federations", f)
	}
	return index("councils", c)
}
