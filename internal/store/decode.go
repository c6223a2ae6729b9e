package store

import (
	"encoding/json"
	"fmt"
)

// checkJSON returns an ErrCorrupt error naming what unless raw is valid
// JSON (or empty, when empty is allowed): rows hand JSON on as
// json.RawMessage, and a damaged one must fail here, at the read, not
// later in a marshal that assumes it is valid.
func checkJSON(what string, raw []byte, emptyOK bool) error {
	if len(raw) == 0 && emptyOK {
		return nil
	}
	if !json.Valid(raw) {
		return fmt.Errorf("%w: %s is not valid JSON", ErrCorrupt, what)
	}
	return nil
}

// DecodeJSON unmarshals stored JSON raw into v, returning an ErrCorrupt
// error naming what when it does not decode: for the callers that decode
// a row's JSON columns (a proposal's verdict, an event's detail).
func DecodeJSON(what string, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, what, err)
	}
	return nil
}
