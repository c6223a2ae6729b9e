package councils

import (
	"fmt"
	"math"
	"sort"
	"unicode/utf8"

	"parecon/planning"
	"parecon/planning/rules"
)

// WeightSlack is how far a consumer council's weights may sum from 1.
const WeightSlack = 1e-9

// Validate checks a scenario against docs/spec/economy.md and returns every
// problem found, each naming its JSON path; none means the scenario is
// good. Numbers are assumed finite and non-negative (DecodeScenario checks
// that), but Validate checks them again for scenarios built in code.
func Validate(sc *Scenario) Problems { return validate(sc, nil) }

// validate is Validate, leaving out the goods in unsure (whose own fields
// did not decode) from the check that what is used can be supplied: their
// endowment or kind is not known, so "nobody can supply it" would follow
// from a problem already reported.
func validate(sc *Scenario, unsure map[string]bool) Problems {
	v := &walker{}
	if len(sc.Goods) > MaxGoods {
		v.add("goods", "%d goods; a scenario has at most %d", len(sc.Goods), MaxGoods)
	}
	if len(sc.Councils) > MaxCouncils {
		v.add("councils", "%d councils; a scenario has at most %d", len(sc.Councils), MaxCouncils)
	}
	if len(v.probs) > 0 {
		return v.probs
	}
	v.name("name", sc.Name)
	kinds := map[string]planning.Kind{}
	commons := map[string]float64{} // commons goods' stocks
	var firstLabor string
	for i, g := range sc.Goods {
		p := index("goods", i)
		v.id(join(p, "id"), g.ID)
		if _, dup := kinds[g.ID]; dup {
			v.add(join(p, "id"), "duplicate good id %q", short(g.ID))
			continue
		}
		k, ok := planning.ParseKind(g.Kind)
		if !ok {
			v.add(join(p, "kind"), "unknown kind %q (want produced, labor, resource or pollutant)", short(g.Kind))
		}
		v.name(join(p, "name"), g.Name)
		v.name(join(p, "unit"), g.Unit)
		if !(g.Price > 0) || math.IsInf(g.Price, 0) {
			v.add(join(p, "price"), "a price must be a positive finite number")
		} else if g.Price < MinPrice || g.Price > MaxPrice {
			v.add(join(p, "price"), "%v is outside [%g, %g], the prices a plan starts from", g.Price, float64(MinPrice), float64(MaxPrice))
		}
		v.quantity(join(p, "endowment"), g.Endowment)
		if g.Endowment > 0 && (k == planning.Produced || k == planning.Labor) {
			v.add(join(p, "endowment"), "a %s good has no endowment", k)
		}
		kinds[g.ID] = k
		v.commonsGood(p, &g, k)
		if g.IsCommons() {
			commons[g.ID] = g.Stock
		}
		if k == planning.Labor && firstLabor == "" {
			firstLabor = g.ID
		}
	}
	if len(sc.Goods) == 0 {
		v.add("goods", "a scenario needs at least one good")
	}
	v.goodsAppear(sc)
	if sc.Numeraire != "" {
		if _, ok := kinds[sc.Numeraire]; !ok {
			v.add("numeraire", "unknown good %q", short(sc.Numeraire))
		}
	}

	// What can be supplied, and what is used, to report goods nobody supplies.
	supplied := map[string]bool{}
	for _, g := range sc.Goods {
		if g.Endowment > 0 {
			supplied[g.ID] = true
		}
	}
	type use = goodUse
	var uses []use
	humanWorker := false
	councilIDs := map[string]bool{}
	for i, c := range sc.Councils {
		p := index("councils", i)
		v.id(join(p, "id"), c.ID)
		if councilIDs[c.ID] {
			v.add(join(p, "id"), "duplicate council id %q", short(c.ID))
		}
		councilIDs[c.ID] = true
		v.behaviour(p, &c)
		switch c.Type {
		case "worker":
			v.notFor(p, c.Type, map[string]bool{"members": c.Members != 0, "effort": c.Effort != 0,
				"hours": c.Hours != 0, "labor": c.Labor != "", "weights": c.Weights != nil, "elasticity": c.Elasticity != 0,
				"subsistence": c.Subsistence != nil, "commons_share": c.CommonsShare != nil, "commons_weights": c.CommonsWeights != nil})
			if c.Output == "" {
				humanWorker = true
				v.notFor(p, "human worker (no output)", map[string]bool{"scale": c.Scale != 0,
					"inputs": c.Inputs != nil, "emissions": c.Emissions != nil, "substitution": c.Substitution != 0,
					"adjust": c.Adjust != 0, "round_to": c.RoundTo != 0, "commons": c.Commons != nil})
				continue
			}
			if k, ok := kinds[c.Output]; !ok {
				v.add(join(p, "output"), "unknown good %q", short(c.Output))
			} else if k != planning.Produced {
				v.add(join(p, "output"), "%q is a %s good; a worker council outputs a produced good", short(c.Output), k)
			} else {
				supplied[c.Output] = true
			}
			if c.Substitution < 0 || math.IsNaN(c.Substitution) || math.IsInf(c.Substitution, 0) {
				v.add(join(p, "substitution"), "the substitution elasticity must be a positive finite number")
			}
			if !(c.Scale > 0) || math.IsInf(c.Scale, 0) {
				v.add(join(p, "scale"), "a worker council's scale must be a positive finite number")
			} else if c.Scale > MaxScale {
				v.add(join(p, "scale"), "%v is above %g, the largest scale", c.Scale, float64(MaxScale))
			}
			if c.Substitution != 0 {
				v.elasticity(join(p, "substitution"), c.Substitution)
			}
			if len(c.Inputs) == 0 {
				v.add(join(p, "inputs"), "a worker council with a model needs at least one input")
			}
			b := 0.0
			for _, g := range sortedGoods(c.Inputs) {
				q := join(join(p, "inputs"), g)
				beta := c.Inputs[g]
				k, ok := kinds[g]
				switch {
				case !ok:
					v.add(q, "unknown good %q", short(g))
				case k == planning.Pollutant:
					v.add(q, "%q is a pollutant: list it under emissions", short(g))
				case g == c.Output:
					v.add(q, "a council does not use its own output")
				case isCommons(commons, g):
					v.add(q, "%q is a commons good: nobody uses it up, so it is never an ordinary input; draw on it under commons", short(g))
				default:
					uses = append(uses, use{q, g})
				}
				if !(beta > 0) || math.IsInf(beta, 0) {
					v.add(q, "an input's exponent must be a positive finite number")
				}
				b += beta
			}
			if b >= 1 {
				v.add(join(p, "inputs"), "the exponents sum to %.6g; they must sum to less than 1 (decreasing returns)", b)
			} else {
				v.workerCommons(p, &c, b, kinds, commons)
			}
			for _, g := range sortedGoods(c.Emissions) {
				q := join(join(p, "emissions"), g)
				k, ok := kinds[g]
				switch {
				case !ok:
					v.add(q, "unknown good %q", short(g))
				case k != planning.Pollutant:
					v.add(q, "%q is a %s good, not a pollutant", short(g), k)
				default:
					if c.Emissions[g] > 0 {
						uses = append(uses, use{q, g})
					}
				}
				v.quantity(q, c.Emissions[g])
			}
		case "consumer":
			v.notFor(p, c.Type, map[string]bool{"output": c.Output != "", "scale": c.Scale != 0,
				"inputs": c.Inputs != nil, "emissions": c.Emissions != nil, "substitution": c.Substitution != 0,
				"commons": c.Commons != nil})
			if !(c.Members > 0) || math.IsInf(c.Members, 0) {
				v.add(join(p, "members"), "a consumer council needs members (> 0)")
			} else {
				v.quantity(join(p, "members"), c.Members)
			}
			if !(c.Effort > 0) || math.IsInf(c.Effort, 0) {
				v.add(join(p, "effort"), "effort must be a positive finite number")
			} else if c.Effort > MaxEffort {
				v.add(join(p, "effort"), "%v is above %g, the largest effort rating", c.Effort, float64(MaxEffort))
			}
			if !(c.Hours > 0) || math.IsInf(c.Hours, 0) {
				v.add(join(p, "hours"), "hours must be a positive finite number")
			} else {
				v.quantity(join(p, "hours"), c.Hours)
			}
			if c.Labor != "" {
				if k, ok := kinds[c.Labor]; !ok {
					v.add(join(p, "labor"), "unknown good %q", short(c.Labor))
				} else if k != planning.Labor {
					v.add(join(p, "labor"), "%q is a %s good, not labour", short(c.Labor), k)
				} else {
					supplied[c.Labor] = true
				}
			} else if firstLabor != "" {
				supplied[firstLabor] = true
			}
			if c.Weights == nil {
				if c.Elasticity != 1 && c.Elasticity != 0 {
					v.add(join(p, "elasticity"), "a human consumer council (no weights) has no elasticity")
				}
				v.notFor(p, "human consumer (no weights)", map[string]bool{"subsistence": c.Subsistence != nil,
					"adjust": c.Adjust != 0, "round_to": c.RoundTo != 0,
					"commons_share": c.CommonsShare != nil, "commons_weights": c.CommonsWeights != nil})
				continue
			}
			uses = append(uses, v.demandWeights(join(p, "weights"), c.Weights, kinds, commons, consumerWeights)...)
			if !(c.Elasticity > 0) || math.IsInf(c.Elasticity, 0) {
				v.add(join(p, "elasticity"), "the elasticity must be a positive finite number")
			} else {
				v.elasticity(join(p, "elasticity"), c.Elasticity)
			}
			for _, g := range sortedGoods(c.Subsistence) {
				q := join(join(p, "subsistence"), g)
				v.quantity(q, c.Subsistence[g])
				if _, ok := c.Weights[g]; !ok {
					v.add(q, "%q is not among the council's weights; a need is for a good it weights", short(g))
				}
			}
			v.consumerVote(p, &c, kinds, commons)
		default:
			v.add(join(p, "type"), "unknown council type %q (want worker or consumer)", short(c.Type))
		}
	}
	uses = append(uses, v.federations(sc, kinds, commons, councilIDs)...)
	for _, u := range uses {
		if supplied[u.good] || unsure[u.good] {
			continue
		}
		if humanWorker && kinds[u.good] == planning.Produced {
			continue // a human worker council may produce it
		}
		why := "nobody can supply it"
		switch kinds[u.good] {
		case planning.Produced:
			why = "no worker council produces it"
		case planning.Labor:
			why = "no consumer council supplies this labour"
		case planning.Resource:
			why = "the resource has no endowment"
		case planning.Pollutant:
			why = "the pollutant has no allowance (endowment)"
		}
		v.add(u.path, "%q is used but %s", short(u.good), why)
	}
	if f := sc.Facilitation; f != nil {
		if f.Rule != "" {
			if _, err := rules.New(f.Rule, 0); err != nil {
				v.add("facilitation.rule", "%v", err)
			}
		}
		if f.Tolerance < 0 || f.Tolerance >= 1 || math.IsNaN(f.Tolerance) {
			v.add("facilitation.tolerance", "%s", ToleranceProblem(f.Tolerance))
		}
		if f.Step < 0 || math.IsNaN(f.Step) {
			v.add("facilitation.step", "the step must be positive")
		} else if f.Step > MaxStep {
			v.add("facilitation.step", "%v is above %g, the largest step", f.Step, float64(MaxStep))
		}
		v.share("facilitation.commons_share", f.CommonsShare)
		if f.MaxRounds < 0 {
			v.add("facilitation.max_rounds", "max_rounds must be at least 1")
		} else if f.MaxRounds > MaxPlanRounds {
			v.add("facilitation.max_rounds", "%d is above %d, the most rounds a plan may run", f.MaxRounds, MaxPlanRounds)
		}
		if f.Privacy != nil {
			if err := f.Privacy.WithDefaults().Check("facilitation.privacy"); err != nil {
				e := AsError(err)
				v.add(e.Field, "%s", e.Message)
			}
		}
	}
	return v.probs
}

