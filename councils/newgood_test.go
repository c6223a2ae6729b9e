package councils

import (
	"encoding/json"
	"math"
	"testing"

	"parecon/planning"
)

// liveGoodBase has a human worker council (mill) that puts new goods into
// the catalogue and a human consumer council (east) that may request them.
const liveGoodBase = `{
 "name": "l", "numeraire": "labor",
 "goods": [
  {"id": "labor", "kind": "labor"},
  {"id": "land", "kind": "resource", "endowment": 500},
  {"id": "bread", "kind": "produced", "price": 2}
 ],
 "councils": [
  {"id": "bakery", "type": "worker", "output": "bread", "scale": 3, "inputs": {"labor": 0.5, "land": 0.2}},
  {"id": "mill", "type": "worker"},
  {"id": "north", "type": "consumer", "members": 100, "hours": 40, "weights": {"bread": 0.8, "land": 0.2}},
  {"id": "east", "type": "consumer", "members": 50, "hours": 40, "labor": "labor"}
 ],
 "facilitation": {"tolerance": 0.001, "max_rounds": 200}
}`

func cake(id string, proposal string) GoodProposal {
	return GoodProposal{Good: GoodSpec{ID: id}, Proposal: []byte(proposal)}
}

func TestProposeGoodChecks(t *testing.T) {
	e := mustEconomy(t, mustParse(t, liveGoodBase))
	p, err := NewProcess(e, ProcessOptions{Rule: "learning"})
	if err != nil {
		t.Fatal(err)
	}
	mill, _ := e.Council("mill")
	east, _ := e.Council("east")
	bakery, _ := e.Council("bakery")
	ok := `{"outputs": {"cake": 10}, "inputs": {"labor": 5}}`
	ng, err := p.ProposeGood(mill, 0, cake("cake", ok))
	if err != nil {
		t.Fatal(err)
	}
	// The opening price is the unit cost, 5 hours at 1 for 10 cakes.
	if ng.Price != 0.5 || ng.OpensAt != 1 || ng.Name != "cake" || ng.Unit != "unit" || !ng.Rival || ng.ProposedBy != "mill" || ng.Kind != "produced" {
		t.Errorf("accepted %+v", ng)
	}
	tests := []struct {
		name    string
		council int
		round   int
		gp      GoodProposal
		field   string
	}{
		{"existing id", mill, 0, cake("bread", `{"outputs": {"bread": 10}, "inputs": {"labor": 5}}`), "good.id"},
		{"pending id", mill, 0, cake("cake", ok), "good.id"},
		{"bad id", mill, 0, cake("Cake!", ok), "good.id"},
		{"long name", mill, 0, GoodProposal{Good: GoodSpec{ID: "pie", Name: string(make([]byte, 300))}, Proposal: []byte(`{"outputs": {"pie": 1}, "inputs": {"labor": 1}}`)}, "good.name"},
		{"does not make it", mill, 0, cake("pie", `{"outputs": {"bread": 1}, "inputs": {"labor": 1}}`), "proposal.outputs"},
		{"makes none", mill, 0, cake("pie", `{"outputs": {"pie": 0}, "inputs": {"labor": 1}}`), "proposal"},
		{"bad proposal", mill, 0, cake("pie", `{"outputs": {"pie": -1}}`), "proposal.outputs.pie"},
		{"unknown good", mill, 0, cake("pie", `{"outputs": {"pie": 1}, "inputs": {"wood": 1}}`), "proposal.inputs.wood"},
		{"price below cost", mill, 0, GoodProposal{Good: GoodSpec{ID: "pie"}, Price: 0.1, Proposal: []byte(`{"outputs": {"pie": 1}, "inputs": {"labor": 1}}`)}, "price"},
		{"price out of bounds", mill, 0, GoodProposal{Good: GoodSpec{ID: "pie"}, Price: 1e13, Proposal: []byte(`{"outputs": {"pie": 1}, "inputs": {"labor": 1}}`)}, "price"},
		{"consumer", east, 0, cake("pie", `{"outputs": {"pie": 1}, "inputs": {"labor": 1}}`), "councilId"},
		{"simulated", bakery, 0, cake("pie", `{"outputs": {"pie": 1}, "inputs": {"labor": 1}}`), "councilId"},
		{"not the open round", mill, 1, cake("pie", `{"outputs": {"pie": 1}, "inputs": {"labor": 1}}`), "round"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.ProposeGood(tc.council, tc.round, tc.gp)
			if ae := AsError(err); err == nil || ae.Field != tc.field {
				t.Errorf("got %v, want an error on %s", err, tc.field)
			}
		})
	}
	// Two more are accepted (a commons one among them); the fourth is
	// refused, and a rejected one did not count.
	if _, err := p.ProposeGood(mill, 0, cake("pie", `{"outputs": {"pie": 1}, "inputs": {"labor": 1}}`)); err != nil {
		t.Fatal(err)
	}
	f := false
	if ng, err := p.ProposeGood(mill, 0, GoodProposal{Good: GoodSpec{ID: "wiki", Rival: &f}, Price: 3, Proposal: []byte(`{"outputs": {"wiki": 1}, "inputs": {"labor": 2}}`)}); err != nil || ng.Rival || ng.Price != 3 {
		t.Fatalf("commons good: %+v, %v", ng, err)
	}
	if _, err := p.ProposeGood(mill, 0, cake("tart", `{"outputs": {"tart": 1}, "inputs": {"labor": 1}}`)); AsError(err) == nil || AsError(err).Field != "good" {
		t.Errorf("a fourth new good in a round: %v", err)
	}
	// The facilitator withdraws pie, with a reason; not an unknown good.
	if err := p.WithdrawGood("pie", ""); err == nil {
		t.Error("withdrawn without a reason")
	}
	if err := p.WithdrawGood("pie", "a duplicate of cake"); err != nil {
		t.Fatal(err)
	}
	if err := p.WithdrawGood("nope", "spam"); err == nil {
		t.Error("withdrew a good nobody proposed")
	}
	n := len(p.Plan().Goods)
	if _, err := p.Close(); err != nil {
		t.Fatal(err)
	}
	r := p.Round()
	// Round 1: cake and wiki joined (pie did not), at their opening prices;
	// mill's last accepted proposal stands, carried.
	if got := len(p.Plan().Goods); got != n+2 || len(r.Prices) != n+2 {
		t.Fatalf("round 1 has %d goods (%d prices), want %d", got, len(r.Prices), n+2)
	}
	ci, ok1 := p.Econ.Good("cake")
	wi, ok2 := p.Econ.Good("wiki")
	if _, pie := p.Econ.Good("pie"); !ok1 || !ok2 || pie {
		t.Fatalf("catalogue after round 0: %v", p.Plan().Goods)
	}
	if r.Prices[ci] != 0.5 || r.Prices[wi] != 3 || !p.Plan().Goods[wi].Commons {
		t.Errorf("opening prices %v, %v; wiki commons %v", r.Prices[ci], r.Prices[wi], p.Plan().Goods[wi].Commons)
	}
	if pr := r.Proposals[mill]; pr == nil || r.Fresh[mill] || len(pr.Out) != 1 || pr.Out[0].Good != wi {
		t.Errorf("mill's standing proposal %+v (fresh %v), want its wiki proposal", r.Proposals[mill], r.Fresh[mill])
	}
	// Earlier rounds keep one length: round 0 gets the new goods' entries.
	r0 := p.Board().Rounds()[0]
	if len(r0.Prices) != n+2 || len(r0.Supply) != n+2 || r0.Supply[ci] != 0 {
		t.Errorf("round 0 after growing: %d prices, %d supplies", len(r0.Prices), len(r0.Supply))
	}
	// east may request cake and vote fund weight to wiki now.
	if _, _, _, err := p.CheckProposal(east, 1, []byte(`{"requests": {"cake": 1}, "commons": {"share": 0.1, "weights": {"wiki": 1}}}`)); err != nil {
		t.Errorf("east's request for cake: %v", err)
	}
	if err := p.WithdrawGood("cake", "spam"); err == nil {
		t.Error("withdrew a good already in the catalogue")
	}
}

