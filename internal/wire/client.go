package wire

import (
	"bytes"
	"encoding/json"
	"math"

	"parecon/councils"
)

// The frame types a client may send.
const (
	TypeSubmit   = "proposal.submit"
	TypeClose    = "round.close"
	TypeSettings = "settings.update"
	TypePing     = "ping"
)

// MaxFrameBytes is the largest frame the server reads; a larger one gets a
// too_large error frame.
const MaxFrameBytes = 64 << 10

// MaxRefBytes is the longest ref a frame may carry.
const MaxRefBytes = 128

// Client is a frame a client sends: one of Submit, Close, SettingsUpdate
// and Ping.
type Client interface {
	FrameType() string
	// RefOf returns the frame's ref ("" for none).
	RefOf() string
}

// Submit is proposal.submit: a council's proposal for round.
type Submit struct {
	Ref      string          `json:"ref,omitempty"`
	Round    int             `json:"round"`
	Proposal json.RawMessage `json:"proposal"`
}

// FrameType returns "proposal.submit".
func (Submit) FrameType() string { return TypeSubmit }

// RefOf returns the ref.
func (f Submit) RefOf() string { return f.Ref }

// Close is round.close: the facilitator closes round Round, or the open
// round when Round is absent.
type Close struct {
	Ref   string `json:"ref,omitempty"`
	Round *int   `json:"round,omitempty"`
}

// FrameType returns "round.close".
func (Close) FrameType() string { return TypeClose }

// RefOf returns the ref.
func (f Close) RefOf() string { return f.Ref }

// SettingsUpdate is settings.update: the facilitator's round deadline in
// whole seconds (0 = none).
type SettingsUpdate struct {
	Ref                  string `json:"ref,omitempty"`
	RoundDeadlineSeconds int    `json:"roundDeadlineSeconds"`
}

// FrameType returns "settings.update".
func (SettingsUpdate) FrameType() string { return TypeSettings }

// RefOf returns the ref.
func (f SettingsUpdate) RefOf() string { return f.Ref }

// Ping asks for a pong.
type Ping struct {
	Ref string `json:"ref,omitempty"`
}

// FrameType returns "ping".
func (Ping) FrameType() string { return TypePing }

// RefOf returns the ref.
func (f Ping) RefOf() string { return f.Ref }

// ClientFrames lists every client frame, for the schema's tests and
// documentation.
var ClientFrames = []Client{Submit{}, Close{}, SettingsUpdate{}, Ping{}, GoodPropose{}, GoodWithdraw{}}

// rawFrame is a frame before its fields are checked.
type rawFrame struct {
	Type                 json.RawMessage `json:"type"`
	Ref                  json.RawMessage `json:"ref"`
	Round                json.RawMessage `json:"round"`
	Proposal             json.RawMessage `json:"proposal"`
	RoundDeadlineSeconds json.RawMessage `json:"roundDeadlineSeconds"`
}

// DecodeClient decodes one client frame: a JSON object with a known type
// and the fields that type needs. A bad frame returns an error (a
// *councils.Error inside, invalid or too_large, naming the field); the ref
// is returned whenever it could be read, so the error frame can carry it.
func DecodeClient(data []byte) (Client, string, error) {
	if len(data) > MaxFrameBytes {
		return nil, "", councils.Errorf(councils.TooLarge, "", "frame is larger than %d bytes", MaxFrameBytes)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, "", councils.Errorf(councils.Invalid, "", "a frame is one JSON object")
	}
	var raw rawFrame
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, "", councils.Errorf(councils.Invalid, "", "malformed JSON: %v", err)
	}
	var ref string
	if raw.Ref != nil && string(raw.Ref) != "null" {
		if err := json.Unmarshal(raw.Ref, &ref); err != nil {
			return nil, "", councils.Errorf(councils.Invalid, "ref", "ref must be a string")
		}
		if len(ref) > MaxRefBytes {
			return nil, "", councils.Errorf(councils.Invalid, "ref", "ref is longer than %d bytes", MaxRefBytes)
		}
	}
	if raw.Type == nil {
		return nil, ref, councils.Errorf(councils.Invalid, "type", "the frame has no type")
	}
	var typ string
	if err := json.Unmarshal(raw.Type, &typ); err != nil {
		return nil, ref, councils.Errorf(councils.Invalid, "type", "type must be a string")
	}
	switch typ {
	case TypePing:
		return Ping{Ref: ref}, ref, nil
	case TypeClose:
		f := Close{Ref: ref}
		if raw.Round != nil && string(raw.Round) != "null" {
			n, err := wholeNumber(raw.Round, "round")
			if err != nil {
				return nil, ref, err
			}
			f.Round = &n
		}
		return f, ref, nil
	case TypeSubmit:
		n, err := wholeNumber(raw.Round, "round")
		if err != nil {
			return nil, ref, err
		}
		if p := bytes.TrimSpace(raw.Proposal); len(p) == 0 || p[0] != '{' {
			return nil, ref, councils.Errorf(councils.Invalid, "proposal", "proposal must be an object")
		}
		return Submit{Ref: ref, Round: n, Proposal: raw.Proposal}, ref, nil
	case TypeSettings:
		n, err := wholeNumber(raw.RoundDeadlineSeconds, "roundDeadlineSeconds")
		if err != nil {
			return nil, ref, err
		}
		return SettingsUpdate{Ref: ref, RoundDeadlineSeconds: n}, ref, nil
	case TypeGoodPropose, TypeGoodWithdraw:
		f, err := decodeNewGoods(typ, data, ref)
		return f, ref, err
	default:
		return nil, ref, councils.Errorf(councils.Invalid, "type", "unknown frame type %q", typ)
	}
}

// wholeNumber reads a whole number ≥ 0 that fits in an int32.
func wholeNumber(raw json.RawMessage, field string) (int, error) {
	var x float64
	if raw == nil || json.Unmarshal(raw, &x) != nil {
		return 0, councils.Errorf(councils.Invalid, field, "%s must be a number", field)
	}
	if x < 0 || x != math.Trunc(x) || x > math.MaxInt32 {
		return 0, councils.Errorf(councils.Invalid, field, "%s must be a whole number ≥ 0", field)
	}
	return int(x), nil
}

// WholeNumber reads raw as a whole number ≥ 0 that fits in an int32, for
// the number fields of HTTP bodies; the error names field.
func WholeNumber(raw json.RawMessage, field string) (int, error) { return wholeNumber(raw, field) }
