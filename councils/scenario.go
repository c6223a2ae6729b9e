package councils

// Scenario is a plan as the scenario format (docs/spec/economy.md) writes it.
// Decode reads and checks one; its zero-valued optional fields take their
// defaults there.
type Scenario struct {
	Name      string        `json:"name,omitempty"`
	Numeraire string        `json:"numeraire,omitempty"`
	Goods     []GoodSpec    `json:"goods"`
	Councils  []CouncilSpec `json:"councils"`
	// Federations is the tree of federations (version 2), if any.
	Federations  []FederationSpec `json:"federations,omitempty"`
	Facilitation *Facilitation    `json:"facilitation,omitempty"`
}

// GoodSpec is one good of a scenario.
type GoodSpec struct {
	ID        string  `json:"id"`
	Name      string  `json:"name,omitempty"`
	Unit      string  `json:"unit,omitempty"`
	Kind      string  `json:"kind"`
	Price     float64 `json:"price,omitempty"` // initial indicative price; default 1
	Endowment float64 `json:"endowment,omitempty"`
	// Rival false makes a produced good a commons good (docs/spec/economy.md,
	// "Commons goods"); nil is the default, true.
	Rival *bool `json:"rival,omitempty"`
	// Stock is a commons good's stock at the start of the plan.
	Stock float64 `json:"stock,omitempty"`
	// Appears is the round at which the good joins the catalogue (default
	// 0: from the start; see stages.go).
	Appears int `json:"appears,omitempty"`
}

// IsCommons reports whether the good is a commons good (rival: false).
func (g *GoodSpec) IsCommons() bool { return g.Rival != nil && !*g.Rival }

// CouncilSpec is one council of a scenario. A worker council with no Output
// and a consumer council with no Weights are human: they have no model.
type CouncilSpec struct {
	ID   string `json:"id"`
	Type string `json:"type"` // "worker" or "consumer"

	// Worker council: y = scale · Π x_k^β_k, emitting ε per unit of output.
	Output    string             `json:"output,omitempty"`
	Scale     float64            `json:"scale,omitempty"`
	Inputs    map[string]float64 `json:"inputs,omitempty"`
	Emissions map[string]float64 `json:"emissions,omitempty"`
	// Substitution is the elasticity σ of a CES technology (> 0); 0 or 1
	// is Cobb–Douglas.
	Substitution float64 `json:"substitution,omitempty"`
	// Commons holds {commons good: γ}: the commons the council draws on,
	// y = scale · Π K_j^γ_j · Π x_k^β_k.
	Commons map[string]float64 `json:"commons,omitempty"`

	// Consumer council.
	Members    float64            `json:"members,omitempty"`
	Effort     float64            `json:"effort,omitempty"` // default 1
	Hours      float64            `json:"hours,omitempty"`  // default 1
	Labor      string             `json:"labor,omitempty"`  // default: the first labour good
	Weights    map[string]float64 `json:"weights,omitempty"`
	Elasticity float64            `json:"elasticity,omitempty"` // default 1
	// Subsistence holds Stone–Geary needs {good: γ ≥ 0} over weighted goods.
	Subsistence map[string]float64 `json:"subsistence,omitempty"`
	// CommonsShare is a simulated consumer council's vote for the levy
	// (0 ≤ φ < 1), nil if it abstains; CommonsWeights its split of the
	// fund over commons goods (nil: equal weights).
	CommonsShare   *float64           `json:"commons_share,omitempty"`
	CommonsWeights map[string]float64 `json:"commons_weights,omitempty"`

	// Any simulated council (docs/spec/economy.md, "Councils as people").
	// Adjust is λ in (0, 1]: how far the council moves from its standing
	// proposal to its answer each round; 0 is the default, 1.
	Adjust float64 `json:"adjust,omitempty"`
	// RoundTo is the significant figures (1 to MaxRoundTo) the council
	// rounds its quantities to; 0 is the default, none.
	RoundTo int `json:"round_to,omitempty"`
}

// Human reports whether the council has no model.
func (c *CouncilSpec) Human() bool {
	if c.Type == "worker" {
		return c.Output == ""
	}
	return c.Weights == nil
}

// Facilitation holds a scenario's settings for the board.
type Facilitation struct {
	Tolerance float64  `json:"tolerance,omitempty"`  // default 0.01
	MaxRounds int      `json:"max_rounds,omitempty"` // default DefaultMaxRounds
	Rule      string   `json:"rule,omitempty"`       // default: the engine's best
	Step      float64  `json:"step,omitempty"`       // default: the rule's
	Privacy   *Privacy `json:"privacy,omitempty"`    // default: k 3, facilitator "all"
	// CommonsShare is the levy when no consumer council votes (default 0).
	CommonsShare float64 `json:"commons_share,omitempty"`
}

// Defaults of the facilitation settings.
const (
	DefaultTolerance = 0.01
	DefaultMaxRounds = 1000
)
