package councils

// Bounds on every number and name that enters a plan, so that nothing a
// scenario or a proposal carries can make the engine's arithmetic
// overflow or its memory run away. Quantities up to MaxQuantity priced up
// to MaxPrice, summed over MaxCouncils councils, stay below 1e30, far from
// float64's 1e308. Validate and ProposalFromDoc refuse what is outside,
// naming the field; should a round's totals nevertheless leave the finite
// numbers (a technology with returns b near 1 can multiply any bound), the
// round process stops the plan and says which good (see Process.Close).
const (
	// MaxQuantity bounds every quantity: a good's endowment, a consumer
	// council's members and hours per member, a worker council's emission
	// per unit of output, a subsistence need, and every quantity of a
	// proposal.
	MaxQuantity = 1e12
	// MinPrice and MaxPrice bound a good's initial price (relative to
	// nothing: the numéraire's too).
	MinPrice = 1e-12
	MaxPrice = 1e12
	// MaxScale bounds a worker council's scale.
	MaxScale = 1e6
	// MaxEffort bounds a consumer council's mean effort rating.
	MaxEffort = 1e3
	// MinElasticity and MaxElasticity bound a consumer council's
	// elasticity and a worker council's substitution: beyond them the
	// answers are all or nothing, and their powers underflow.
	MinElasticity = 1e-2
	MaxElasticity = 1e2
	// MaxStep bounds a rule's step (facilitation.step).
	MaxStep = 1e6
	// MaxPlanRounds bounds facilitation.max_rounds: the board keeps every
	// round.
	MaxPlanRounds = 1_000_000
	// MaxGoods and MaxCouncils bound a scenario's catalogue and councils.
	MaxGoods    = 10_000
	MaxCouncils = 200_000
	// MaxIDLen bounds an id (of a good or a council), in bytes; MaxNameLen
	// a name or a unit, in characters.
	MaxIDLen   = 64
	MaxNameLen = 200
	// MaxFederationDepth bounds how many federations a chain from a
	// council up to its root federation may have (neighbourhood, ward,
	// city, region is 4), so that a roll-up, which counts each council in
	// every federation above it, costs at most this many times a round.
	MaxFederationDepth = 64
)
