package hub

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

// Frame is one decoded client frame.
type Frame struct {
	Type string
	Ref  string
	// Round and Proposal are set for proposal.submit.
	Round    int
	Proposal json.RawMessage
	// RoundDeadlineSeconds is set for settings.update.
	RoundDeadlineSeconds int
}

// rawFrame is a frame before its fields are checked.
type rawFrame struct {
	Type                 json.RawMessage `json:"type"`
	Ref                  json.RawMessage `json:"ref"`
	Round                json.RawMessage `json:"round"`
	Proposal             json.RawMessage `json:"proposal"`
	RoundDeadlineSeconds json.RawMessage `json:"roundDeadlineSeconds"`
}

// DecodeFrame decodes one client frame: a JSON object with a known type
// and the fields that type needs. A bad frame returns an invalid Error
// naming the field; the Ref is returned whenever it could be read, so the
// error frame can carry it.
func DecodeFrame(data []byte) (Frame, *councils.Error) {
	var f Frame
	if len(data) > MaxFrameBytes {
		return f, councils.Errorf(councils.TooLarge, "", "frame is larger than %d bytes", MaxFrameBytes)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return f, councils.Errorf(councils.Invalid, "", "a frame is one JSON object")
	}
	var raw rawFrame
	if err := json.Unmarshal(data, &raw); err != nil {
		return f, councils.Errorf(councils.Invalid, "", "malformed JSON: %v", err)
	}
	if raw.Ref != nil && string(raw.Ref) != "null" {
		if err := json.Unmarshal(raw.Ref, &f.Ref); err != nil {
			return f, councils.Errorf(councils.Invalid, "ref", "ref must be a string")
		}
		if len(f.Ref) > 128 {
			f.Ref = ""
			return f, councils.Errorf(councils.Invalid, "ref", "ref is longer than 128 bytes")
		}
	}
	if raw.Type == nil {
		return f, councils.Errorf(councils.Invalid, "type", "the frame has no type")
	}
	if err := json.Unmarshal(raw.Type, &f.Type); err != nil {
		return f, councils.Errorf(councils.Invalid, "type", "type must be a string")
	}
	switch f.Type {
	case TypePing, TypeClose:
	case TypeSubmit:
		n, err := wholeNumber(raw.Round, "round")
		if err != nil {
			return f, err
		}
		f.Round = n
		if p := bytes.TrimSpace(raw.Proposal); len(p) == 0 || p[0] != '{' {
			return f, councils.Errorf(councils.Invalid, "proposal", "proposal must be an object")
		}
		f.Proposal = raw.Proposal
	case TypeSettings:
		n, err := wholeNumber(raw.RoundDeadlineSeconds, "roundDeadlineSeconds")
		if err != nil {
			return f, err
		}
		f.RoundDeadlineSeconds = n
	default:
		return f, councils.Errorf(councils.Invalid, "type", "unknown frame type %q", f.Type)
	}
	return f, nil
}

// wholeNumber reads a whole number ≥ 0 that fits in an int32.
func wholeNumber(raw json.RawMessage, field string) (int, *councils.Error) {
	var x float64
	if raw == nil || json.Unmarshal(raw, &x) != nil {
		return 0, councils.Errorf(councils.Invalid, field, "%s must be a number", field)
	}
	if x < 0 || x != math.Trunc(x) || x > math.MaxInt32 {
		return 0, councils.Errorf(councils.Invalid, field, "%s must be a whole number ≥ 0", field)
	}
	return int(x), nil
}