// behaviour checks the fields any simulated council may have: adjust in
// (0, 1] and round_to from 1 to MaxRoundTo, 0 meaning the default.
func (w *walker) behaviour(path string, c *CouncilSpec) {
	if c.Adjust != 0 && !(c.Adjust > 0 && c.Adjust <= 1) {
		w.add(join(path, "adjust"), "adjust is %v; it must be in (0, 1]", c.Adjust)
	}
	if c.RoundTo != 0 && (c.RoundTo < 1 || c.RoundTo > MaxRoundTo) {
		w.add(join(path, "round_to"), "round_to is %d; it must be a whole number of significant figures from 1 to %d", c.RoundTo, MaxRoundTo)
	}
}

func (w *walker) id(path, id string) {
	if len(id) > MaxIDLen {
		w.add(path, "%q is longer than %d bytes, the longest id", short(id), MaxIDLen)
	} else if !slug.MatchString(id) {
		w.add(path, "%q is not an id (want a short slug: [a-z0-9][a-z0-9_-]*)", short(id))
	}
}

// name checks a name or a unit's length.
func (w *walker) name(path, s string) {
	if n := utf8.RuneCountInString(s); n > MaxNameLen {
		w.add(path, "%d characters; a name or unit has at most %d", n, MaxNameLen)
	}
}

