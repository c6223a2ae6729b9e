package hub

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeFrame drives the frame decoder with arbitrary bytes: it never
// panics, and a frame it accepts has a known type and the fields that type
// needs, and survives a round trip through JSON.
func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{
		`{"type":"ping","ref":"1"}`,
		`{"type":"proposal.submit","ref":"a","round":3,"proposal":{"requests":{"bread":2}}}`,
		`{"type":"round.close"}`,
		`{"type":"settings.update","roundDeadlineSeconds":30}`,
		`{"type":"nope"}`, `[]`, `{"type":1}`, `{"ref":{}}`, `not json`, ``,
		`{"type":"proposal.submit","round":-1,"proposal":{}}`,
		`{"type":"proposal.submit","round":1e300,"proposal":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := DecodeFrame(data)
		if err != nil {
			if err.Message == "" || err.Kind == "" {
				t.Fatalf("error without kind or message: %#v", err)
			}
			return
		}
		switch fr.Type {
		case TypePing, TypeClose, TypeSettings:
		case TypeSubmit:
			if !json.Valid(fr.Proposal) || fr.Proposal[0] != '{' && fr.Proposal[0] > ' ' {
				t.Fatalf("accepted a submit whose proposal is not an object: %q", fr.Proposal)
			}
		default:
			t.Fatalf("accepted unknown type %q", fr.Type)
		}
		if fr.Round < 0 || fr.RoundDeadlineSeconds < 0 {
			t.Fatalf("negative number accepted: %+v", fr)
		}
		out, _ := json.Marshal(map[string]any{"type": fr.Type, "ref": fr.Ref, "round": fr.Round, "proposal": fr.Proposal, "roundDeadlineSeconds": fr.RoundDeadlineSeconds})
		if fr.Proposal == nil {
			out, _ = json.Marshal(map[string]any{"type": fr.Type, "ref": fr.Ref, "round": fr.Round, "roundDeadlineSeconds": fr.RoundDeadlineSeconds})
		}
		fr2, err := DecodeFrame(out)
		if err != nil || fr2.Type != fr.Type || fr2.Ref != fr.Ref || fr2.Round != fr.Round || fr2.RoundDeadlineSeconds != fr.RoundDeadlineSeconds {
			t.Fatalf("round trip changed the frame: %+v → %s → %+v, %v", fr, out, fr2, err)
		}
	})
}
