package live

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"sort"
	"strconv"
	"time"

	"parecon/councils"
	"parecon/planning"
)

// GoodView is one good of the catalogue as clients see it.
type GoodView struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Unit string `json:"unit,omitempty"`
	Kind string `json:"kind"`
}

// CouncilView is one council as everyone in the plan sees it.
type CouncilView struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Human bool   `json:"human"`
}

func (p *plan) goods() []GoodView {
	out := make([]GoodView, len(p.econ.Scenario.Goods))
	for i, g := range p.econ.Scenario.Goods {
		out[i] = GoodView{ID: g.ID, Name: g.Name, Unit: g.Unit, Kind: g.Kind}
	}
	return out
}

func (p *plan) councilViews() []CouncilView {
	out := make([]CouncilView, len(p.econ.Scenario.Councils))
	for i, c := range p.econ.Scenario.Councils {
		out[i] = CouncilView{ID: c.ID, Type: c.Type, Human: p.live.Human(i)}
	}
	return out
}

// ids returns the ids of councils cs.
func (p *plan) ids(cs []int) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = p.econ.Plan.Councils[c].ID
	}
	return out
}

// roundView is the open (or last) round as a snapshot shows it.
func (p *plan) roundView(who Principal) map[string]any {
	r := p.live.Round()
	status := "open"
	if r.Closed {
		status = "closed"
	}
	m := map[string]any{
		"number": r.Number, "status": status, "prices": p.econ.PriceMap(r.Prices),
		"submitted": p.ids(p.live.Submitted()), "deadline": timeOrNil(p.due),
	}
	if who.Role == RoleCouncil {
		if c, ok := p.council(who.Council); ok {
			if p.econ.Plan.Councils[c].Role == planning.Consumer {
				m["budget"] = r.Budgets[c]
			}
			if pr := r.Proposals[c]; pr != nil {
				v := p.econ.Verdict(c, pr, r.Prices, r.Budgets[c])
				m["own"] = map[string]any{"proposal": p.econ.Doc(c, pr), "fresh": r.Fresh[c], "sbsc": v.SBSC, "cost": v.Cost, "budget": v.Budget}
			}
		}
	}
	return m
}

// planHeader is the plan part of a snapshot.
func (p *plan) planHeader(who Principal) map[string]any {
	m := p.planHeaderLean(who)
	m["councils"] = p.councilViews()
	return m
}

// planHeaderLean is planHeader without the list of councils.
func (p *plan) planHeaderLean(who Principal) map[string]any {
	st, reason := p.live.Status()
	m := map[string]any{
		"id": p.id, "name": p.name, "status": st, "numeraire": p.econ.Plan.Goods[p.econ.Plan.Numeraire].ID,
		"goods": p.goods(), "tolerance": p.live.Plan().Tolerance,
		"rule": p.live.RuleName(), "roundDeadlineSeconds": int(p.deadline / time.Second),
	}
	if reason != "" {
		m["reason"] = reason
	}
	if who.Role == RoleCouncil {
		if c, ok := p.council(who.Council); ok {
			cs := p.econ.Scenario.Councils[c]
			cv := map[string]any{"id": cs.ID, "type": cs.Type}
			if cs.Output != "" {
				cv["output"] = cs.Output
			}
			m["council"] = cv
		}
	}
	return m
}

// SnapshotCouncilsMax is the most councils a snapshot lists in
// plan.councils; a larger plan's snapshots leave the list out (GET
// /api/plans/{id} always has it), so that thousands of connections do not
// each carry thousands of entries.
const SnapshotCouncilsMax = 1000

// snapshot returns the snapshot frame for who (p.mu held).
func (p *plan) snapshot(who Principal) []byte {
	head := p.planHeaderLean(who)
	if len(p.econ.Plan.Councils) <= SnapshotCouncilsMax {
		head["councils"] = p.councilViews()
	}
	kv := []any{"role", who.Role, "councilId", who.Council, "plan", head, "round", p.roundView(who)}
	if last := p.lastClosed(); last != nil {
		rr := result(p.econ, last)
		kv = append(kv, "lastRound", map[string]any{"round": rr.Round, "supply": rr.Supply, "demand": rr.Demand, "gaps": rr.Gaps, "maxGap": rr.MaxGap})
	}
	return frame("snapshot", kv...)
}

