package councils

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"parecon/planning"
)

// fixed is a model that always proposes the same.
type fixed planning.Proposal

func (f *fixed) Lines() (int, int) { return len(f.Out), len(f.In) }

func (f *fixed) Propose(_, _ []float64, _ float64, _, dst *planning.Proposal) {
	dst.Out = append(dst.Out[:0], f.Out...)
	dst.In = append(dst.In[:0], f.In...)
}

// personPlan has goods 0 (produced), 1 and 2 (labour, a resource), a
// worker council 0 and a consumer council 1.
var personPlan = &planning.Plan{
	Goods:    []planning.Good{{ID: "out", Kind: planning.Produced}, {ID: "lab", Kind: planning.Labor}, {ID: "land", Kind: planning.Resource}},
	Councils: []planning.Council{{ID: "w", Role: planning.Worker}, {ID: "c", Role: planning.Consumer}},
}

func lns(q ...float64) []planning.Line {
	var ls []planning.Line
	for i := 0; i < len(q); i += 2 {
		ls = append(ls, planning.Line{Good: int(q[i]), Qty: q[i+1]})
	}
	return ls
}

// TestPersonBehaviours checks adjust and round_to, one edge case each,
// against quantities worked out by hand.
func TestPersonBehaviours(t *testing.T) {
	ones := []float64{1, 1, 1}
	tests := []struct {
		name    string
		council int
		answer  planning.Proposal // the model's x*
		prev    *planning.Proposal
		adjust  float64
		roundTo int
		prices  []float64
		budget  float64
		want    planning.Proposal
	}{
		{"first round is x*", 0, planning.Proposal{Out: lns(0, 4), In: lns(1, 2)}, nil, 0.5, 0, ones, 0,
			planning.Proposal{Out: lns(0, 4), In: lns(1, 2)}},
		{"worker halfway", 0, planning.Proposal{Out: lns(0, 4), In: lns(1, 2)}, &planning.Proposal{Out: lns(0, 2), In: lns(1, 1)}, 0.5, 0, ones, 0,
			planning.Proposal{Out: lns(0, 3), In: lns(1, 1.5)}},
		{"a good only in the last proposal", 1, planning.Proposal{In: lns(0, 4)}, &planning.Proposal{In: lns(0, 2, 2, 4)}, 0.25, 0, ones, 10,
			planning.Proposal{In: lns(0, 2.5, 2, 3)}},
		// At the new prices the last proposal is a loss (0.4·2 < 2), and
		// so is the halfway point (0.4·3 < 1.5): it is replaced by x*.
		{"worker SB/SC below 1 takes x*", 0, planning.Proposal{Out: lns(0, 4), In: lns(1, 1)}, &planning.Proposal{Out: lns(0, 2), In: lns(1, 2)}, 0.5, 0, []float64{0.4, 1, 1}, 0,
			planning.Proposal{Out: lns(0, 4), In: lns(1, 1)}},
		// Halfway from 10 land to 2 costs 6·2 = 12 > 8: scaled to 8.
		{"consumer over budget scaled down", 1, planning.Proposal{In: lns(2, 2, 0, 4)}, &planning.Proposal{In: lns(2, 10, 0, 0)}, 0.5, 0, []float64{1, 1, 2}, 8,
			planning.Proposal{In: lns(2, 6*8.0/14, 0, 2*8.0/14)}},
		{"consumer rounds down", 1, planning.Proposal{In: lns(0, 1.2345, 2, 0.06789)}, nil, 0, 2, ones, 10,
			planning.Proposal{In: lns(0, 1.2, 2, 0.067)}},
		{"worker rounds outputs down, inputs up", 0, planning.Proposal{Out: lns(0, 9.87), In: lns(1, 1.234, 2, 0)}, nil, 0, 2, ones, 0,
			planning.Proposal{Out: lns(0, 9.8), In: lns(1, 1.3, 2, 0)}},
		// Down and up: 1 for 2 fails; outputs up: 2 for 2 passes.
		{"worker rounds outputs up to pass", 0, planning.Proposal{Out: lns(0, 1.54), In: lns(1, 1.46)}, nil, 0, 1, ones, 0,
			planning.Proposal{Out: lns(0, 2), In: lns(1, 2)}},
		// Outputs up to 3 cannot pay for inputs up to 2 + 2: unrounded.
		{"worker unrounded when rounding cannot pass", 0, planning.Proposal{Out: lns(0, 2.5), In: lns(1, 1.2, 2, 1.2)}, nil, 0, 1, ones, 0,
			planning.Proposal{Out: lns(0, 2.5), In: lns(1, 1.2, 2, 1.2)}},
		{"adjust then round", 1, planning.Proposal{In: lns(0, 3)}, &planning.Proposal{In: lns(0, 1)}, 0.3, 2, ones, 10,
			planning.Proposal{In: lns(0, 1.6)}},
	}
	for _, tc := range tests {
		model := fixed(tc.answer)
		m := NewPerson(personPlan, tc.council, &model, tc.adjust, tc.roundTo)
		got := propose(m, tc.prices, tc.budget, tc.prev)
		if !sameQty(got, &tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
		if v := planning.Check(personPlan, tc.council, got, tc.prices, tc.budget); v != nil {
			t.Errorf("%s: the proposal fails the board's check: %s", tc.name, v.Reason)
		}
	}
}

// sameQty compares proposals line by line, quantities within 1e-15.
func sameQty(a, b *planning.Proposal) bool {
	if len(a.Out) != len(b.Out) || len(a.In) != len(b.In) {
		return false
	}
	for _, s := range [][2][]planning.Line{{a.Out, b.Out}, {a.In, b.In}} {
		for i := range s[0] {
			if s[0][i].Good != s[1][i].Good || math.Abs(s[0][i].Qty-s[1][i].Qty) > 1e-15*math.Abs(s[1][i].Qty) {
				return false
			}
		}
	}
	return true
}

// sigFigs returns how many significant figures the shortest decimal that
// reads back as x has.
func sigFigs(x float64) int {
	s := strconv.FormatFloat(x, 'e', -1, 64)
	return len(strings.TrimRight(strings.Replace(s[:strings.IndexByte(s, 'e')], ".", "", 1), "0"))
}
