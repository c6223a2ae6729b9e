package councils

import (
	"fmt"
	"sort"

	"parecon/planning"
	"parecon/planning/rules"
)

// Economy is a scenario compiled for the board: the plan it publishes, the
// initial prices, and the models of the simulated councils (nil for a
// human council).
type Economy struct {
	Scenario *Scenario
	Plan     *planning.Plan
	Prices   []float64
	Models   []Model
	// Federations is the scenario's federation tree, compiled; its
	// federations with a levy are proposers after the councils.
	Federations []Federation
	// proposing holds, for each board council after the scenario's, the
	// index of its federation.
	proposing []int
	// stages are the councils' models before the last new good appears
	// (stages.go); nil when every good is there from round 0.
	stages   []stage
	goods    map[string]int
	councils map[string]int
}

// NewEconomy validates sc and compiles it.
func NewEconomy(sc *Scenario) (*Economy, error) {
	if ps := Validate(sc); len(ps) > 0 {
		return nil, ps
	}
	e := &Economy{Scenario: sc, goods: map[string]int{}, councils: map[string]int{}}
	plan := &planning.Plan{Tolerance: DefaultTolerance, Numeraire: -1}
	firstLabor := -1
	for i, g := range sc.Goods {
		k, _ := planning.ParseKind(g.Kind)
		plan.Goods = append(plan.Goods, planning.Good{ID: g.ID, Kind: k, Endowment: g.Endowment, Commons: g.IsCommons(), Stock: g.Stock, Appears: g.Appears})
		e.Prices = append(e.Prices, g.Price)
		e.goods[g.ID] = i
		if k == planning.Labor && firstLabor < 0 {
			firstLabor = i
		}
	}
	switch {
	case sc.Numeraire != "":
		plan.Numeraire = e.goods[sc.Numeraire]
	case firstLabor >= 0:
		plan.Numeraire = firstLabor
	default:
		plan.Numeraire = 0
	}
	if f := sc.Facilitation; f != nil && f.Tolerance > 0 {
		plan.Tolerance = f.Tolerance
	}
	if f := sc.Facilitation; f != nil {
		plan.CommonsShare = f.CommonsShare
	}
	total := 0.0
	for i, c := range sc.Councils {
		e.councils[c.ID] = i
		pc := planning.Council{ID: c.ID, Labor: -1}
		var m Model
		if c.Type == "consumer" {
			pc.Role = planning.Consumer
			if firstLabor >= 0 {
				pc.Labor = firstLabor
				if c.Labor != "" {
					pc.Labor = e.goods[c.Labor]
				}
				pc.Hours = c.Members * c.Hours
			}
			pc.Share = c.Members * c.Effort * c.Hours
			total += pc.Share
			if !c.Human() {
				m = newConsumer(c.Weights, c.Elasticity, c.Subsistence, e.goods)
			}
		} else {
			pc.Role = planning.Worker
			switch {
			case c.Human():
			case c.Substitution == 0 || c.Substitution == 1:
				m = newCobbDouglas(e.goods[c.Output], c.Scale, c.Inputs, c.Emissions, e.goods)
			default:
				m = newCES(e.goods[c.Output], c.Scale, c.Substitution, c.Inputs, c.Emissions, e.goods)
			}
		}
		e.compileCommons(&c, &pc, m)
		plan.Councils = append(plan.Councils, pc)
		e.Models = append(e.Models, m)
	}
	for i := range plan.Councils {
		if total > 0 {
			plan.Councils[i].Share /= total
		}
	}
	e.federate(sc, plan)
	e.Plan = plan
	for i, c := range sc.Councils {
		if m := e.Models[i]; m != nil && ((c.Adjust > 0 && c.Adjust < 1) || c.RoundTo > 0) {
			e.Models[i] = NewPerson(plan, i, m, c.Adjust, c.RoundTo)
		}
	}
	e.personFederations(sc)
	if err := e.compileStages(sc); err != nil {
		return nil, err
	}
	return e, nil
}

// Good returns the index of good id.
func (e *Economy) Good(id string) (int, bool) { i, ok := e.goods[id]; return i, ok }

// Council returns the index of council id.
func (e *Economy) Council(id string) (int, bool) { i, ok := e.councils[id]; return i, ok }

// Humans returns the indices of the councils without a model.
func (e *Economy) Humans() []int {
	var h []int
	for i, m := range e.Models {
		if m == nil {
			h = append(h, i)
		}
	}
	return h
}

// Name returns the scenario's name.
func (e *Economy) Name() string { return e.Scenario.Name }

// lines turns {good: x} into lines in catalogue order.
func lines(m map[string]float64, goods map[string]int) []planning.Line {
	ls := make([]planning.Line, 0, len(m))
	for g, x := range m {
		ls = append(ls, planning.Line{Good: goods[g], Qty: x})
	}
	sort.Slice(ls, func(a, b int) bool { return ls[a].Good < ls[b].Good })
	return ls
}

// Prices returns prices keyed by good id.
func (e *Economy) PriceMap(p []float64) map[string]float64 {
	m := make(map[string]float64, len(p))
	for j, g := range e.Plan.Goods {
		m[g.ID] = p[j]
	}
	return m
}

// String describes the economy briefly.
func (e *Economy) String() string {
	return fmt.Sprintf("%s: %d goods, %d councils", e.Scenario.Name, len(e.Plan.Goods), len(e.Plan.Councils))
}

// settings returns a fresh rule and the round limit for a plan of e: the
// given values first, then the scenario's facilitation settings, then the
// defaults.
func (e *Economy) settings(rule string, step float64, maxRounds int) (planning.Rule, int, error) {
	f := e.Scenario.Facilitation
	if f == nil {
		f = &Facilitation{}
	}
	if rule == "" {
		rule = f.Rule
	}
	if step == 0 {
		step = f.Step
	}
	if maxRounds == 0 {
		maxRounds = f.MaxRounds
	}
	if maxRounds == 0 {
		maxRounds = DefaultMaxRounds
	}
	r, err := rules.New(rule, step)
	return r, maxRounds, err
}