// TestProposeGoodConverges: a new good proposed in round 2 joins in round
// 3 and the plan converges with it. mill and east are played here by
// models built on the grown catalogue: mill makes cake from labour and
// land (y = 2·L^0.4·T^0.2), east spends 30% of its budget on cake.
func TestProposeGoodConverges(t *testing.T) {
	e := mustEconomy(t, mustParse(t, liveGoodBase))
	p, err := NewProcess(e, ProcessOptions{Rule: "learning"})
	if err != nil {
		t.Fatal(err)
	}
	mill, _ := e.Council("mill")
	east, _ := e.Council("east")
	var maker, eater Model
	for n := 0; n < 200; n++ {
		r := p.Round()
		switch {
		case n == 2:
			if _, err := p.ProposeGood(mill, 2, cake("cake", `{"outputs": {"cake": 10}, "inputs": {"labor": 4, "land": 1}}`)); err != nil {
				t.Fatal(err)
			}
		case n > 2:
			if maker == nil {
				g := p.Econ.goods
				maker = newCobbDouglas(g["cake"], 2, map[string]float64{"labor": 0.4, "land": 0.2}, nil, g)
				eater = newConsumer(map[string]float64{"cake": 0.3, "bread": 0.7}, 1, nil, g)
			}
			lnp := make([]float64, len(r.Prices))
			for j, x := range r.Prices {
				lnp[j] = math.Log(x)
			}
			for _, c := range []struct {
				i int
				m Model
			}{{mill, maker}, {east, eater}} {
				pr := &planning.Proposal{}
				c.m.Propose(r.Prices, lnp, r.Budgets[c.i], nil, pr)
				p.Accept(c.i, pr)
			}
		}
		cr, err := p.Close()
		if err != nil {
			t.Fatal(err)
		}
		if cr.Status == StatusConverged {
			if n <= 3 {
				t.Fatalf("converged in round %d, before cake had its market", n)
			}
			ci, _ := p.Econ.Good("cake")
			if !(cr.Closed.Supply[ci] > 0) || cr.Closed.Gap[ci] > 0.001 {
				t.Errorf("cake at the end: supply %v, gap %v", cr.Closed.Supply[ci], cr.Closed.Gap[ci])
			}
			t.Logf("converged in round %d", n)
			return
		}
		if cr.Status != StatusOpen {
			t.Fatalf("round %d: %s", n, cr.Status)
		}
	}
	t.Fatal("not converged in 200 rounds")
}

