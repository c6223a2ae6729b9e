package councils

import (
	"encoding/json"
	"math"

	"parecon/planning"
)

// New goods in a live plan (docs/new-goods.md; docs/spec/protocol.md,
// good.propose): a worker council puts a good into the catalogue with its
// proposal to make it. Nobody approves it; it joins when the next round
// opens. The Process checks it (ProposeGood), keeps it pending, and grows
// the catalogue as that round opens (openNewGoods); the facilitator may
// withdraw a pending good (WithdrawGood). Live plans, their replay and
// tests all go through these, so they cannot disagree.

// MaxNewGoodsPerRound is how many new goods one council may put into the
// catalogue in one round (docs/spec/protocol.md).
const MaxNewGoodsPerRound = 3

// GoodProposal is a worker council's new good: the good (ID, Name, Unit,
// Rival; Kind is always produced), its opening price (0: the proposer's
// unit cost) and its proposal to make it, raw JSON as a proposal frame
// carries it. Its JSON form is the good.propose frame's fields, so that a
// live plan can store it as it came and replay it.
type GoodProposal struct {
	Good     GoodSpec        `json:"good"`
	Price    float64         `json:"price,omitempty"`
	Proposal json.RawMessage `json:"proposal"`
}

// NewGood is an accepted new good, as the protocol announces it.
type NewGood struct {
	ID, Name, Unit string
	Rival          bool
	Kind           string
	Price          float64
	// ProposedBy is the proposer's council id; Proposer its index.
	ProposedBy string
	Proposer   int
	// OpensAt is the round in which the good joins the catalogue.
	OpensAt int
	// doc is the proposer's proposal, which stands when the good opens
	// (kept by good id: the catalogue it opens in may differ from the one
	// it was checked in by a withdrawn good).
	doc *ProposalDoc
	// acceptedIn is the round it was accepted in.
	acceptedIn int
}

// ProposeGood is CheckGood then AcceptGood: council c's new good, checked
// and, if it passes, accepted.
func (l *Process) ProposeGood(c, round int, gp GoodProposal) (NewGood, error) {
	ng, err := l.CheckGood(c, round, gp)
	if err != nil {
		return NewGood{}, err
	}
	l.AcceptGood(ng)
	return ng, nil
}

// AcceptGood records ng, which CheckGood returned for the open round: it
// joins the catalogue when the next round opens. A live plan calls it once
// the good is stored (and must count the new goods it has checked but not
// yet accepted against MaxNewGoodsPerRound and against duplicate ids).
func (l *Process) AcceptGood(ng NewGood) { l.newGoods = append(l.newGoods, ng) }

// NewGoods returns the goods accepted so far, in the order accepted: the
// pending ones (OpensAt the open round + 1) and those already in the
// catalogue.
func (l *Process) NewGoods() []NewGood { return append([]NewGood(nil), l.newGoods...) }

