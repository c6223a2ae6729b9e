package wire

import (
	"encoding/json"
	"fmt"
	"time"
)

// Encode returns f as one JSON text frame, "type" first. It fails (never
// panics) on a value JSON cannot carry, such as a NaN or an infinity.
func Encode(f Server) ([]byte, error) { return encode(f.FrameType(), f) }

// EncodeClient returns a client frame as JSON text, "type" first (for
// clients written in Go: the load test, the tests).
func EncodeClient(f Client) ([]byte, error) { return encode(f.FrameType(), f) }

func encode(frameType string, f any) ([]byte, error) {
	body, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("wire: encoding %s: %w", frameType, err)
	}
	typ, _ := json.Marshal(frameType)
	out := make([]byte, 0, len(body)+len(typ)+10)
	out = append(out, `{"type":`...)
	out = append(out, typ...)
	if len(body) > 2 { // not "{}"
		out = append(out, ',')
		out = append(out, body[1:]...)
	} else {
		out = append(out, '}')
	}
	return out, nil
}

// Time returns t in UTC for a deadline field, or nil (JSON null) for the
// zero time.
func Time(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