// FuzzProposeGood: whatever a worker council sends as a new good, it is
// accepted or refused with an error naming a field, never a panic, and an
// accepted one opens with the next round, whose totals are finite.
func FuzzProposeGood(f *testing.F) {
	f.Add("cake", "Cake", "kg", true, 0.0, []byte(`{"outputs": {"cake": 10}, "inputs": {"labor": 5}}`))
	f.Add("wiki", "", "", false, 3.0, []byte(`{"outputs": {"wiki": 1}, "inputs": {"labor": 2, "land": 1}}`))
	f.Add("bread", "", "", true, 0.0, []byte(`{"outputs": {"bread": 1}}`))
	f.Add("x", "", "", true, 1e-300, []byte(`{"outputs": {"x": 1e300}, "inputs": {"labor": 1e-300}}`))
	f.Add("y", "", "", true, 0.0, []byte(`{"outputs": {"y": 5e-324}, "inputs": {"labor": 1e12}}`))
	f.Fuzz(func(t *testing.T, id, name, unit string, rival bool, price float64, proposal []byte) {
		e := mustEconomy(t, mustParse(t, liveGoodBase))
		p, err := NewProcess(e, ProcessOptions{Rule: "learning"})
		if err != nil {
			t.Fatal(err)
		}
		mill, _ := e.Council("mill")
		r := !rival
		ng, err := p.ProposeGood(mill, 0, GoodProposal{Good: GoodSpec{ID: id, Name: name, Unit: unit, Rival: &r}, Price: price, Proposal: proposal})
		if err != nil {
			if ae := AsError(err); ae == nil || ae.Field == "" || ae.Message == "" {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		if !(ng.Price > 0) || math.IsInf(ng.Price, 0) {
			t.Fatalf("accepted at price %v", ng.Price)
		}
		cr, err := p.Close()
		if err != nil {
			t.Fatal(err)
		}
		if cr.Next != nil {
			if _, ok := p.Econ.Good(id); !ok {
				t.Fatalf("%q did not open", id)
			}
			if _, err := p.Close(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestCheckGoodChangesNothing: CheckGood only checks (a live plan stores
// the good before it accepts it); the JSON form of a GoodProposal, as a
// live plan would store it, gives the same good back.
func TestCheckGoodChangesNothing(t *testing.T) {
	e := mustEconomy(t, mustParse(t, liveGoodBase))
	p, err := NewProcess(e, ProcessOptions{Rule: "learning"})
	if err != nil {
		t.Fatal(err)
	}
	mill, _ := e.Council("mill")
	gp := cake("cake", `{"outputs": {"cake": 10}, "inputs": {"labor": 5}}`)
	a, err := p.CheckGood(mill, 0, gp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CheckGood(mill, 0, gp); err != nil || len(p.NewGoods()) != 0 {
		t.Fatalf("checking twice: %v, %d new goods", err, len(p.NewGoods()))
	}
	raw, err := json.Marshal(gp)
	if err != nil {
		t.Fatal(err)
	}
	var back GoodProposal
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	b, err := p.CheckGood(mill, 0, back)
	if err != nil || b.ID != a.ID || b.Price != a.Price {
		t.Fatalf("stored form %s checks to %+v, %v; want %+v", raw, b, err, a)
	}
	p.AcceptGood(a)
	if _, err := p.CheckGood(mill, 0, gp); AsError(err) == nil || AsError(err).Field != "good.id" {
		t.Errorf("after accepting, the same id: %v", err)
	}
}
