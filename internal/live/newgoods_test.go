package live

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/store"
	"parecon/internal/wire"
)

// newGoodsPlan has a human worker council (mill) that adds goods and a
// human consumer council (east).
var newGoodsPlan = []byte(`{"name":"ng","numeraire":"labor","goods":[{"id":"labor","kind":"labor"},{"id":"land","kind":"resource","endowment":500},{"id":"bread","kind":"produced","price":2}],
"councils":[{"id":"bakery","type":"worker","output":"bread","scale":3,"inputs":{"labor":0.5,"land":0.2}},{"id":"mill","type":"worker"},
{"id":"north","type":"consumer","members":100,"hours":40,"weights":{"bread":0.8,"land":0.2}},{"id":"east","type":"consumer","members":50,"hours":40}],
"facilitation":{"max_rounds":200}}`)

// TestNewGoodsLive: good.propose is checked, stored before it is
// acknowledged, in the audit log; a fourth in a round, a duplicate and a
// consumer's are refused; the facilitator withdraws one with a reason; the
// next round has the rest in its catalogue, at their opening prices, and a
// server that restarts on the same database (as after SIGKILL: nothing
// but what was committed) replays them to the same catalogue and prices.
func TestNewGoodsLive(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() (*Service, *store.Store, *hub.Hub) {
		st, err := store.Open(ctx, filepath.Join(dir, "p.db"))
		if err != nil {
			t.Fatal(err)
		}
		h := hub.New(hub.Options{})
		go h.Run()
		return New(st, h, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})), Options{}), st, h
	}
	s, st, h := open()
	p := create(t, s, newGoodsPlan)
	mill, east := p.council("mill"), p.council("east")
	cl := s.hub.NewClient(nil, p.ID, RoleCouncil, "mill")
	propose := func(who Principal, id, ref string, price *float64, body string) error {
		return s.ProposeGood(ctx, who, cl, wire.GoodPropose{Ref: ref, Good: wire.NewGoodSpec{ID: id}, Price: price, Proposal: []byte(body)})
	}
	three := 3.0
	for _, g := range []struct {
		id    string
		price *float64
	}{{"cake", nil}, {"pie", nil}, {"tart", &three}} {
		if err := propose(mill, g.id, "r-"+g.id, g.price, `{"outputs":{"`+g.id+`":10},"inputs":{"labor":5}}`); err != nil {
			t.Fatal(err)
		}
	}
	if err := propose(mill, "scone", "r-scone", nil, `{"outputs":{"scone":10},"inputs":{"labor":5}}`); err != nil {
		t.Fatal(err) // answered with good.rejected, not an error frame
	}
	if err := propose(east, "jam", "", nil, `{"outputs":{"jam":1},"inputs":{"labor":1}}`); kind(err) != councils.Forbidden {
		t.Errorf("a consumer council's good.propose: %v, want forbidden", err)
	}
	if err := s.WithdrawGood(ctx, mill, cl, wire.GoodWithdraw{Good: "pie", Reason: "spam"}); kind(err) != councils.Forbidden {
		t.Errorf("a council's good.withdraw: %v, want forbidden", err)
	}
	if err := s.WithdrawGood(ctx, p.fac, cl, wire.GoodWithdraw{Good: "pie", Reason: "a duplicate of cake"}); err != nil {
		t.Fatal(err)
	}
	evs, err := st.EventsOfType(ctx, p.ID, evGoodAccepted, evGoodRejected, evGoodWithdrawn)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range evs {
		types = append(types, ev.Type)
	}
	if want := []string{"good.accepted", "good.accepted", "good.accepted", "good.rejected", "good.withdrawn"}; len(types) != len(want) {
		t.Fatalf("audit %v, want %v", types, want)
	}
	if err := s.CloseRound(ctx, p.fac, p.ID, nil, nil, ""); err != nil {
		t.Fatal(err)
	}
	v := view(t, s, p)
	if v.Round != 1 || v.Prices["cake"] != 0.5 || v.Prices["tart"] != 3 {
		t.Fatalf("round %d prices %v: want cake at its unit cost 0.5, tart at 3", v.Round, v.Prices)
	}
	if _, ok := v.Prices["pie"]; ok {
		t.Errorf("the withdrawn pie is in the catalogue")
	}
	goods := map[string]bool{}
	for _, g := range v.Goods {
		goods[g.ID] = true
	}
	if !goods["cake"] || !goods["tart"] || goods["pie"] {
		t.Errorf("catalogue %v", v.Goods)
	}
	// east may request cake now; the ref already accepted gets its answer
	// again without a second good.
	if err := s.Submit(ctx, east, cl, wire.Submit{Round: 1, Proposal: []byte(`{"requests":{"cake":1,"bread":1}}`)}); err != nil {
		t.Fatal(err)
	}
	before := view(t, s, p)
	// Restart on the same database.
	s.Close()
	h.Shutdown(time.Second)
	st.Close()
	s, st, h = open()
	defer func() { s.Close(); h.Shutdown(time.Second); st.Close() }()
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	after := view(t, s, p)
	if after.Round != before.Round || len(after.Goods) != len(before.Goods) {
		t.Fatalf("after a restart: round %d, %d goods; before: round %d, %d goods", after.Round, len(after.Goods), before.Round, len(before.Goods))
	}
	for g, x := range before.Prices {
		if after.Prices[g] != x {
			t.Errorf("after a restart, %s's price %v, was %v", g, after.Prices[g], x)
		}
	}
	if err := s.CloseRound(ctx, p.fac, p.ID, nil, nil, ""); err != nil {
		t.Fatal(err)
	}
	if v := view(t, s, p); v.Round != 2 || v.Prices["cake"] == 0 {
		t.Errorf("after the restart the plan went on to round %d with prices %v", v.Round, v.Prices)
	}
}

// TestNewGoodsOnlyWhereTheEngineRuns: a server that follows another's
// engine (several servers) refuses good.propose and good.withdraw as
// unavailable, naming the field, rather than store a good the leader's
// engine would never see.
func TestNewGoodsOnlyWhereTheEngineRuns(t *testing.T) {
	ctx := context.Background()
	s, _ := testService(t)
	p := create(t, s, newGoodsPlan)
	pl, err := s.lookup(p.fac, p.ID, OpRead)
	if err != nil {
		t.Fatal(err)
	}
	if err := pl.call(ctx, func() { pl.cl.follower = true }); err != nil {
		t.Fatal(err)
	}
	cl := s.hub.NewClient(nil, p.ID, RoleCouncil, "mill")
	err = s.ProposeGood(ctx, p.council("mill"), cl, wire.GoodPropose{Ref: "a", Good: wire.NewGoodSpec{ID: "cake"}, Proposal: []byte(`{"outputs":{"cake":10},"inputs":{"labor":5}}`)})
	if e := councils.AsError(err); e.Kind != councils.Unavailable || e.Field != "good" {
		t.Errorf("good.propose on a follower: %v, want unavailable about good", err)
	}
	err = s.WithdrawGood(ctx, p.fac, cl, wire.GoodWithdraw{Good: "cake", Reason: "spam"})
	if e := councils.AsError(err); e.Kind != councils.Unavailable || e.Field != "good" {
		t.Errorf("good.withdraw on a follower: %v, want unavailable about good", err)
	}
}
