package wire

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

// TestWithBudget: a round.opened frame with a budget spliced in decodes
// to the frame Encode writes with that budget, for budgets of every size;
// a budget JSON cannot carry and a frame of another type are refused.
func TestWithBudget(t *testing.T) {
	due := time.Date(2026, 12, 2, 5, 0, 0, 0, time.UTC)
	levy := 0.25
	for _, f := range []RoundOpened{
		{Round: 3, Prices: map[string]float64{"bread": 1.5, "labor": 1, "co2": 0.000123}},
		{Round: 0, Prices: map[string]float64{"b": 2}, Deadline: &due, Levy: &levy, Commons: map[string]float64{"code": 12},
			NewGoods: []NewGood{{ID: "n", Name: "N"}}, WithdrawnGoods: []string{"w"}},
	} {
		common, err := Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []float64{0, 1, 0.1, 123456.789, 1e21, 1e-7, 4.9e-324, math.MaxFloat64} {
			got, err := WithBudget(common, b)
			if err != nil {
				t.Fatal(err)
			}
			want := f
			want.Budget = &b
			var g, w RoundOpened
			wb, _ := Encode(want)
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatalf("%s: %v", got, err)
			}
			json.Unmarshal(wb, &w)
			if !reflect.DeepEqual(g, w) || len(got) != len(wb) {
				t.Errorf("WithBudget(%g) = %s, want %s", b, got, wb)
			}
			if typ, _ := frameTypeOf(got); typ != "round.opened" {
				t.Errorf("%s: type %q", got, typ)
			}
		}
		if _, err := WithBudget(common, math.Inf(1)); err == nil {
			t.Error("an infinite budget was encoded")
		}
		withB, _ := WithBudget(common, 1)
		if _, err := WithBudget(withB, 2); err == nil {
			t.Error("a second budget was added")
		}
	}
	other, _ := Encode(RoundSubmitted{Round: 1, CouncilID: "c"})
	if _, err := WithBudget(other, 1); err == nil {
		t.Error("a budget was added to round.submitted")
	}
}

// frameTypeOf reads a frame's type.
func frameTypeOf(b []byte) (string, error) {
	var v struct{ Type string }
	err := json.Unmarshal(b, &v)
	return v.Type, err
}
