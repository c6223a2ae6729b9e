package councils

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
)

// FuzzCommonsProposal drives a consumer council's proposal with commons
// votes and uses: it never panics, a rejection names a field, and an
// accepted vote is a share in [0, 1) with weights over commons goods that
// sum to 1, surviving its protocol form unchanged.
func FuzzCommonsProposal(f *testing.F) {
	for _, s := range []string{
		`{"requests":{"bread":1},"commons":{"share":0.1,"weights":{"design":0.5,"code":0.5}},"uses":{"design":3}}`,
		`{"commons":{"share":0.99999}}`, `{"commons":{"share":1e-400}}`, `{"commons":{}}`, `{"commons":null}`,
		`{"commons":{"share":0.1,"weights":{"design":1e308,"code":-1e308}}}`, `{"uses":{"code":1e400}}`,
		`{"commons":{"share":0.1,"weights":{}}}`, `{"commons":[0.1]}`, `{"uses":{"design":"many"}}`,
	} {
		f.Add([]byte(s))
	}
	sc := mustParse(f, commonsBase)
	sc.Councils[3].Weights, sc.Councils[3].CommonsShare = nil, nil
	e := mustEconomy(f, sc)
	f.Fuzz(func(t *testing.T, data []byte) {
		pr, doc, _, err := e.ParseProposal(3, data, e.Prices, 1000)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || ce.Field == "" || ce.Message == "" || ce.Kind != Invalid {
				t.Fatalf("rejection without a field: %#v", err)
			}
			return
		}
		if v := pr.Vote; v != nil {
			if !(v.Share >= 0 && v.Share < 1) {
				t.Fatalf("accepted share %v", v.Share)
			}
			if v.Weights != nil {
				sum := 0.0
				for _, l := range v.Weights {
					if !e.Plan.Goods[l.Good].Commons || l.Qty < 0 {
						t.Fatalf("accepted weight %+v", l)
					}
					sum += l.Qty
				}
				if math.Abs(sum-1) > WeightSlack {
					t.Fatalf("accepted weights summing to %v", sum)
				}
			}
		}
		for _, l := range pr.Uses {
			if !e.Plan.Goods[l.Good].Commons || !(l.Qty >= 0 && l.Qty <= MaxQuantity) {
				t.Fatalf("accepted use %+v", l)
			}
		}
		b, _ := json.Marshal(doc)
		pr2, _, _, err := e.ParseProposal(3, b, e.Prices, 1000)
		if err != nil {
			t.Fatalf("its own form %s is rejected: %v", b, err)
		}
		if (pr.Vote == nil) != (pr2.Vote == nil) || (pr.Vote != nil && pr.Vote.Share != pr2.Vote.Share) || len(pr.Uses) != len(pr2.Uses) {
			t.Fatalf("round trip changed %+v into %+v", pr, pr2)
		}
	})
}
