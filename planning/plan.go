package planning

import "fmt"

// Kind is the kind of a good.
type Kind uint8

// The kinds of goods.
const (
	Produced  Kind = iota // made by worker councils
	Labor                 // supplied by the members of consumer councils
	Resource              // a fixed endowment
	Pollutant             // emitted by worker councils within an allowance
)

var kindNames = [...]string{"produced", "labor", "resource", "pollutant"}

// String returns the kind's name as the scenario format spells it.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// Good is one entry of the catalogue.
type Good struct {
	ID        string
	Kind      Kind
	Endowment float64 // fixed supply: a resource's stock, a pollutant's allowance
	// Commons marks a non-rival produced good (docs/spec/economy.md,
	// "Commons goods"): nobody requests it, the commons fund buys it.
	Commons bool
	// Stock is a commons good's stock at the start of the plan.
	Stock float64
	// Appears is the round at which the good joins the catalogue (0: from
	// the start; see appears.go).
	Appears int
}

// Role says whether a council produces or consumes.
type Role uint8

// The roles of councils.
const (
	Worker Role = iota
	Consumer
)

// String returns the role's name as the scenario format spells it.
func (r Role) String() string {
	if r == Consumer {
		return "consumer"
	}
	return "worker"
}

// Council is what the board knows of a council: never its model.
type Council struct {
	ID   string
	Role Role
	// Share is a consumer council's income share s_c (zero for workers),
	// net of the levies of the federations that contain it: its budget
	// is Share·(1 − φ)·pool (Budget).
	Share float64
	// Income, if > 0, is the council's income share before the
	// federations' levies, which weighs its commons vote (Levy); 0 means
	// Share.
	Income float64
	// Labor is the labour good a consumer council supplies, or -1.
	Labor int
	// Hours is the labour a consumer council supplies (members × hours).
	Hours float64
	// Vote is what a consumer council votes for the commons fund before it
	// has proposed (round 0: a simulated council's scenario fields), nil
	// if it abstains.
	Vote *Vote
}

// Plan is the catalogue the board works with: goods, councils, the
// numéraire and the tolerance for convergence.
type Plan struct {
	Goods     []Good
	Councils  []Council
	Numeraire int
	Tolerance float64
	// CommonsShare is the levy when no consumer council votes.
	CommonsShare float64
}

// FixedSupply returns, per good, the supply that does not depend on any
// proposal: endowments plus the labour the consumer councils supply.
func (p *Plan) FixedSupply() []float64 {
	s := make([]float64, len(p.Goods))
	for i, g := range p.Goods {
		s[i] = g.Endowment
	}
	for _, c := range p.Councils {
		if c.Role == Consumer && c.Labor >= 0 {
			s[c.Labor] += c.Hours
		}
	}
	return s
}
