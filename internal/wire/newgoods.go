package wire

import (
	"bytes"
	"encoding/json"

	"parecon/councils"
)

// New goods (docs/spec/protocol.md version 2, good.propose and
// good.withdraw; docs/new-goods.md).

// The new goods' client frame types.
const (
	TypeGoodPropose  = "good.propose"
	TypeGoodWithdraw = "good.withdraw"
)

// NewGoodSpec is the good a good.propose frame puts into the catalogue.
type NewGoodSpec struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Unit  string `json:"unit,omitempty"`
	Rival *bool  `json:"rival,omitempty"`
}

// GoodPropose is good.propose: a worker council's new good with its
// opening price (absent: its unit cost) and its proposal to make it, for
// the open round.
type GoodPropose struct {
	Ref      string          `json:"ref,omitempty"`
	Good     NewGoodSpec     `json:"good"`
	Price    *float64        `json:"price,omitempty"`
	Proposal json.RawMessage `json:"proposal"`
}

// FrameType returns "good.propose".
func (GoodPropose) FrameType() string { return TypeGoodPropose }

// RefOf returns the ref.
func (f GoodPropose) RefOf() string { return f.Ref }

// GoodWithdraw is good.withdraw: the facilitator withdraws a pending new
// good, with the reason.
type GoodWithdraw struct {
	Ref    string `json:"ref,omitempty"`
	Good   string `json:"good"`
	Reason string `json:"reason"`
}

// FrameType returns "good.withdraw".
func (GoodWithdraw) FrameType() string { return TypeGoodWithdraw }

// RefOf returns the ref.
func (f GoodWithdraw) RefOf() string { return f.Ref }

// NewGood is a new good as the server announces it.
type NewGood struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Unit       string  `json:"unit"`
	Rival      bool    `json:"rival"`
	Kind       string  `json:"kind"`
	Price      float64 `json:"price"`
	ProposedBy string  `json:"proposedBy"`
}

// GoodAccepted answers an accepted good.propose, once it is stored.
type GoodAccepted struct {
	Ref     string  `json:"ref,omitempty"`
	Good    NewGood `json:"good"`
	OpensAt int     `json:"opensAt"`
}

// FrameType returns "good.accepted".
func (GoodAccepted) FrameType() string { return "good.accepted" }

// GoodRejected answers a good.propose that failed its checks.
type GoodRejected struct {
	Ref    string `json:"ref,omitempty"`
	Reason string `json:"reason"`
	Field  string `json:"field,omitempty"`
}

// FrameType returns "good.rejected".
func (GoodRejected) FrameType() string { return "good.rejected" }

// GoodWithdrawn answers the facilitator's good.withdraw.
type GoodWithdrawn struct {
	Ref  string `json:"ref,omitempty"`
	Good string `json:"good"`
}

// FrameType returns "good.withdrawn".
func (GoodWithdrawn) FrameType() string { return "good.withdrawn" }

// newGoodFrame holds the fields of the new goods' frames before they are
// checked.
type newGoodFrame struct {
	Good     json.RawMessage `json:"good"`
	Price    json.RawMessage `json:"price"`
	Proposal json.RawMessage `json:"proposal"`
	Reason   json.RawMessage `json:"reason"`
}

// decodeNewGoods decodes a good.propose or good.withdraw frame (typ),
// naming the field of what is wrong.
func decodeNewGoods(typ string, data []byte, ref string) (Client, error) {
	var raw newGoodFrame
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, councils.Errorf(councils.Invalid, "", "malformed JSON: %v", err)
	}
	if typ == TypeGoodWithdraw {
		f := GoodWithdraw{Ref: ref}
		if raw.Good == nil || json.Unmarshal(raw.Good, &f.Good) != nil || f.Good == "" {
			return nil, councils.Errorf(councils.Invalid, "good", "good must be the id of a good")
		}
		if raw.Reason == nil || json.Unmarshal(raw.Reason, &f.Reason) != nil || f.Reason == "" {
			return nil, councils.Errorf(councils.Invalid, "reason", "reason must be a string saying why")
		}
		if len(f.Reason) > MaxReasonBytes {
			return nil, councils.Errorf(councils.Invalid, "reason", "reason is longer than %d bytes", MaxReasonBytes)
		}
		return f, nil
	}
	f := GoodPropose{Ref: ref}
	if g := bytes.TrimSpace(raw.Good); len(g) == 0 || g[0] != '{' {
		return nil, councils.Errorf(councils.Invalid, "good", "good must be an object")
	}
	var g struct {
		ID, Name, Unit json.RawMessage
		Rival          json.RawMessage
	}
	if err := json.Unmarshal(raw.Good, &g); err != nil {
		return nil, councils.Errorf(councils.Invalid, "good", "good must be an object")
	}
	for _, s := range []struct {
		raw   json.RawMessage
		dst   *string
		field string
	}{{g.ID, &f.Good.ID, "good.id"}, {g.Name, &f.Good.Name, "good.name"}, {g.Unit, &f.Good.Unit, "good.unit"}} {
		if s.raw != nil && string(s.raw) != "null" && json.Unmarshal(s.raw, s.dst) != nil {
			return nil, councils.Errorf(councils.Invalid, s.field, "%s must be a string", s.field)
		}
	}
	if f.Good.ID == "" {
		return nil, councils.Errorf(councils.Invalid, "good.id", "a new good needs an id")
	}
	if g.Rival != nil && string(g.Rival) != "null" {
		var b bool
		if json.Unmarshal(g.Rival, &b) != nil {
			return nil, councils.Errorf(councils.Invalid, "good.rival", "good.rival must be true or false")
		}
		f.Good.Rival = &b
	}
	if raw.Price != nil && string(raw.Price) != "null" {
		var x float64
		if json.Unmarshal(raw.Price, &x) != nil || !(x > 0) {
			return nil, councils.Errorf(councils.Invalid, "price", "price must be a positive number")
		}
		f.Price = &x
	}
	if p := bytes.TrimSpace(raw.Proposal); len(p) == 0 || p[0] != '{' {
		return nil, councils.Errorf(councils.Invalid, "proposal", "proposal must be an object")
	}
	f.Proposal = raw.Proposal
	return f, nil
}

// MaxReasonBytes is the longest reason a good.withdraw may give.
const MaxReasonBytes = 1000
