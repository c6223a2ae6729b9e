package wire

import (
	"encoding/json"
	"time"
)

// PlanList answers GET /api/plans: a page of plans, newest first, and
// the cursor of the next page while more follow.
type PlanList struct {
	Plans []PlanSummary `json:"plans"`
	Next  string        `json:"next,omitempty"`
}

// PlanSummary is one plan in the public list: no proposals, no tokens.
type PlanSummary struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	Round     int       `json:"round"`
	CreatedAt time.Time `json:"createdAt"`
}

// CreateExample is the body of POST /api/plans naming a bundled example
// (any other body is a scenario). Humans, if given, names the councils
// people play (each gets a council token); the others are simulated.
type CreateExample struct {
	Example string   `json:"example"`
	Humans  []string `json:"humans,omitempty"`
}

// ExampleList answers GET /api/examples: the bundled scenarios' names,
// and for each its description and councils, for choosing who is people.
type ExampleList struct {
	Examples []string      `json:"examples"`
	Details  []ExampleInfo `json:"details"`
}

// ExampleInfo is one bundled scenario: its name, a one-line
// description, its goods and its councils.
type ExampleInfo struct {
	Name        string           `json:"name"`
	Title       string           `json:"title"`
	Description string           `json:"description"`
	Goods       []Good           `json:"goods"`
	Councils    []ExampleCouncil `json:"councils"`
}

// ExampleCouncil is one council of a bundled scenario: Makes is a worker
// council's output; Human is true when it has no model (people always
// play it); Suggested marks the councils the demo leaves to people.
type ExampleCouncil struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Makes     string `json:"makes,omitempty"`
	Human     bool   `json:"human"`
	Suggested bool   `json:"suggested,omitempty"`
}

// Created answers POST /api/plans: the plan's id and its tokens, shown
// once. Council tokens are made for the human councils only.
type Created struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitatorToken"`
	ObserverToken    string            `json:"observerToken"`
	CouncilTokens    map[string]string `json:"councilTokens"`
	// FederationTokens holds a token for each human federation (a levy,
	// no weights), by id; absent without one.
	FederationTokens map[string]string `json:"federationTokens,omitempty"`
}

// PlanView answers GET /api/plans/{id} (and POST .../rounds/close). Its
// round is the current round's number.
type PlanView struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	Status               string              `json:"status"`
	Reason               string              `json:"reason,omitempty"`
	Round                int                 `json:"round"`
	Prices               map[string]float64  `json:"prices"`
	Numeraire            string              `json:"numeraire"`
	Tolerance            float64             `json:"tolerance"`
	Rule                 string              `json:"rule"`
	Goods                []Good              `json:"goods"`
	Councils             []Council           `json:"councils"`
	RoundDeadlineSeconds int                 `json:"roundDeadlineSeconds"`
	Deadline             *time.Time          `json:"deadline"`
	Submitted            []string            `json:"submitted"`
	CreatedAt            time.Time           `json:"createdAt"`
	LastRound            *int                `json:"lastRound,omitempty"`
	Supply               map[string]*float64 `json:"supply,omitempty"`
	Demand               map[string]*float64 `json:"demand,omitempty"`
	Gaps                 map[string]*float64 `json:"gaps,omitempty"`
	MaxGap               *float64            `json:"maxGap,omitempty"`
	// What is withheld of the last round, as in LastRound.
	Withheld        []string        `json:"withheld,omitempty"`
	WithinTolerance map[string]bool `json:"withinTolerance,omitempty"`
	WithheldOpen    int             `json:"withheldOpen,omitempty"`
	Privacy         PrivacySettings `json:"privacy"`
	Council         *OwnCouncil     `json:"council,omitempty"`
	CouncilID       string          `json:"councilId,omitempty"`
	Budget          *float64        `json:"budget,omitempty"`
	// StandIns are the councils whose standing proposal in the round
	// their model made at a deadline (stand-ins), not their people.
	StandIns []string `json:"standins"`
}

// CloseRequest is the optional body of POST /api/plans/{id}/rounds/close:
// the round to close (absent: the open one). A round that is not the open
// one is a conflict.
type CloseRequest struct {
	Round *int `json:"round,omitempty"`
}

// SettingsRequest is the body of PATCH /api/plans/{id}/settings; it is
// answered by SettingsChanged.
type SettingsRequest struct {
	RoundDeadlineSeconds *float64        `json:"roundDeadlineSeconds"`
	Privacy              *PrivacyRequest `json:"privacy,omitempty"`
}

// PrivacyRequest changes a plan's privacy settings (before round 0
// closes); an absent field keeps its value.
type PrivacyRequest struct {
	K           *float64 `json:"k,omitempty"`
	Facilitator *string  `json:"facilitator,omitempty"`
}

// Rounds answers GET /api/plans/{id}/rounds.
type Rounds struct {
	Rounds []RoundRow `json:"rounds"`
}

