package wire

// Federations answers GET /api/plans/{id}/federations: the federation
// tree with each federation's roll-up for one closed round (the last, or
// ?round=N). Round is null before any round has closed; the federations
// then carry no numbers.
type Federations struct {
	Round       *int             `json:"round"`
	Federations []FederationView `json:"federations"`
}

// FederationView is one federation of the tree and its roll-up. A folded
// federation (fewer than k councils in its subtree, for everyone but the
// facilitator) shows only id, name, parent, members and folded: its
// numbers count in its parent's. A side of a good with 1 to k−1 councils
// behind it is null in supply or demand, and named in withheld.
type FederationView struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Parent  string   `json:"parent,omitempty"`
	Members []string `json:"members"`
	Folded  bool     `json:"folded"`
	// Levy is the federation's τ_f (0: no collective consumption); Human
	// says that people submit its collective requests.
	Levy  *float64 `json:"levy,omitempty"`
	Human bool     `json:"human,omitempty"`
	// Councils and Submitted count its subtree's councils and those that
	// submitted; SubmittedMembers names its direct members that did.
	Councils         *int     `json:"councils,omitempty"`
	Submitted        *int     `json:"submitted,omitempty"`
	SubmittedMembers []string `json:"submittedMembers,omitempty"`
	// Budget is its collective budget B_f in the round (0 without a levy).
	Budget     *float64            `json:"budget,omitempty"`
	Supply     map[string]*float64 `json:"supply,omitempty"`
	Demand     map[string]*float64 `json:"demand,omitempty"`
	Collective map[string]float64  `json:"collective,omitempty"`
	// Gaps is the federation's own gap per good: the balance of its
	// subtree, |D + C − S| / max(S, D + C), absent for a withheld good.
	Gaps     map[string]float64 `json:"gaps,omitempty"`
	Withheld []string           `json:"withheld,omitempty"`
}

// FederationsCSVHeader is the header row of GET
// /api/plans/{id}/federations.csv: one row per federation and good (a
// folded federation: one row, no good), withheld cells empty.
var FederationsCSVHeader = []string{"round", "federation", "parent", "folded", "good", "supply", "demand", "collective", "gap"}
