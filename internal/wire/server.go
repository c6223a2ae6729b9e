package wire

import (
	"encoding/json"
	"time"
)

// Server is a frame the server sends; FrameType is its "type".
type Server interface {
	FrameType() string
}

// Good is one good of the catalogue.
type Good struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Unit string `json:"unit,omitempty"`
	Kind string `json:"kind"`
	// A commons good's rival (false) and stock; absent for a rival good.
	Rival *bool    `json:"rival,omitempty"`
	Stock *float64 `json:"stock,omitempty"`
	// ProposedBy is, for a new good a council put into the catalogue
	// while the plan ran, that council's id (newgoods.go).
	ProposedBy string `json:"proposedBy,omitempty"`
}

// Council is one council as everyone in the plan sees it.
type Council struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Human bool   `json:"human"`
}

// OwnCouncil is, on a council's connection, the council itself.
type OwnCouncil struct {
	ID     string `json:"id"`
	Type   string `json:"type"` // worker, consumer or federation
	Output string `json:"output,omitempty"`
	// Name is a federation's name.
	Name string `json:"name,omitempty"`
}

// Snapshot is the first frame of every connection: who the token is and
// the plan's state.
type Snapshot struct {
	Role      string        `json:"role"`
	CouncilID string        `json:"councilId,omitempty"`
	Plan      SnapshotPlan  `json:"plan"`
	Round     SnapshotRound `json:"round"`
	LastRound *LastRound    `json:"lastRound,omitempty"`
}

// FrameType returns "snapshot".
func (Snapshot) FrameType() string { return "snapshot" }

// SnapshotPlan is a snapshot's plan: its catalogue and settings.
type SnapshotPlan struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name"`
	Status               string      `json:"status"`
	Reason               string      `json:"reason,omitempty"`
	Numeraire            string      `json:"numeraire"`
	Goods                []Good      `json:"goods"`
	Tolerance            float64     `json:"tolerance"`
	Rule                 string      `json:"rule"`
	Councils             []Council   `json:"councils,omitempty"`
	RoundDeadlineSeconds int         `json:"roundDeadlineSeconds"`
	Council              *OwnCouncil `json:"council,omitempty"`
}

// SnapshotRound is a snapshot's round: the open one, or the last once the
// plan has ended. Its number is "number" (the spec's shape).
type SnapshotRound struct {
	Number    int                `json:"number"`
	Status    string             `json:"status"`
	Prices    map[string]float64 `json:"prices"`
	Budget    *float64           `json:"budget,omitempty"`
	Submitted []string           `json:"submitted"`
	Deadline  *time.Time         `json:"deadline"`
	Own       *OwnProposal       `json:"own,omitempty"`
	// The commons fund of the round (plans with commons goods only): the
	// levy, the fund and each commons good's K.
	Levy    *float64           `json:"levy,omitempty"`
	Fund    *float64           `json:"fund,omitempty"`
	Commons map[string]float64 `json:"commons,omitempty"`
	// StandIns are the councils among Submitted whose proposal their
	// model made at the deadline (once the plan has ended).
	StandIns []string `json:"standins,omitempty"`
}

// OwnProposal is a council's standing proposal in the snapshot's round.
type OwnProposal struct {
	Proposal json.RawMessage `json:"proposal"`
	Fresh    bool            `json:"fresh"`
	// StandIn is true when the council's model made it at a deadline the
	// council missed: the page does not start the council's form from it.
	StandIn bool     `json:"standin,omitempty"`
	SBSC    *float64 `json:"sbsc,omitempty"`
	Cost    *float64 `json:"cost,omitempty"`
	Budget  *float64 `json:"budget,omitempty"`
}

// LastRound is the last closed round's totals in a snapshot, as the
// connection's role may see them (see Withheld).
type LastRound struct {
	Round  int                 `json:"round"`
	Supply map[string]*float64 `json:"supply"`
	Demand map[string]*float64 `json:"demand"`
	Gaps   map[string]*float64 `json:"gaps"`
	MaxGap *float64            `json:"maxGap"`
	// What a public view withholds: the sides whose totals are null
	// ("bread.supply"), whether each good with a withheld side is within
	// the tolerance (its gap is null), how many of those are not, and the
	// k that decided (docs/privacy.md). A facilitator who sees all gets
	// an empty list and k 0.
	Withheld        []string        `json:"withheld"`
	WithinTolerance map[string]bool `json:"withinTolerance,omitempty"`
	WithheldOpen    int             `json:"withheldOpen"`
	K               int             `json:"k,omitempty"`
	// The round's commons fund and its users (plans with commons goods).
	Levy    *float64           `json:"levy,omitempty"`
	Fund    *float64           `json:"fund,omitempty"`
	Commons map[string]float64 `json:"commons,omitempty"`
	Users   map[string]float64 `json:"users,omitempty"`
}

// RoundOpened announces a new round: its prices, a human consumer
// council's budget on its own copy, and the deadline (null for none).
type RoundOpened struct {
	Round    int                `json:"round"`
	Prices   map[string]float64 `json:"prices"`
	Budget   *float64           `json:"budget,omitempty"`
	Deadline *time.Time         `json:"deadline"`
	// The round's commons fund (plans with commons goods only).
	Levy    *float64           `json:"levy,omitempty"`
	Fund    *float64           `json:"fund,omitempty"`
	Commons map[string]float64 `json:"commons,omitempty"`
	// The new goods that join the catalogue in this round, and the ids
	// of those withdrawn before they did (newgoods.go).
	NewGoods       []NewGood `json:"newGoods,omitempty"`
	WithdrawnGoods []string  `json:"withdrawnGoods,omitempty"`
}

