package councils

import (
	"encoding/json"
	"errors"
	"testing"

	"parecon/planning"
)

// FuzzParseProposal drives the proposal decoder and checks with arbitrary
// bytes for a worker and a consumer council: it never panics, a rejection
// names a field, and an accepted proposal passes the board's checks and
// survives its protocol form unchanged.
func FuzzParseProposal(f *testing.F) {
	for _, s := range []string{
		`{"requests":{"bread":10,"land":5}}`, `{"outputs":{"bread":10},"inputs":{"labor":5},"emissions":{"co2":1}}`,
		`{"requests":{"bread":-1}}`, `{"requests":{"bread":1e400}}`, `{}`, `[]`, `null`, `{"outputs":{"land":1}}`,
		`{"requests":{"bread":"x"}}`, `{"requests":{"co2":1}}`, `{"requests"`,
		`{"outputs":{"bread":1e308}}`, `{"outputs":{"bread":1e12},"inputs":{"labor":1e12}}`, `{"requests":{"land":1.0000000000000002e12}}`,
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	e := mixedEconomy(f)
	f.Fuzz(func(t *testing.T, data []byte, worker bool) {
		id := "north"
		if worker {
			id = "mill"
		}
		c, _ := e.Council(id)
		pr, doc, _, err := e.ParseProposal(c, data, e.Prices, 100)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || ce.Field == "" || ce.Message == "" || ce.Kind != Invalid {
				t.Fatalf("rejection without a field: %#v", err)
			}
			return
		}
		if v := planning.Check(e.Plan, c, pr, e.Prices, 100); v != nil {
			t.Fatalf("accepted a proposal that fails the checks: %v", v)
		}
		for _, l := range append(append([]planning.Line(nil), pr.Out...), pr.In...) {
			if l.Qty > MaxQuantity {
				t.Fatalf("accepted a quantity %v above MaxQuantity", l.Qty)
			}
		}
		b, _ := json.Marshal(doc)
		pr2, _, _, err := e.ParseProposal(c, b, e.Prices, 100)
		if err != nil {
			t.Fatalf("its own form %s is rejected: %v", b, err)
		}
		if len(pr2.In) != len(pr.In) || len(pr2.Out) != len(pr.Out) {
			t.Fatalf("round trip changed %+v into %+v", pr, pr2)
		}
		for i := range pr.In {
			if pr.In[i] != pr2.In[i] {
				t.Fatalf("round trip changed %+v into %+v", pr.In, pr2.In)
			}
		}
	})
}