// quantity checks a quantity: finite, ≥ 0 and at most MaxQuantity.
func (w *walker) quantity(path string, x float64) {
	w.nonneg(path, x)
	if x > MaxQuantity && !math.IsInf(x, 0) {
		w.add(path, "%v is above %g, the largest quantity", x, float64(MaxQuantity))
	}
}

// elasticity checks an elasticity of substitution against its bounds.
func (w *walker) elasticity(path string, x float64) {
	if x > 0 && (x < MinElasticity || x > MaxElasticity) {
		w.add(path, "%v is outside [%g, %g], the elasticities a council may have", x, float64(MinElasticity), float64(MaxElasticity))
	}
}

// short returns s cut to MaxIDLen bytes (on a character boundary) with an
// ellipsis, for quoting outside input in a message.
func short(s string) string {
	if len(s) <= MaxIDLen {
		return s
	}
	cut := MaxIDLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (w *walker) nonneg(path string, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		w.add(path, "not a finite number")
	} else if x < 0 {
		w.add(path, "%v is negative", x)
	}
}

// notFor reports fields that are set but do not belong to a council of kind.
func (w *walker) notFor(path, kind string, set map[string]bool) {
	for _, k := range sortedGoods(setToMap(set)) {
		w.add(join(path, k), "a %s council has no %s", kind, k)
	}
}