// FrameType returns "round.opened".
func (RoundOpened) FrameType() string { return "round.opened" }

// ProposalAccepted acknowledges a stored proposal, with its verdict.
type ProposalAccepted struct {
	Ref        string   `json:"ref,omitempty"`
	Round      int      `json:"round"`
	ProposalID int64    `json:"proposalId"`
	SBSC       *float64 `json:"sbsc,omitempty"`
	Cost       *float64 `json:"cost,omitempty"`
	Budget     *float64 `json:"budget,omitempty"`
}

// FrameType returns "proposal.accepted".
func (ProposalAccepted) FrameType() string { return "proposal.accepted" }

// ProposalRejected answers a proposal that failed its checks: why, and
// the path of the offending field.
type ProposalRejected struct {
	Ref    string `json:"ref,omitempty"`
	Round  int    `json:"round"`
	Reason string `json:"reason"`
	Field  string `json:"field,omitempty"`
}

// FrameType returns "proposal.rejected".
func (ProposalRejected) FrameType() string { return "proposal.rejected" }

// RoundSubmitted tells the facilitators and observers who has submitted.
type RoundSubmitted struct {
	Round     int    `json:"round"`
	CouncilID string `json:"councilId"`
}

// FrameType returns "round.submitted".
func (RoundSubmitted) FrameType() string { return "round.submitted" }

// ProposalReceived gives the facilitators a stored proposal and its
// verdict.
type ProposalReceived struct {
	Round     int             `json:"round"`
	CouncilID string          `json:"councilId"`
	Proposal  json.RawMessage `json:"proposal"`
	SBSC      *float64        `json:"sbsc,omitempty"`
	Cost      *float64        `json:"cost,omitempty"`
	Budget    *float64        `json:"budget,omitempty"`
}

// FrameType returns "proposal.received".
func (ProposalReceived) FrameType() string { return "proposal.received" }

// RoundClosed gives a closed round's totals as the connection's role may
// see them (a withheld total is null); the facilitator who closed it gets
// its ref.
type RoundClosed struct {
	Ref       string              `json:"ref,omitempty"`
	Round     int                 `json:"round"`
	Prices    map[string]float64  `json:"prices"`
	Supply    map[string]*float64 `json:"supply"`
	Demand    map[string]*float64 `json:"demand"`
	Gaps      map[string]*float64 `json:"gaps"`
	MaxGap    *float64            `json:"maxGap"`
	Submitted []string            `json:"submitted"`
	Carried   []string            `json:"carried"`
	StandIns  []string            `json:"standins"`
	Reason    string              `json:"reason"`
	// What is withheld, as in LastRound.
	Withheld        []string        `json:"withheld"`
	WithinTolerance map[string]bool `json:"withinTolerance,omitempty"`
	WithheldOpen    int             `json:"withheldOpen"`
	K               int             `json:"k,omitempty"`
	// The closed round's commons fund and users (plans with commons goods).
	Levy    *float64           `json:"levy,omitempty"`
	Fund    *float64           `json:"fund,omitempty"`
	Commons map[string]float64 `json:"commons,omitempty"`
	Users   map[string]float64 `json:"users,omitempty"`
}

// FrameType returns "round.closed".
func (RoundClosed) FrameType() string { return "round.closed" }

// PlanConverged announces the equilibrium: the last round and its prices.
type PlanConverged struct {
	Round  int                `json:"round"`
	Prices map[string]float64 `json:"prices"`
}

// FrameType returns "plan.converged".
func (PlanConverged) FrameType() string { return "plan.converged" }

// PlanStopped announces that the plan ended without converging, and why.
type PlanStopped struct {
	Round  int    `json:"round"`
	Reason string `json:"reason"`
}

// FrameType returns "plan.stopped".
func (PlanStopped) FrameType() string { return "plan.stopped" }

// SettingsChanged announces a new round deadline setting; the facilitator
// who changed it gets its ref. It is also the body answering PATCH
// /api/plans/{id}/settings (without ref).
type SettingsChanged struct {
	Ref                  string     `json:"ref,omitempty"`
	RoundDeadlineSeconds int        `json:"roundDeadlineSeconds"`
	Round                int        `json:"round"`
	Deadline             *time.Time `json:"deadline"`
	// Privacy is the plan's privacy setting, when it is what changed.
	Privacy *PrivacySettings `json:"privacy,omitempty"`
}

// FrameType returns "settings.changed".
func (SettingsChanged) FrameType() string { return "settings.changed" }

// Pong answers ping.
type Pong struct {
	Ref string `json:"ref,omitempty"`
}

// FrameType returns "pong".
func (Pong) FrameType() string { return "pong" }

// Error answers a frame that was bad or not allowed.
type Error struct {
	Ref     string `json:"ref,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// FrameType returns "error".
func (Error) FrameType() string { return "error" }

// ServerFrames lists every server frame by type, for the schema's tests
// and documentation.
var ServerFrames = []Server{
	Snapshot{}, RoundOpened{}, ProposalAccepted{}, ProposalRejected{},
	RoundSubmitted{}, ProposalReceived{}, RoundClosed{}, PlanConverged{},
	PlanStopped{}, SettingsChanged{}, Pong{}, Error{},
	GoodAccepted{}, GoodRejected{}, GoodWithdrawn{},
}
