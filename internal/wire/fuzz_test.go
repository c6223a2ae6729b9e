package wire

import (
	"encoding/json"
	"math"
	"testing"
	"unicode/utf8"

	"parecon/councils"
)

func nan() float64           { return math.NaN() }
func inf(s int) float64      { return math.Inf(s) }
func ptr(x float64) *float64 { return &x }

// FuzzDecodeClient drives the client-frame decoder with arbitrary bytes:
// it never panics; an error is a *councils.Error with a kind and a
// message; a frame it accepts survives a round trip through EncodeClient.
func FuzzDecodeClient(f *testing.F) {
	for _, s := range []string{
		`{"type":"ping","ref":"1"}`,
		`{"type":"proposal.submit","ref":"a","round":3,"proposal":{"requests":{"bread":2}}}`,
		`{"type":"round.close"}`, `{"type":"round.close","round":4}`,
		`{"type":"settings.update","roundDeadlineSeconds":30}`,
		`{"type":"nope"}`, `[]`, `{"type":1}`, `{"ref":{}}`, `not json`, ``,
		`{"type":"proposal.submit","round":-1,"proposal":{}}`,
		`{"type":"proposal.submit","round":1e300,"proposal":{}}`,
		`{"type":"round.close","round":-0}`, "{\"type\":\"ping\",\"ref\":\"\xff\"}",
		`{"type":"good.propose","ref":"g","good":{"id":"cake","name":"Cake","rival":false},"price":2,"proposal":{"outputs":{"cake":1}}}`,
		`{"type":"good.propose","good":{"id":null},"price":-1,"proposal":[]}`,
		`{"type":"good.withdraw","good":"cake","reason":"spam"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, ref, err := DecodeClient(data)
		if err != nil {
			e := councils.AsError(err)
			if e.Message == "" || e.Kind == "" || e.Kind == councils.Internal {
				t.Fatalf("error without kind or message: %#v", e)
			}
			return
		}
		if fr.RefOf() != ref {
			t.Fatalf("ref %q returned, %q in the frame", ref, fr.RefOf())
		}
		switch x := fr.(type) {
		case Submit:
			if !json.Valid(x.Proposal) || x.Round < 0 {
				t.Fatalf("accepted a bad submit: %+v", x)
			}
		case Close:
			if x.Round != nil && *x.Round < 0 {
				t.Fatalf("accepted a negative round: %d", *x.Round)
			}
		case SettingsUpdate:
			if x.RoundDeadlineSeconds < 0 {
				t.Fatalf("accepted a negative deadline: %d", x.RoundDeadlineSeconds)
			}
		case Ping:
		case GoodPropose:
			if !json.Valid(x.Proposal) || x.Good.ID == "" || (x.Price != nil && !(*x.Price > 0)) {
				t.Fatalf("accepted a bad good.propose: %+v", x)
			}
		case GoodWithdraw:
			if x.Good == "" || x.Reason == "" || len(x.Reason) > MaxReasonBytes {
				t.Fatalf("accepted a bad good.withdraw: %+v", x)
			}
		default:
			t.Fatalf("decoded an unknown frame %T", fr)
		}
		out, err := EncodeClient(fr)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", fr, err)
		}
		again, ref2, err := DecodeClient(out)
		if err != nil {
			t.Fatalf("round trip: %s → %v", out, err)
		}
		out2, _ := EncodeClient(again)
		if string(out) != string(out2) || (utf8.ValidString(ref) && ref2 != ref) {
			t.Fatalf("round trip changed the frame: %s → %s", out, out2)
		}
	})
}

// FuzzEncode drives the server-frame encoders with adversarial values:
// non-finite numbers, invalid UTF-8, control characters and raw JSON that
// is not JSON. Encode never panics; what it returns is valid JSON with the
// frame's type first and decodes back to the same numbers and strings
// (strings with invalid UTF-8 come back with U+FFFD, as encoding/json
// writes them).
func FuzzEncode(f *testing.F) {
	f.Add("bread", "reason", 1.5, -2.0, int64(3), []byte(`{"requests":{}}`))
	f.Add("\xff\x00<>&", "\u2028", math.MaxFloat64, math.SmallestNonzeroFloat64, int64(-1), []byte(`not json`))
	f.Add("", "", 0.0, -0.0, int64(math.MaxInt64), []byte(nil))
	f.Fuzz(func(t *testing.T, good, text string, x, y float64, n int64, raw []byte) {
		m := map[string]float64{good: x, good + "2": y}
		pm := map[string]*float64{good: &x, good + "2": nil}
		frames := []Server{
			RoundClosed{Ref: text, Round: int(n), Prices: m, Supply: pm, Demand: pm, Gaps: pm, MaxGap: &y, Submitted: []string{text}, Carried: []string{good}, Reason: text,
				Withheld: []string{good + "2.supply"}, WithinTolerance: map[string]bool{good + "2": true}, WithheldOpen: int(n), K: 3},
			RoundOpened{Round: int(n), Prices: m, Budget: &y},
			ProposalAccepted{Ref: text, ProposalID: n, SBSC: &x, Cost: &y},
			ProposalRejected{Ref: text, Reason: text, Field: good},
			ProposalReceived{CouncilID: good, Proposal: raw, SBSC: &x},
			Error{Ref: text, Code: good, Message: text},
			PlanStopped{Round: int(n), Reason: text},
		}
		finite := !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0)
		for _, fr := range frames {
			b, err := Encode(fr)
			if err != nil {
				if _, isRecv := fr.(ProposalReceived); isRecv && raw != nil && !json.Valid(raw) {
					continue // raw JSON that is not JSON is refused
				}
				if finite {
					t.Fatalf("%s: %v", fr.FrameType(), err)
				}
				continue
			}
			var back map[string]any
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("%s encoded as invalid JSON %q: %v", fr.FrameType(), b, err)
			}
			if back["type"] != fr.FrameType() {
				t.Fatalf("%s came back as type %v", fr.FrameType(), back["type"])
			}
			if rc, ok := fr.(RoundClosed); ok {
				var got RoundClosed
				json.Unmarshal(b, &got)
				if got.MaxGap == nil || *got.MaxGap != *rc.MaxGap || got.Round != rc.Round || utf8.ValidString(good) && got.Prices[good] != x {
					t.Fatalf("round.closed changed in a round trip: %+v → %s", rc, b)
				}
				if utf8.ValidString(text) && got.Reason != text {
					t.Fatalf("reason %q came back as %q", text, got.Reason)
				}
			}
		}
	})
}
