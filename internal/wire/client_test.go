package wire

import (
	"strings"
	"testing"

	"parecon/councils"
)

func TestDecodeClient(t *testing.T) {
	two, no, price2 := 2, false, 2.0
	tests := []struct {
		name, in string
		kind     councils.ErrorKind
		field    string
		want     Client
		wantRef  string
	}{
		{"ping", `{"type":"ping","ref":"r1"}`, "", "", Ping{Ref: "r1"}, "r1"},
		{"submit", `{"type":"proposal.submit","ref":"x","round":2,"proposal":{"requests":{"a":1}}}`, "", "", Submit{Ref: "x", Round: 2, Proposal: []byte(`{"requests":{"a":1}}`)}, "x"},
		{"close", `{"type":"round.close","ref":"c"}`, "", "", Close{Ref: "c"}, "c"},
		{"close a round", `{"type":"round.close","ref":"c","round":2}`, "", "", Close{Ref: "c", Round: &two}, "c"},
		{"close null round", `{"type":"round.close","round":null}`, "", "", Close{}, ""},
		{"settings", `{"type":"settings.update","roundDeadlineSeconds":15}`, "", "", SettingsUpdate{RoundDeadlineSeconds: 15}, ""},
		{"not json", `hello`, councils.Invalid, "", nil, ""},
		{"array", `[1,2]`, councils.Invalid, "", nil, ""},
		{"truncated", `{"type":"ping"`, councils.Invalid, "", nil, ""},
		{"no type", `{"ref":"a"}`, councils.Invalid, "type", nil, "a"},
		{"unknown type", `{"type":"round.open","ref":"a"}`, councils.Invalid, "type", nil, "a"},
		{"type not string", `{"type":7}`, councils.Invalid, "type", nil, ""},
		{"ref not string", `{"type":"ping","ref":5}`, councils.Invalid, "ref", nil, ""},
		{"ref too long", `{"type":"ping","ref":"` + strings.Repeat("r", MaxRefBytes+1) + `"}`, councils.Invalid, "ref", nil, ""},
		{"submit without round", `{"type":"proposal.submit","proposal":{}}`, councils.Invalid, "round", nil, ""},
		{"submit negative round", `{"type":"proposal.submit","round":-1,"proposal":{}}`, councils.Invalid, "round", nil, ""},
		{"submit fractional round", `{"type":"proposal.submit","round":1.5,"proposal":{}}`, councils.Invalid, "round", nil, ""},
		{"submit huge round", `{"type":"proposal.submit","round":1e300,"proposal":{}}`, councils.Invalid, "round", nil, ""},
		{"submit proposal not object", `{"type":"proposal.submit","round":1,"proposal":[1]}`, councils.Invalid, "proposal", nil, ""},
		{"close round not a number", `{"type":"round.close","ref":"k","round":"3"}`, councils.Invalid, "round", nil, "k"},
		{"settings negative", `{"type":"settings.update","roundDeadlineSeconds":-3}`, councils.Invalid, "roundDeadlineSeconds", nil, ""},
		{"good.propose", `{"type":"good.propose","ref":"g","good":{"id":"cake","unit":"kg","rival":false},"price":2,"proposal":{"outputs":{"cake":1}}}`, "", "",
			GoodPropose{Ref: "g", Good: NewGoodSpec{ID: "cake", Unit: "kg", Rival: &no}, Price: &price2, Proposal: []byte(`{"outputs":{"cake":1}}`)}, "g"},
		{"good.propose defaults", `{"type":"good.propose","good":{"id":"cake"},"proposal":{}}`, "", "", GoodPropose{Good: NewGoodSpec{ID: "cake"}, Proposal: []byte(`{}`)}, ""},
		{"good.propose no good", `{"type":"good.propose","proposal":{}}`, councils.Invalid, "good", nil, ""},
		{"good.propose no id", `{"type":"good.propose","good":{"name":"Cake"},"proposal":{}}`, councils.Invalid, "good.id", nil, ""},
		{"good.propose id not string", `{"type":"good.propose","good":{"id":3},"proposal":{}}`, councils.Invalid, "good.id", nil, ""},
		{"good.propose rival not bool", `{"type":"good.propose","good":{"id":"a","rival":"no"},"proposal":{}}`, councils.Invalid, "good.rival", nil, ""},
		{"good.propose price zero", `{"type":"good.propose","good":{"id":"a"},"price":0,"proposal":{}}`, councils.Invalid, "price", nil, ""},
		{"good.propose no proposal", `{"type":"good.propose","good":{"id":"a"}}`, councils.Invalid, "proposal", nil, ""},
		{"good.withdraw", `{"type":"good.withdraw","ref":"w","good":"cake","reason":"spam"}`, "", "", GoodWithdraw{Ref: "w", Good: "cake", Reason: "spam"}, "w"},
		{"good.withdraw no reason", `{"type":"good.withdraw","good":"cake"}`, councils.Invalid, "reason", nil, ""},
		{"good.withdraw no good", `{"type":"good.withdraw","reason":"spam"}`, councils.Invalid, "good", nil, ""},
		{"too large", `{"type":"ping","ref":"` + strings.Repeat("a", MaxFrameBytes) + `"}`, councils.TooLarge, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ref, err := DecodeClient([]byte(tt.in))
			if ref != tt.wantRef {
				t.Fatalf("ref %q, want %q", ref, tt.wantRef)
			}
			if tt.kind != "" {
				e := councils.AsError(err)
				if e == nil {
					t.Fatalf("accepted %s as %+v", tt.in, f)
				}
				if e.Kind != tt.kind || e.Field != tt.field {
					t.Fatalf("error %s/%q, want %s/%q (%s)", e.Kind, e.Field, tt.kind, tt.field, e.Message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := EncodeClient(f)
			want, _ := EncodeClient(tt.want)
			if string(got) != string(want) {
				t.Fatalf("got %s, want %s", got, want)
			}
		})
	}
}

// TestEncodeTypeFirst: every frame is one object with its type first, and
// a value JSON cannot carry is an error, not a panic.
func TestEncodeTypeFirst(t *testing.T) {
	for _, f := range ServerFrames {
		b, err := Encode(f)
		if err != nil {
			t.Fatalf("%s: %v", f.FrameType(), err)
		}
		if want := `{"type":"` + f.FrameType() + `"`; !strings.HasPrefix(string(b), want) {
			t.Fatalf("%s encodes as %s", f.FrameType(), b)
		}
	}
	if b, err := Encode(Pong{}); err != nil || string(b) != `{"type":"pong"}` {
		t.Fatalf("empty pong: %s %v", b, err)
	}
	for _, bad := range []Server{
		RoundClosed{Prices: map[string]float64{"bread": nan()}},
		RoundOpened{Prices: map[string]float64{"bread": inf(1)}},
		ProposalAccepted{SBSC: ptr(nan())},
	} {
		if b, err := Encode(bad); err == nil {
			t.Fatalf("%s with a non-finite number encoded as %s", bad.FrameType(), b)
		}
	}
}
