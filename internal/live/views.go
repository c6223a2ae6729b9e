package live

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"parecon/councils"
	"parecon/internal/wire"
	"parecon/planning"
)

// SnapshotCouncilsMax is the most councils a snapshot lists in
// plan.councils; a larger plan's snapshots leave the list out (GET
// /api/plans/{id} always has it), so that thousands of connections do not
// each carry thousands of entries.
const SnapshotCouncilsMax = 1000

func (p *plan) goods() []wire.Good {
	out := make([]wire.Good, len(p.econ.Scenario.Goods))
	for i, g := range p.econ.Scenario.Goods {
		out[i] = wire.Good{ID: g.ID, Name: g.Name, Unit: g.Unit, Kind: g.Kind, ProposedBy: p.proposedBy[g.ID]}
		if g.IsCommons() {
			rival, stock := false, g.Stock
			out[i].Rival, out[i].Stock = &rival, &stock
		}
	}
	return out
}

// councilViews lists the board's proposers: the scenario's councils, then
// the federations with collective consumption (type "federation").
func (p *plan) councilViews() []wire.Council {
	out := make([]wire.Council, len(p.econ.Plan.Councils))
	for i, c := range p.econ.Scenario.Councils {
		out[i] = wire.Council{ID: c.ID, Type: c.Type, Human: p.human[i]}
	}
	for i := len(p.econ.Scenario.Councils); i < len(out); i++ {
		out[i] = wire.Council{ID: p.econ.Plan.Councils[i].ID, Type: RoleFederation, Human: p.human[i]}
	}
	return out
}

// ownCouncil returns a council or federation token's council, or nil.
func (p *plan) ownCouncil(who Principal) *wire.OwnCouncil {
	c, ok := p.proposer(who)
	if !ok {
		return nil
	}
	if f, ok := p.econ.FederationOf(c); ok {
		return &wire.OwnCouncil{ID: who.Council, Type: RoleFederation, Name: p.econ.Federations[f].Name}
	}
	cs := p.econ.Scenario.Councils[c]
	return &wire.OwnCouncil{ID: cs.ID, Type: cs.Type, Output: cs.Output}
}

// budget returns a consumer council or federation token's budget in
// round r, or nil.
func (p *plan) budget(who Principal, r *roundData) *float64 {
	if c, ok := p.proposer(who); ok && p.econ.Plan.Councils[c].Role == planning.Consumer {
		b := r.budgets[c]
		return &b
	}
	return nil
}

// snapshot returns the snapshot frame for who (plan goroutine; during a
// close, of the frozen round).
func (p *plan) snapshot(who Principal) wire.Snapshot {
	r := p.round()
	status := "open"
	if r.closed {
		status = "closed"
	}
	sp := wire.SnapshotPlan{ID: p.id, Name: p.name, Status: string(p.status), Reason: p.reason,
		Numeraire: p.econ.Plan.Goods[p.econ.Plan.Numeraire].ID, Goods: p.goods(), Tolerance: p.tolerance,
		Rule: p.rule, RoundDeadlineSeconds: int(p.deadline / time.Second), Council: p.ownCouncil(who)}
	if len(p.econ.Plan.Councils) <= SnapshotCouncilsMax {
		sp.Councils = p.councilViews()
	}
	sr := wire.SnapshotRound{Number: r.number, Status: status, Prices: p.econ.PriceMap(r.prices),
		Budget: p.budget(who, r), Submitted: r.submitted, Deadline: wire.Time(p.due)}
	sr.Levy, sr.Fund, sr.Commons = commonsView(p.econ, r.levy, r.fund, r.k)
	if who.Proposer() {
		if c, ok := p.proposer(who); ok {
			if pr := r.proposals[c]; pr != nil {
				v := p.econ.Verdict(c, pr, r.prices, r.budgets[c])
				sr.Own = &wire.OwnProposal{Proposal: councils.MarshalDoc(p.econ.Doc(c, pr)), Fresh: r.fresh[c], StandIn: p.byModel[c], SBSC: v.SBSC, Cost: v.Cost, Budget: v.Budget}
			}
		}
	}
	sr.StandIns = p.standIns(r)
	if len(sr.StandIns) == 0 {
		sr.StandIns = nil
	}
	snap := wire.Snapshot{Role: who.Role, CouncilID: who.Council, Plan: sp, Round: sr}
	if rows := p.rows(who); len(rows) > 0 {
		rr := rows[len(rows)-1]
		snap.LastRound = &wire.LastRound{Round: rr.Round, Supply: rr.Supply, Demand: rr.Demand, Gaps: rr.Gaps, MaxGap: rr.MaxGap,
			Withheld: rr.Withheld, WithinTolerance: rr.WithinTolerance, WithheldOpen: rr.WithheldOpen, K: rr.K,
			Levy: rr.Levy, Fund: rr.Fund, Commons: rr.Commons, Users: rr.Users}
	}
	return snap
}

