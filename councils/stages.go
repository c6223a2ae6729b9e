package councils

import (
	"maps"
	"sort"
)

// New goods in a headless plan (docs/spec/economy.md, "New goods: free
// productive choice"): a good with appears: R joins the catalogue at round
// R. The plan keeps every good's index from round 0, and the board gives a
// good that has not appeared no weight (planning/appears.go); what changes
// before R is what the simulated councils do, and a stage holds that.

// stage is what the simulated councils are from round From until the next
// stage: their models compiled from the scenario as it stands then.
type stage struct {
	From int
	// Models are the councils' models in the stage (nil for a council
	// that proposes nothing: it makes or uses a good that has not
	// appeared, or every good it would request is yet to appear).
	Models []Model
}

// compileStages sets e.stages when some good of sc appears late: one stage
// from round 0 and one from each round at which goods appear but the last;
// from the last, the whole scenario's models (e.Models) hold.
func (e *Economy) compileStages(sc *Scenario) error {
	var at []int
	seen := map[int]bool{}
	for _, g := range sc.Goods {
		if g.Appears > 0 && !seen[g.Appears] {
			seen[g.Appears] = true
			at = append(at, g.Appears)
		}
	}
	if len(at) == 0 {
		return nil
	}
	sort.Ints(at)
	froms := append([]int{0}, at[:len(at)-1]...)
	for _, from := range froms {
		st, err := e.stageAt(sc, from)
		if err != nil {
			return err
		}
		e.stages = append(e.stages, st)
	}
	return nil
}

// stageAt compiles the councils of sc as they are in round r: a worker
// council that makes or uses (as an ordinary input) a good that has not
// appeared proposes nothing; a consumer council or federation spreads the
// weights of goods that have not appeared over those that have, in
// proportion (and drops their subsistence needs), or proposes nothing if
// none of its goods has appeared. (A commons good that has not appeared
// still gives K = stock to the councils that draw on it; the board gives
// it no fund weight.)
func (e *Economy) stageAt(sc *Scenario, r int) (stage, error) {
	absent := map[string]bool{}
	cp := *sc
	cp.Goods = append([]GoodSpec(nil), sc.Goods...)
	for i := range cp.Goods {
		if cp.Goods[i].Appears > r {
			absent[cp.Goods[i].ID] = true
		}
		cp.Goods[i].Appears = 0
	}
	silent := map[int]bool{} // board councils that propose nothing
	cp.Councils = append([]CouncilSpec(nil), sc.Councils...)
	for i := range cp.Councils {
		c := &cp.Councils[i]
		if c.Human() {
			continue
		}
		if c.Type == "worker" {
			if absent[c.Output] || anyAbsent(c.Inputs, absent) {
				silent[i] = true
			}
			continue
		}
		w, ok := spread(c.Weights, absent)
		if !ok {
			silent[i] = true
			continue
		}
		c.Weights = w
		if c.Subsistence != nil {
			c.Subsistence = maps.Clone(c.Subsistence)
			for g := range absent {
				delete(c.Subsistence, g)
			}
		}
	}
	cp.Federations = append([]FederationSpec(nil), sc.Federations...)
	fedSilent := map[string]bool{}
	for i := range cp.Federations {
		f := &cp.Federations[i]
		if f.Human() || !f.Collective() {
			continue
		}
		w, ok := spread(f.Weights, absent)
		if !ok {
			fedSilent[f.ID] = true
			continue
		}
		f.Weights = w
	}
	se, err := NewEconomy(&cp)
	if err != nil {
		return stage{}, err
	}
	for id := range fedSilent {
		if c, ok := se.councils[id]; ok {
			silent[c] = true
		}
	}
	for c := range silent {
		se.Models[c] = nil
	}
	return stage{From: r, Models: se.Models}, nil
}

// anyAbsent reports whether m names a good in absent.
func anyAbsent(m map[string]float64, absent map[string]bool) bool {
	for g := range m {
		if absent[g] {
			return true
		}
	}
	return false
}

// spread returns weights w without the goods in absent, scaled to the sum
// w had, or false if no good of w is left. It returns w itself when it
// names no absent good.
func spread(w map[string]float64, absent map[string]bool) (map[string]float64, bool) {
	if !anyAbsent(w, absent) {
		return w, true
	}
	total, kept := 0.0, 0.0
	out := map[string]float64{}
	for _, g := range sortedGoods(w) {
		total += w[g]
		if !absent[g] {
			out[g] = w[g]
			kept += w[g]
		}
	}
	if len(out) == 0 || !(kept > 0) {
		return nil, false
	}
	for g := range out {
		out[g] *= total / kept
	}
	return out, true
}

// ModelsAt returns the councils' models in round r: those of the stage
// that round r is in, or the whole scenario's (Models) once every good has
// appeared.
func (e *Economy) ModelsAt(r int) []Model {
	if r >= e.Plan.LastAppears() {
		return e.Models
	}
	for k := len(e.stages) - 1; k >= 0; k-- {
		if e.stages[k].From <= r {
			return e.stages[k].Models
		}
	}
	return e.Models
}

// StageStarts reports whether the councils' models change at round r (a
// good appears there).
func (e *Economy) StageStarts(r int) bool {
	if r == 0 || len(e.stages) == 0 {
		return false
	}
	for _, g := range e.Plan.Goods {
		if g.Appears == r {
			return true
		}
	}
	return false
}

// absentLine returns the field of doc that names a good which has not
// appeared by round r ("outputs.g", "requests.g", ...), or "" if none does:
// a proposal may name only the goods in the catalogue.
func (e *Economy) absentLine(doc *ProposalDoc, r int) string {
	for _, part := range []struct {
		name string
		m    map[string]float64
	}{{"outputs", doc.Outputs}, {"inputs", doc.Inputs}, {"emissions", doc.Emissions}, {"requests", doc.Requests}} {
		for _, g := range sortedGoods(part.m) {
			if j, ok := e.goods[g]; ok && !e.Plan.Exists(j, r) {
				return part.name + "." + g
			}
		}
	}
	return ""
}
