package wire

import (
	"bytes"
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

// WithBudget returns opened, a round.opened frame as Encode wrote it with
// no budget, with budget added: the frame Encode writes with Budget set,
// the budget first, without encoding the prices again (a close writes one
// for every consumer council).
func WithBudget(opened []byte, budget float64) ([]byte, error) {
	const head = `{"type":"round.opened",`
	if !bytes.HasPrefix(opened, []byte(head)) || bytes.Contains(opened, []byte(`"budget":`)) {
		return nil, fmt.Errorf("wire: WithBudget of a frame that is not a round.opened without a budget")
	}
	num, err := json.Marshal(budget)
	if err != nil {
		return nil, fmt.Errorf("wire: encoding round.opened: %w", err)
	}
	out := make([]byte, 0, len(opened)+len(num)+10)
	out = append(out, head...)
	out = append(out, `"budget":`...)
	out = append(out, num...)
	out = append(out, ',')
	return append(out, opened[len(head):]...), nil
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