// CheckGood checks council c's new good for round (the open round) and
// returns it as it will be announced, changing nothing: once accepted
// (AcceptGood) it joins the catalogue when the next round opens, with the
// proposal as c's standing proposal. The checks: the plan
// is open, round is the open round, c is a human worker council; the id is
// an id and no good's (in the catalogue or pending); name and unit are not
// too long; the price, if given, is within the bounds of a scenario's;
// the proposal is a valid worker proposal that makes the good, whose SB/SC
// is ≥ 1 at the open round's prices and the opening price (the same 1e-9
// slack as a budget); c has had fewer than MaxNewGoodsPerRound new goods
// accepted in this round. Errors name the field: good.id, good.name,
// good.unit, price, proposal, proposal.outputs, good.
func (l *Process) CheckGood(c, round int, gp GoodProposal) (NewGood, error) {
	r := l.board.Current()
	switch {
	case l.status != StatusOpen:
		return NewGood{}, Errorf(Conflict, "round", "the plan is %s: no round is open", l.status)
	case round != r.Number:
		return NewGood{}, Errorf(Conflict, "round", "round %d is not open; round %d is", round, r.Number)
	case c < 0 || c >= len(l.human) || !l.human[c]:
		return NewGood{}, Errorf(Forbidden, "councilId", "only a council played by people proposes a new good")
	case l.plan.Councils[c].Role != planning.Worker:
		return NewGood{}, Errorf(Forbidden, "councilId", "only a worker council makes a new good")
	}
	n := 0
	for _, g := range l.newGoods {
		if g.Proposer == c && g.acceptedIn == r.Number {
			n++
		}
	}
	if n >= MaxNewGoodsPerRound {
		return NewGood{}, Errorf(Invalid, "good", "council %q has put %d new goods into the catalogue in round %d, the most a council may in a round", l.plan.Councils[c].ID, n, r.Number)
	}
	g := gp.Good
	g.Kind = planning.Produced.String()
	w := &walker{}
	w.id("good.id", g.ID)
	w.name("good.name", g.Name)
	w.name("good.unit", g.Unit)
	if len(w.probs) > 0 {
		return NewGood{}, Errorf(Invalid, w.probs[0].Path, "%s", w.probs[0].Message)
	}
	if _, dup := l.Econ.Good(g.ID); dup {
		return NewGood{}, Errorf(Invalid, "good.id", "%q is already a good of the plan", g.ID)
	}
	if len(l.plan.Goods)+len(l.pending()) >= MaxGoods {
		return NewGood{}, Errorf(Invalid, "good", "the catalogue has %d goods, the most a plan has", MaxGoods)
	}
	if gp.Price != 0 && !(gp.Price >= MinPrice && gp.Price <= MaxPrice) {
		return NewGood{}, Errorf(Invalid, "price", "%v is outside [%g, %g]", gp.Price, float64(MinPrice), float64(MaxPrice))
	}
	for _, p := range l.pending() {
		if p.ID == g.ID {
			return NewGood{}, Errorf(Invalid, "good.id", "%q is already proposed; it opens in round %d", g.ID, p.OpensAt)
		}
	}
	g.Price, g.Stock, g.Appears = 1, 0, 0
	e, err := l.grown(append(l.pendingSpecs(), g))
	if err != nil {
		return NewGood{}, Errorf(Invalid, "good", "%v", err)
	}
	j := len(e.Plan.Goods) - 1
	// The proposal is checked at the round's prices and a price for the
	// new good high enough to pass, then at its opening price.
	prices := append(append([]float64(nil), r.Prices...), make([]float64, len(e.Plan.Goods)-len(r.Prices))...)
	for k := len(r.Prices); k < len(prices); k++ {
		prices[k] = l.openingPrice(k, e)
	}
	prices[j] = MaxPrice
	pr, doc, _, err := e.ParseProposal(c, gp.Proposal, prices, 0)
	if err != nil {
		ae := AsError(err)
		if ae.Field == "" || ae.Field == "proposal" {
			ae.Field = "proposal"
		} else {
			ae.Field = "proposal." + ae.Field
		}
		return NewGood{}, ae
	}
	y := 0.0
	for _, ln := range pr.Out {
		if ln.Good == j {
			y += ln.Qty
		}
	}
	if !(y > 0) {
		return NewGood{}, Errorf(Invalid, "proposal.outputs", "the proposal does not make %q: its outputs need %s > 0", g.ID, g.ID)
	}
	cost, other := 0.0, 0.0
	for _, ln := range pr.In {
		cost += prices[ln.Good] * ln.Qty
	}
	for _, ln := range pr.Out {
		if ln.Good != j {
			other += prices[ln.Good] * ln.Qty
		}
	}
	price := gp.Price
	if price == 0 {
		price = math.Max((cost-other)/y, MinPrice)
	}
	if sb := other + price*y; sb < cost*(1-1e-9) {
		return NewGood{}, Errorf(Invalid, "price", "SB/SC is %.6g, below 1, at the opening price %v: the proposal's outputs are worth %.6g and cost %.6g", sb/cost, price, sb, cost)
	}
	ng := NewGood{ID: g.ID, Name: g.Name, Unit: g.Unit, Rival: !g.IsCommons(), Kind: g.Kind, Price: price,
		ProposedBy: l.plan.Councils[c].ID, Proposer: c, OpensAt: r.Number + 1, doc: doc, acceptedIn: r.Number}
	if ng.Name == "" {
		ng.Name = ng.ID
	}
	if ng.Unit == "" {
		ng.Unit = "unit"
	}
	return ng, nil
}

// WithdrawGood withdraws the pending new good id (the facilitator's, as
// abuse: spam, a duplicate): it will not open, and its proposer's proposal
// does not stand. A good already in the catalogue is not withdrawn: the
// councils' standing proposals name it. The reason is the caller's to
// record.
func (l *Process) WithdrawGood(id, reason string) error {
	k, err := l.withdrawable(id, reason)
	if err != nil {
		return err
	}
	l.newGoods = append(l.newGoods[:k], l.newGoods[k+1:]...)
	l.withdrawn = append(l.withdrawn, withdrawal{id, l.board.Current().Number})
	return nil
}

// CheckWithdraw reports whether WithdrawGood(id, reason) would withdraw
// a good, changing nothing (a live plan stores the withdrawal first).
func (l *Process) CheckWithdraw(id, reason string) error {
	_, err := l.withdrawable(id, reason)
	return err
}

