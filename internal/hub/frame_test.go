package hub

import (
	"strings"
	"testing"

	"parecon/councils"
)

func TestDecodeFrame(t *testing.T) {
	tests := []struct {
		name, in  string
		kind      councils.ErrorKind
		field     string
		wantType  string
		wantRef   string
		wantRound int
	}{
		{"ping", `{"type":"ping","ref":"r1"}`, "", "", TypePing, "r1", 0},
		{"submit", `{"type":"proposal.submit","ref":"x","round":2,"proposal":{"requests":{"a":1}}}`, "", "", TypeSubmit, "x", 2},
		{"close", `{"type":"round.close","ref":"c"}`, "", "", TypeClose, "c", 0},
		{"settings", `{"type":"settings.update","roundDeadlineSeconds":15}`, "", "", TypeSettings, "", 0},
		{"not json", `hello`, councils.Invalid, "", "", "", 0},
		{"array", `[1,2]`, councils.Invalid, "", "", "", 0},
		{"truncated", `{"type":"ping"`, councils.Invalid, "", "", "", 0},
		{"no type", `{"ref":"a"}`, councils.Invalid, "type", "", "a", 0},
		{"unknown type", `{"type":"round.open","ref":"a"}`, councils.Invalid, "type", "", "a", 0},
		{"type not string", `{"type":7}`, councils.Invalid, "type", "", "", 0},
		{"ref not string", `{"type":"ping","ref":5}`, councils.Invalid, "ref", "", "", 0},
		{"submit without round", `{"type":"proposal.submit","proposal":{}}`, councils.Invalid, "round", "", "", 0},
		{"submit negative round", `{"type":"proposal.submit","round":-1,"proposal":{}}`, councils.Invalid, "round", "", "", 0},
		{"submit fractional round", `{"type":"proposal.submit","round":1.5,"proposal":{}}`, councils.Invalid, "round", "", "", 0},
		{"submit proposal not object", `{"type":"proposal.submit","round":1,"proposal":[1]}`, councils.Invalid, "proposal", "", "", 0},
		{"settings negative", `{"type":"settings.update","roundDeadlineSeconds":-3}`, councils.Invalid, "roundDeadlineSeconds", "", "", 0},
		{"too large", `{"type":"ping","ref":"` + strings.Repeat("a", MaxFrameBytes) + `"}`, councils.TooLarge, "", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := DecodeFrame([]byte(tt.in))
			if tt.kind != "" {
				if err == nil {
					t.Fatalf("accepted %s as %+v", tt.in, f)
				}
				if err.Kind != tt.kind || err.Field != tt.field {
					t.Fatalf("error %s/%q, want %s/%q (%s)", err.Kind, err.Field, tt.kind, tt.field, err.Message)
				}
				if f.Ref != tt.wantRef {
					t.Fatalf("ref %q, want %q", f.Ref, tt.wantRef)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Type != tt.wantType || f.Ref != tt.wantRef || f.Round != tt.wantRound {
				t.Fatalf("got %+v", f)
			}
		})
	}
}