// lastClosed returns the last closed round, or nil.
func (p *plan) lastClosed() *planning.Round {
	rs := p.live.Board().Rounds()
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Closed {
			return rs[i]
		}
	}
	return nil
}

// Check returns the Error GET /api/plans/{id} would give who, without
// building the answer: the websocket upgrade asks it of every connection.
func (s *Service) Check(who Principal, id string) *councils.Error {
	if err := who.Authorize(id, Everyone...); err != nil {
		return err
	}
	_, err := s.plan(id)
	return err
}

// Plan returns GET /api/plans/{id}: the plan's status, current round,
// prices, catalogue, councils and settings, and the last closed round's
// supply, demand and gaps. Any role of the plan may read it.
func (s *Service) Plan(who Principal, id string) (map[string]any, *councils.Error) {
	if err := who.Authorize(id, Everyone...); err != nil {
		return nil, err
	}
	p, err := s.plan(id)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.planHeader(who)
	r := p.live.Round()
	m["round"] = r.Number
	m["prices"] = p.econ.PriceMap(r.Prices)
	m["submitted"] = p.ids(p.live.Submitted())
	m["deadline"] = timeOrNil(p.due)
	m["createdAt"] = p.created
	if last := p.lastClosed(); last != nil {
		rr := result(p.econ, last)
		m["lastRound"] = rr.Round
		m["supply"], m["demand"], m["gaps"], m["maxGap"] = rr.Supply, rr.Demand, rr.Gaps, rr.MaxGap
	}
	if who.Role == RoleCouncil {
		m["councilId"] = who.Council
		if c, ok := p.council(who.Council); ok && p.econ.Plan.Councils[c].Role == planning.Consumer {
			m["budget"] = r.Budgets[c]
		}
	}
	return m, nil
}

// RoundRow is one closed round in the export.
type RoundRow = roundResult

// Rounds returns every closed round of plan id: prices, supply, demand,
// gaps, max gap, who submitted and whose proposal was carried.
func (s *Service) Rounds(who Principal, id string) ([]RoundRow, *councils.Error) {
	if err := who.Authorize(id, Everyone...); err != nil {
		return nil, err
	}
	p, err := s.plan(id)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	out := []RoundRow{}
	for _, r := range p.live.Board().Rounds() {
		if r.Closed {
			out = append(out, result(p.econ, r))
		}
	}
	return out, nil
}

// RoundsCSV returns the rounds as CSV: one row per round and good.
func (s *Service) RoundsCSV(who Principal, id string) ([]byte, *councils.Error) {
	rows, err := s.Rounds(who, id)
	if err != nil {
		return nil, err
	}
	p, _ := s.plan(id)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"round", "good", "price", "supply", "demand", "gap", "max_gap"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, r := range rows {
		for _, g := range p.econ.Plan.Goods {
			w.Write([]string{strconv.Itoa(r.Round), g.ID, f(r.Prices[g.ID]), f(r.Supply[g.ID]), f(r.Demand[g.ID]), f(r.Gaps[g.ID]), f(r.MaxGap)})
		}
	}
	w.Flush()
	return b.Bytes(), nil
}

// ProposalView is one proposal in GET /api/plans/{id}/proposals.
type ProposalView struct {
	Round    int             `json:"round"`
	Council  string          `json:"councilId"`
	Proposal json.RawMessage `json:"proposal,omitempty"`
	SBSC     *float64        `json:"sbsc,omitempty"`
	Cost     *float64        `json:"cost,omitempty"`
	Budget   *float64        `json:"budget,omitempty"`
	Status   string          `json:"status"` // accepted | rejected
	Source   string          `json:"source"` // human | standin | simulated
	Reason   string          `json:"reason,omitempty"`
	Field    string          `json:"field,omitempty"`
	ID       int64           `json:"proposalId,omitempty"`
	At       *time.Time      `json:"at,omitempty"`
}

