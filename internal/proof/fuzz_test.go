package proof

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// FuzzParseLeaf: a leaf from a server (parecon verify reads them) never
// panics the parser, and one it takes is exactly the canonical leaf of
// what it says.
func FuzzParseLeaf(f *testing.F) {
	good, _ := LeafData("h0", 3, bytes.Repeat([]byte{1}, SaltSize), []byte(`{"requests":{"bread":2.5}}`))
	f.Add(good)
	f.Add([]byte(`{"council":"h0","proposal":{},"round":0,"salt":"AAAA"}`))
	f.Add([]byte(`{"council":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLeaf(data)
		if err != nil {
			return
		}
		salt, err := base64.StdEncoding.DecodeString(l.Salt)
		if err != nil || len(salt) != SaltSize {
			t.Fatalf("took a bad salt %q", l.Salt)
		}
		again, err := LeafData(l.Council, l.Round, salt, l.Proposal)
		if err != nil {
			t.Fatalf("%s parsed but does not encode: %v", data, err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("%s parsed as %+v, which encodes as %s", data, l, again)
		}
	})
}