// rows returns the closed rounds as who may see them: in full for a
// facilitator who sees all, else as the public does (plan goroutine).
func (p *plan) rows(who Principal) []wire.RoundRow {
	rows := p.public
	if who.Role == RoleFacilitator && p.priv.facilitatorSeesAll() {
		rows = p.results
	}
	return rows[:len(rows):len(rows)]
}

// standIns returns the councils whose fresh proposal in round r a stand-in
// made: those of its stored row once it has closed (the ended plan's last
// round), else none (stand-ins answer only as a round closes).
func (p *plan) standIns(r *roundData) []string {
	if n := len(p.results); r.closed && n > 0 && p.results[n-1].Round == r.number {
		return p.results[n-1].StandIns
	}
	return []string{}
}

// view returns GET /api/plans/{id} for who (plan goroutine).
func (p *plan) view(who Principal) wire.PlanView {
	r := p.round()
	v := wire.PlanView{ID: p.id, Name: p.name, Status: string(p.status), Reason: p.reason, Round: r.number,
		Prices: p.econ.PriceMap(r.prices), Numeraire: p.econ.Plan.Goods[p.econ.Plan.Numeraire].ID,
		Tolerance: p.tolerance, Rule: p.rule, Goods: p.goods(), Councils: p.councilViews(),
		RoundDeadlineSeconds: int(p.deadline / time.Second), Deadline: wire.Time(p.due), Submitted: r.submitted,
		CreatedAt: p.created, Council: p.ownCouncil(who), Budget: p.budget(who, r), StandIns: p.standIns(r),
		Privacy: wire.PrivacySettings{K: p.priv.set.K, Facilitator: p.priv.set.Facilitator}}
	if who.Proposer() {
		v.CouncilID = who.Council
	}
	if rows := p.rows(who); len(rows) > 0 {
		rr := rows[len(rows)-1]
		v.LastRound, v.MaxGap = &rr.Round, rr.MaxGap
		v.Supply, v.Demand, v.Gaps = rr.Supply, rr.Demand, rr.Gaps
		v.Withheld, v.WithinTolerance, v.WithheldOpen = rr.Withheld, rr.WithinTolerance, rr.WithheldOpen
	}
	return v
}

// Check returns the error GET /api/plans/{id} would give who, without
// building the answer: the websocket upgrade asks it of every connection.
func (s *Service) Check(who Principal, id string) error {
	_, err := s.lookup(who, id, OpRead)
	return err
}

// Plan returns GET /api/plans/{id}: the plan's status, current round,
// prices, catalogue, councils and settings, and the last closed round's
// supply, demand and gaps. During a close it is the round being closed.
func (s *Service) Plan(ctx context.Context, who Principal, id string) (wire.PlanView, error) {
	p, err := s.lookup(who, id, OpRead)
	if err != nil {
		return wire.PlanView{}, err
	}
	var v wire.PlanView
	err = p.call(ctx, func() { v = p.view(who) })
	return v, err
}

// Rounds returns every closed round of plan id: prices, supply, demand,
// gaps, max gap, who submitted and whose proposal was carried.
func (s *Service) Rounds(ctx context.Context, who Principal, id string) (wire.Rounds, error) {
	p, err := s.lookup(who, id, OpRead)
	if err != nil {
		return wire.Rounds{}, err
	}
	var rows []wire.RoundRow
	err = p.call(ctx, func() { rows = p.rows(who) })
	if rows == nil {
		rows = []wire.RoundRow{}
	}
	return wire.Rounds{Rounds: rows}, err
}

// RoundsCSV returns the rounds as CSV: one row per round and good.
func (s *Service) RoundsCSV(ctx context.Context, who Principal, id string) ([]byte, error) {
	rows, err := s.Rounds(ctx, who, id)
	if err != nil {
		return nil, err
	}
	p, _ := s.plan(id)
	var goods []string
	if err := p.call(ctx, func() {
		for _, g := range p.econ.Plan.Goods {
			goods = append(goods, g.ID)
		}
	}); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(wire.RoundsCSVHeader)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	// A withheld total, gap or max gap is an empty cell; withheld says
	// which goods' are, within_tolerance whether such a good is.
	fp := func(x *float64) string {
		if x == nil {
			return ""
		}
		return f(*x)
	}
	for _, r := range rows.Rounds {
		standins := strings.Join(r.StandIns, ";")
		for _, g := range goods {
			withheld, within := "false", ""
			if w, ok := r.WithinTolerance[g]; ok {
				withheld, within = "true", strconv.FormatBool(w)
			}
			w.Write([]string{strconv.Itoa(r.Round), g, f(r.Prices[g]), fp(r.Supply[g]), fp(r.Demand[g]), fp(r.Gaps[g]), fp(r.MaxGap), withheld, within, standins})
		}
	}
	w.Flush()
	return b.Bytes(), nil
}
