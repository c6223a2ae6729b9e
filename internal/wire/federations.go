package wire

import "encoding/json"

// Federations answers GET /api/plans/{id}/federations: the federation
// tree with each federation's roll-up for one closed round (the last, or
// ?round=N). Round is null before any round has closed; the federations
// then carry no numbers.
type Federations struct {
	Round *int `json:"round"`
	// K is the smallest number of councils a roll-up shows anything
	// about for this reader (the plan's k; 1 for a facilitator who sees
	// everything).
	K           int              `json:"k"`
	Federations []FederationView `json:"federations"`
}

// FederationView is one federation of the tree and its roll-up. A folded
// federation (fewer than k councils in its subtree, for everyone but the
// facilitator) shows only id, name, parent, members and folded: its
// numbers count in its parent's; so does every federation before any
// round has closed (Councils nil). A side of a good with 1 to k−1
// councils behind it is null in supply or demand, and named in withheld.
type FederationView struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Parent  string   `json:"parent,omitempty"`
	Members []string `json:"members"`
	Folded  bool     `json:"folded"`
	// Levy is the federation's τ_f (0: no collective consumption); Human
	// says that people submit its collective requests.
	Levy  float64 `json:"levy"`
	Human bool    `json:"human"`
	// Councils and Submitted count its subtree's councils and those that
	// submitted; SubmittedMembers names its direct members that did.
	Councils         *int     `json:"councils"`
	Submitted        int      `json:"submitted"`
	SubmittedMembers []string `json:"submittedMembers"`
	// Budget is its collective budget B_f in the round (0 without a levy).
	Budget     float64             `json:"budget"`
	Supply     map[string]*float64 `json:"supply"`
	Demand     map[string]*float64 `json:"demand"`
	Collective map[string]float64  `json:"collective"`
	// Gaps is the federation's own gap per good: the balance of its
	// subtree, |D + C − S| / max(S, D + C), absent for a withheld good and
	// for a good with an endowment.
	Gaps     map[string]float64 `json:"gaps"`
	Withheld []string           `json:"withheld"`
}

// foldedView is what a FederationView without numbers shows.
type foldedView struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Parent  string   `json:"parent,omitempty"`
	Members []string `json:"members"`
	Folded  bool     `json:"folded"`
}

// MarshalJSON writes a folded federation, or one before any close, with
// only its place in the tree; any other with every field, none null but
// the withheld sides.
func (v FederationView) MarshalJSON() ([]byte, error) {
	if v.Members == nil {
		v.Members = []string{}
	}
	if v.Folded || v.Councils == nil {
		return json.Marshal(foldedView{ID: v.ID, Name: v.Name, Parent: v.Parent, Members: v.Members, Folded: v.Folded})
	}
	type plain FederationView // without this method
	p := plain(v)
	if p.SubmittedMembers == nil {
		p.SubmittedMembers = []string{}
	}
	if p.Withheld == nil {
		p.Withheld = []string{}
	}
	if p.Supply == nil {
		p.Supply = map[string]*float64{}
	}
	if p.Demand == nil {
		p.Demand = map[string]*float64{}
	}
	if p.Collective == nil {
		p.Collective = map[string]float64{}
	}
	if p.Gaps == nil {
		p.Gaps = map[string]float64{}
	}
	return json.Marshal(p)
}

// FederationsCSVHeader is the header row of GET
// /api/plans/{id}/federations.csv: one row per federation and good (a
// folded federation: one row, no good), withheld cells empty.
var FederationsCSVHeader = []string{"round", "federation", "parent", "folded", "good", "supply", "demand", "collective", "gap"}