// Proposals returns the proposals of plan id (of round, when round ≥ 0)
// with their check results: to the facilitator every council's, the
// simulated councils' included; to a council its own. Observers may not.
func (s *Service) Proposals(ctx context.Context, who Principal, id string, round int) ([]ProposalView, *councils.Error) {
	if err := who.Authorize(id, RoleFacilitator, RoleCouncil); err != nil {
		return nil, err
	}
	p, err := s.plan(id)
	if err != nil {
		return nil, err
	}
	mine := func(c string) bool { return who.Role == RoleFacilitator || c == who.Council }
	stored, serr := s.store.Proposals(ctx, id)
	if serr != nil {
		return nil, councils.InternalError(serr)
	}
	events, serr := s.store.Events(ctx, id)
	if serr != nil {
		return nil, councils.InternalError(serr)
	}
	type keyed struct {
		at  time.Time
		seq int
		v   ProposalView
	}
	var all []keyed
	for i, sp := range stored {
		if !mine(sp.Council) || round >= 0 && sp.Round != round {
			continue
		}
		var v councils.Verdict
		json.Unmarshal(sp.Verdict, &v)
		at := sp.Created
		all = append(all, keyed{at, i, ProposalView{Round: sp.Round, Council: sp.Council, Proposal: sp.Body, SBSC: v.SBSC, Cost: v.Cost, Budget: v.Budget, Status: "accepted", Source: sp.Source, ID: sp.ID, At: &at}})
	}
	for i, ev := range events {
		if ev.Type != "proposal.rejected" || !mine(ev.Council) || ev.Round == nil || round >= 0 && *ev.Round != round {
			continue
		}
		var d struct {
			Reason   string          `json:"reason"`
			Field    string          `json:"field"`
			Proposal json.RawMessage `json:"proposal"`
		}
		json.Unmarshal(ev.Detail, &d)
		at := ev.At
		all = append(all, keyed{at, len(stored) + i, ProposalView{Round: *ev.Round, Council: ev.Council, Proposal: d.Proposal, Status: "rejected", Source: "human", Reason: d.Reason, Field: d.Field, At: &at}})
	}
	if who.Role == RoleFacilitator {
		p.mu.Lock()
		for _, r := range p.live.Board().Rounds() {
			if round >= 0 && r.Number != round {
				continue
			}
			for c, pr := range r.Proposals {
				if pr == nil || !r.Fresh[c] || p.live.Human(c) {
					continue
				}
				v := p.econ.Verdict(c, pr, r.Prices, r.Budgets[c])
				all = append(all, keyed{time.Time{}, -1, ProposalView{Round: r.Number, Council: p.econ.Plan.Councils[c].ID, Proposal: councils.MarshalDoc(p.econ.Doc(c, pr)), SBSC: v.SBSC, Cost: v.Cost, Budget: v.Budget, Status: "accepted", Source: "simulated"}})
			}
		}
		p.mu.Unlock()
	}
	sort.SliceStable(all, func(a, b int) bool {
		if all[a].v.Round != all[b].v.Round {
			return all[a].v.Round < all[b].v.Round
		}
		if !all[a].at.Equal(all[b].at) {
			return all[a].at.Before(all[b].at)
		}
		return all[a].seq < all[b].seq
	})
	out := make([]ProposalView, len(all))
	for i, k := range all {
		out[i] = k.v
	}
	return out, nil
}

// EventView is one audit event.
type EventView struct {
	Seq     int64           `json:"seq"`
	At      time.Time       `json:"at"`
	Type    string          `json:"type"`
	Round   *int            `json:"round,omitempty"`
	Council string          `json:"councilId,omitempty"`
	Detail  json.RawMessage `json:"detail"`
}

// Audit returns plan id's audit log, to its facilitator.
func (s *Service) Audit(ctx context.Context, who Principal, id string) ([]EventView, *councils.Error) {
	if err := who.Authorize(id, RoleFacilitator); err != nil {
		return nil, err
	}
	if _, err := s.plan(id); err != nil {
		return nil, err
	}
	evs, err := s.store.Events(ctx, id)
	if err != nil {
		return nil, councils.InternalError(err)
	}
	out := make([]EventView, len(evs))
	for i, e := range evs {
		out[i] = EventView{Seq: e.Seq, At: e.At, Type: e.Type, Round: e.Round, Council: e.Council, Detail: e.Detail}
	}
	return out, nil
}