func setToMap(set map[string]bool) map[string]float64 {
	m := map[string]float64{}
	for k, ok := range set {
		if ok {
			m[k] = 1
		}
	}
	return m
}

func sortedGoods(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var _ = fmt.Sprintf

// weightsOf names who weights goods in demandWeights' messages.
type weightsOf struct {
	empty, kinds, commons string
}

// The two kinds of demand with weights: a consumer council's and a
// federation's collective consumption.
var (
	consumerWeights = weightsOf{
		empty:   "a consumer council with a model weights at least one good",
		kinds:   "consumers weight produced goods and resources",
		commons: "; vote for its fund with commons_share and commons_weights",
	}
	federationWeights = weightsOf{
		empty: "a simulated federation weights at least one good",
		kinds: "a federation requests produced goods and resources",
	}
)

// demandWeights checks the weights at path p of a demand (a consumer
// council's or a federation's): produced goods and resources, never a
// commons good, each positive and finite, summing to 1. It returns the
// goods they use.
func (w *walker) demandWeights(p string, weights map[string]float64, kinds map[string]planning.Kind, commons map[string]float64, who weightsOf) []goodUse {
	if len(weights) == 0 {
		w.add(p, "%s", who.empty)
	}
	var uses []goodUse
	sum := 0.0
	for _, g := range sortedGoods(weights) {
		q := join(p, g)
		k, ok := kinds[g]
		switch {
		case !ok:
			w.add(q, "unknown good %q", short(g))
		case k != planning.Produced && k != planning.Resource:
			w.add(q, "%q is a %s good; %s", short(g), k, who.kinds)
		case isCommons(commons, g):
			w.add(q, "%q is a commons good: it is free to use and never requested, so it has no weight%s", short(g), who.commons)
		default:
			uses = append(uses, goodUse{q, g})
		}
		if !(weights[g] > 0) || math.IsInf(weights[g], 0) {
			w.add(q, "a weight must be a positive finite number")
		}
		sum += weights[g]
	}
	if len(weights) > 0 && math.Abs(sum-1) > WeightSlack {
		w.add(p, "the weights sum to %.12g; they must sum to 1", sum)
	}
	return uses
}
