package proof

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/gowebpki/jcs"
)

// SaltSize is the bytes of random salt in every leaf.
const SaltSize = 32

// Leaf is what a leaf's data says: whose proposal, in which round, its
// salt (standard base64 with padding) and the proposal as counted.
type Leaf struct {
	Council  string          `json:"council"`
	Round    int             `json:"round"`
	Salt     string          `json:"salt"`
	Proposal json.RawMessage `json:"proposal"`
}

// NewSalt returns SaltSize random bytes.
func NewSalt() []byte {
	b := make([]byte, SaltSize)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return b
}

// LeafData returns the leaf's data: the RFC 8785 canonical JSON of
// {"council", "round", "salt", "proposal"}. proposal must be JSON.
func LeafData(council string, round int, salt []byte, proposal []byte) ([]byte, error) {
	b, err := json.Marshal(Leaf{Council: council, Round: round, Salt: base64.StdEncoding.EncodeToString(salt), Proposal: proposal})
	if err != nil {
		return nil, err
	}
	return jcs.Transform(b)
}

// ParseLeaf decodes a leaf's data and checks that it is exactly the
// canonical leaf (as LeafData writes it) of the four fields it holds, with
// a salt of SaltSize bytes.
func ParseLeaf(data []byte) (Leaf, error) {
	var l Leaf
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return l, fmt.Errorf("the leaf is not a leaf's JSON: %w", err)
	}
	s, err := base64.StdEncoding.DecodeString(l.Salt)
	if err != nil || len(s) != SaltSize {
		return l, fmt.Errorf("the leaf's salt is not %d bytes of standard base64", SaltSize)
	}
	want, err := LeafData(l.Council, l.Round, s, l.Proposal)
	if err != nil {
		return l, fmt.Errorf("the leaf's proposal is not JSON: %w", err)
	}
	if !bytes.Equal(want, data) {
		return l, fmt.Errorf("the leaf is not in RFC 8785 canonical form")
	}
	return l, nil
}

// SameJSON reports whether a and b are the same JSON value (compared in
// canonical form).
func SameJSON(a, b []byte) bool {
	ca, err1 := jcs.Transform(a)
	cb, err2 := jcs.Transform(b)
	return err1 == nil && err2 == nil && string(ca) == string(cb)
}