// withdrawable returns the index in newGoods of the pending good id.
func (l *Process) withdrawable(id, reason string) (int, error) {
	if l.status != StatusOpen {
		return 0, Errorf(Conflict, "round", "the plan is %s: no round is open", l.status)
	}
	if reason == "" {
		return 0, Errorf(Invalid, "reason", "a withdrawal gives its reason")
	}
	for k, g := range l.newGoods {
		if g.ID != id {
			continue
		}
		if g.OpensAt <= l.board.Current().Number {
			return 0, Errorf(Conflict, "good", "%q joined the catalogue in round %d; only a pending new good can be withdrawn", id, g.OpensAt)
		}
		return k, nil
	}
	return 0, Errorf(NotFound, "good", "no pending new good %q", id)
}

// withdrawal is a new good withdrawn in a round.
type withdrawal struct {
	ID    string
	Round int
}

// Withdrawn returns the ids of the new goods withdrawn so far.
func (l *Process) Withdrawn() []string {
	ids := make([]string, len(l.withdrawn))
	for i, w := range l.withdrawn {
		ids[i] = w.ID
	}
	return ids
}

// WithdrawnIn returns the ids of the new goods withdrawn in round r.
func (l *Process) WithdrawnIn(r int) []string {
	var ids []string
	for _, w := range l.withdrawn {
		if w.Round == r {
			ids = append(ids, w.ID)
		}
	}
	return ids
}

// pending returns the accepted new goods that have not opened.
func (l *Process) pending() []NewGood {
	var p []NewGood
	for _, g := range l.newGoods {
		if g.OpensAt > l.board.Current().Number {
			p = append(p, g)
		}
	}
	return p
}

// pendingSpecs returns the pending new goods as a scenario's goods.
func (l *Process) pendingSpecs() []GoodSpec {
	var specs []GoodSpec
	for _, g := range l.pending() {
		specs = append(specs, goodSpecOf(g))
	}
	return specs
}

func goodSpecOf(g NewGood) GoodSpec {
	s := GoodSpec{ID: g.ID, Name: g.Name, Unit: g.Unit, Kind: g.Kind, Price: 1}
	if !g.Rival {
		f := false
		s.Rival = &f
	}
	return s
}

// grown compiles the plan's scenario with goods appended to its catalogue.
func (l *Process) grown(goods []GoodSpec) (*Economy, error) {
	sc := *l.Econ.Scenario
	sc.Goods = append(append([]GoodSpec(nil), sc.Goods...), goods...)
	return NewEconomy(&sc)
}

// openingPrice returns the opening price of pending new good k of e (its
// index in e's catalogue).
func (l *Process) openingPrice(k int, e *Economy) float64 {
	id := e.Plan.Goods[k].ID
	for _, g := range l.newGoods {
		if g.ID == id {
			return g.Price
		}
	}
	return 1
}

// openNewGoods grows the catalogue by the new goods that open in round
// next, before it opens at prices (the rule's, for the old catalogue): it
// returns the prices with the new goods' opening prices appended, and
// the proposals that stand for their proposers (the last accepted per
// council), to install once the round is open.
func (l *Process) openNewGoods(next int, prices []float64) ([]float64, map[int]*planning.Proposal, error) {
	var opening []NewGood
	for _, g := range l.newGoods {
		if g.OpensAt == next {
			opening = append(opening, g)
		}
	}
	if len(opening) == 0 {
		return prices, nil, nil
	}
	specs := make([]GoodSpec, len(opening))
	open := make([]float64, len(opening))
	for k, g := range opening {
		specs[k] = goodSpecOf(g)
		open[k] = g.Price
	}
	e, err := l.grown(specs)
	if err != nil {
		return nil, nil, err
	}
	stand := map[int]*planning.Proposal{}
	for _, g := range opening {
		// A proposal that names a good withdrawn since does not stand.
		if pr, err := e.ProposalFromDoc(g.Proposer, g.doc); err == nil {
			stand[g.Proposer] = pr
		}
	}
	tol := l.plan.Tolerance
	l.Econ = e
	l.plan = *e.Plan
	l.plan.Tolerance = tol
	if err := l.board.Grow(&l.plan, open); err != nil {
		return nil, nil, err
	}
	// A new catalogue is a new economy to the rule: a fresh one learns it
	// from the rounds to come (its history keeps one length: Grow).
	rule, _, err := e.settings(l.ruleOpt, l.stepOpt, l.maxRounds)
	if err != nil {
		return nil, nil, err
	}
	l.rule = rule
	l.lnp = make([]float64, logsLen(&l.plan))
	stubborn := l.sim.stubborn
	l.sim = newSimulator(l.simModels(next), &l.plan)
	l.sim.stubborn = stubborn
	return append(append([]float64(nil), prices...), open...), stand, nil
}