// RoundRow is one closed round: its prices, totals, largest gap and who
// submitted.
//
// A public row (everyone but a facilitator who sees all) has null for a
// withheld total and gap, maxGap and worst over the goods it shows (null
// and "" if none), and says what it withholds.
type RoundRow struct {
	Round     int                 `json:"round"`
	Prices    map[string]float64  `json:"prices"`
	Supply    map[string]*float64 `json:"supply"`
	Demand    map[string]*float64 `json:"demand"`
	Gaps      map[string]*float64 `json:"gaps"`
	MaxGap    *float64            `json:"maxGap"`
	Worst     string              `json:"worst"`
	Submitted []string            `json:"submitted"`
	Carried   []string            `json:"carried"`
	Converged bool                `json:"converged"`
	// StandIns are the councils among Submitted whose proposal their
	// model made at the deadline, standing in for the people.
	StandIns []string `json:"standins"`
	// What is withheld, as in LastRound.
	Withheld        []string        `json:"withheld"`
	WithinTolerance map[string]bool `json:"withinTolerance,omitempty"`
	WithheldOpen    int             `json:"withheldOpen"`
	K               int             `json:"k,omitempty"`
	// The round's commons fund, K and users (plans with commons goods).
	Levy    *float64           `json:"levy,omitempty"`
	Fund    *float64           `json:"fund,omitempty"`
	Commons map[string]float64 `json:"commons,omitempty"`
	Users   map[string]float64 `json:"users,omitempty"`
}

// PrivacySettings is a plan's facilitation.privacy: the smallest crowd
// of councils a total is shown about, and what the facilitator sees ("all"
// or "aggregates").
type PrivacySettings struct {
	K           int    `json:"k"`
	Facilitator string `json:"facilitator"`
}

// RoundsCSVHeader is the header row of GET /api/plans/{id}/rounds.csv.
// A withheld total or gap is an empty cell, withheld is true and
// within_tolerance says whether the good is (empty where not withheld);
// standins (an extension) lists the round's stand-ins, ";"-separated.
var RoundsCSVHeader = []string{"round", "good", "price", "supply", "demand", "gap", "max_gap", "withheld", "within_tolerance", "standins"}

// Proposals answers GET /api/plans/{id}/proposals: one page, and the
// cursor of the next (absent on the last page).
type Proposals struct {
	Proposals []Proposal `json:"proposals"`
	Next      *Cursor    `json:"next,omitempty"`
}

// Cursor says where the next page starts: pass its fields back as
// ?after=…&afterRejected=… .
type Cursor struct {
	After         int64 `json:"after"`
	AfterRejected int64 `json:"afterRejected"`
}

// Proposal is one proposal with its check results.
type Proposal struct {
	Round    int             `json:"round"`
	Council  string          `json:"councilId"`
	Proposal json.RawMessage `json:"proposal,omitempty"`
	SBSC     *float64        `json:"sbsc,omitempty"`
	Cost     *float64        `json:"cost,omitempty"`
	Budget   *float64        `json:"budget,omitempty"`
	Status   string          `json:"status"`
	Source   string          `json:"source"`
	Reason   string          `json:"reason,omitempty"`
	Field    string          `json:"field,omitempty"`
	Size     int             `json:"size,omitempty"`
	ID       int64           `json:"proposalId,omitempty"`
	Seq      int64           `json:"seq,omitempty"`
	At       *time.Time      `json:"at,omitempty"`
}

// Audit answers GET /api/plans/{id}/audit: one page of events, and the
// seq to pass as ?after= for the next (absent on the last page).
type Audit struct {
	Events []Event `json:"events"`
	Next   *int64  `json:"next,omitempty"`
}

// Event is one audit event.
type Event struct {
	Seq     int64           `json:"seq"`
	At      time.Time       `json:"at"`
	Type    string          `json:"type"`
	Round   *int            `json:"round,omitempty"`
	Council string          `json:"councilId,omitempty"`
	Detail  json.RawMessage `json:"detail"`
}

// Root is one closed round in GET /api/plans/{id}/roots (a JSON array of
// them, in round order): its tree's size and root and the chain up to
// it, hashes in standard base64.
type Root struct {
	Round int    `json:"round"`
	Size  int    `json:"size"`
	Root  string `json:"root"`
	Chain string `json:"chain"`
}

// Proof answers GET /api/plans/{id}/rounds/{n}/proof: the council's own
// leaf (its data in standard base64), its index in the round's tree of
// size leaves, the RFC 6962 inclusion proof (base64 hashes) and the root.
type Proof struct {
	Round int      `json:"round"`
	Leaf  string   `json:"leaf"`
	Index int      `json:"index"`
	Size  int      `json:"size"`
	Proof []string `json:"proof"`
	Root  string   `json:"root"`
}

// ErrorResponse is every HTTP error answer.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is an error's code, message and the JSON path of the
// offending input.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// Bodies lists every HTTP body by its docs/protocol.md name, for the
// schema's tests.
var Bodies = map[string]any{
	"PlanList": PlanList{}, "PlanSummary": PlanSummary{}, "CreateExample": CreateExample{},
	"ExampleList": ExampleList{}, "ExampleInfo": ExampleInfo{}, "ExampleCouncil": ExampleCouncil{},
	"Created": Created{}, "PlanView": PlanView{}, "CloseRequest": CloseRequest{},
	"SettingsRequest": SettingsRequest{}, "SettingsChanged": SettingsChanged{}, "Rounds": Rounds{}, "RoundRow": RoundRow{},
	"PrivacySettings": PrivacySettings{}, "Root": Root{}, "Proof": Proof{}, "PrivacyRequest": PrivacyRequest{},
	"Proposals": Proposals{}, "Cursor": Cursor{}, "Proposal": Proposal{}, "Audit": Audit{}, "Event": Event{},
	"ErrorResponse": ErrorResponse{}, "ErrorBody": ErrorBody{},
	"Federations": Federations{}, "FederationView": FederationView{},
}
