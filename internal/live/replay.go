package live

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"parecon/councils"
	"parecon/internal/store"
)

// replay rebuilds a stored plan: it compiles the scenario, opens round 0,
// and for every stored round applies the accepted proposals in the order
// they were stored (the simulated councils' proposals are derived again,
// deterministically, as each round opens) and closes the round if it was
// closed, so the board and its rule, which is deterministic, reach the
// state they had. Each round reopens at the prices stored for it, the
// ones that were published; should the rule now compute others (its code
// changed), that is reported in the log.
func (s *Service) replay(ctx context.Context, row store.Plan) (*plan, error) {
	sc, err := councils.ParseScenario(row.Scenario)
	if err != nil {
		return nil, fmt.Errorf("plan %s: stored scenario: %w", row.ID, err)
	}
	e, err := councils.NewEconomy(sc)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", row.ID, err)
	}
	var opts councils.LiveOptions
	if err := json.Unmarshal(row.Options, &opts); err != nil {
		return nil, fmt.Errorf("plan %s: stored options: %w", row.ID, err)
	}
	lv, err := councils.NewLive(e, opts)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", row.ID, err)
	}
	p := s.newPlan(row.ID, row.Name, row.Created, e, lv, opts)
	p.deadline = row.RoundDeadline
	set, err := storedPrivacy(e, row.Privacy)
	if err != nil {
		return nil, fmt.Errorf("plan %s: stored privacy setting: %w", row.ID, err)
	}
	p.setPriv(newPrivacy(e, set))
	p.privRaw = row.Privacy
	rounds, err := s.store.Rounds(ctx, row.ID)
	if err != nil {
		return nil, err
	}
	props, err := s.store.Proposals(ctx, row.ID)
	if err != nil {
		return nil, err
	}
	byRound := map[int][]store.Proposal{}
	for _, pr := range props {
		byRound[pr.Round] = append(byRound[pr.Round], pr)
	}
	// The new goods and withdrawals, by round (newgoods.go).
	goodEvents, err := s.store.EventsOfType(ctx, row.ID, evGoodAccepted, evGoodWithdrawn)
	if err != nil {
		return nil, err
	}
	goodsByRound := map[int][]store.Event{}
	for _, ev := range goodEvents {
		if ev.Round != nil {
			goodsByRound[*ev.Round] = append(goodsByRound[*ev.Round], ev)
		}
	}
	for i, r := range rounds {
		// The catalogue grows with new goods: read it from live each round.
		e = lv.Econ
		cur := lv.Round()
		if st, _ := lv.Status(); st != councils.StatusOpen || cur.Number != r.Number {
			return nil, fmt.Errorf("plan %s: stored round %d does not follow the replayed round %d (%s)", row.ID, r.Number, cur.Number, st)
		}
		for j, x := range r.Prices {
			if j < len(cur.Prices) && math.Abs(x-cur.Prices[j]) > 1e-12*math.Abs(x) {
				s.log.Warn("replayed prices differ from the stored ones", "plan", row.ID, "round", r.Number, "good", e.Plan.Goods[j].ID, "stored", x, "replayed", cur.Prices[j])
				break
			}
		}
		for _, sp := range byRound[r.Number] {
			c, ok := e.Council(sp.Council)
			if !ok {
				return nil, fmt.Errorf("plan %s: stored proposal %d names unknown council %q", row.ID, sp.ID, sp.Council)
			}
			var doc councils.ProposalDoc
			if err := json.Unmarshal(sp.Body, &doc); err != nil {
				return nil, fmt.Errorf("plan %s: stored proposal %d: %w", row.ID, sp.ID, err)
			}
			pr, cerr := e.ProposalFromDoc(c, &doc)
			if cerr != nil {
				return nil, fmt.Errorf("plan %s: stored proposal %d: %w", row.ID, sp.ID, cerr)
			}
			lv.Accept(c, pr)
			p.lastID[c] = sp.ID
			if sp.Source == "standin" {
				p.byModel[c] = true
			} else {
				delete(p.byModel, c)
			}
			if sp.Ref != "" {
				var v councils.Verdict
				if err := store.DecodeJSON("the verdict of proposal "+strconv.FormatInt(sp.ID, 10), sp.Verdict, &v); err != nil {
					return nil, fmt.Errorf("plan %s: %w", row.ID, err)
				}
				p.acks[ackKey(sp.Council, sp.Ref)] = ack{round: sp.Round, id: sp.ID, verdict: v}
			}
		}
		if err := p.replayGoods(lv, goodsByRound[r.Number]); err != nil {
			return nil, fmt.Errorf("plan %s: round %d: %w", row.ID, r.Number, err)
		}
		p.opened, p.due = r.Opened, r.Deadline
		if !r.Closed.IsZero() {
			// The next round opens at the prices that were published, even
			// if the rule's code has changed since.
			var published []float64
			if i+1 < len(rounds) && len(rounds[i+1].Prices) >= len(e.Plan.Goods) {
				published = rounds[i+1].Prices // with the new goods that open there
			}
			res, err := lv.CloseAt(published)
			if err != nil {
				return nil, fmt.Errorf("plan %s: replaying round %d: %w", row.ID, r.Number, err)
			}
			full := result(lv.Econ, res.Closed)
			for _, sp := range byRound[r.Number] {
				if sp.Source == "standin" {
					full.StandIns = append(full.StandIns, sp.Council)
				}
			}
			p.results = append(p.results, full)
			p.closed = append(p.closed, res.Closed)
			p.public = append(p.public, p.priv.public(lv.Econ, res.Closed, full))
			p.fedHeld = append(p.fedHeld, p.priv.fedChanges(lv.Econ, res.Closed))
			for j, x := range published {
				if j < len(res.RulePrices) && math.Abs(x-res.RulePrices[j]) > 1e-12*math.Abs(x) {
					s.log.Warn("the rule now computes other prices than were published; keeping the published ones", "plan", row.ID, "round", r.Number+1, "good", e.Plan.Goods[j].ID, "published", x, "rule", res.RulePrices[j])
					break
				}
			}
		}
	}
	commits, err := s.store.Commits(ctx, row.ID)
	if err != nil {
		return nil, err
	}
	if n := len(commits); n > 0 {
		p.chain = commits[n-1].Chain
	}
	if st, _ := lv.Status(); string(st) != row.Status {
		s.log.Warn("replayed status differs from the stored one", "plan", row.ID, "stored", row.Status, "replayed", st)
	}
	if len(lv.Econ.Plan.Goods) != len(p.econ.Plan.Goods) {
		p.leaves = newLeafMaker(lv.Econ, p.human) // new goods joined
	}
	p.econ = lv.Econ
	p.closed = closedRounds(lv) // grown copies, if new goods joined
	p.status, p.reason = lv.Status()
	if p.status != councils.StatusOpen {
		p.due = time.Time{}
	} else {
		p.prepare(lv.Round())
	}
	p.replayed(props)
	return p, nil
}

// reload rebuilds plan id alone from the database, after a failed
// commit, so that memory never runs ahead of what was stored. It runs on
// the worker that owns the plan's round; closeDone adopts the result.
func (s *Service) reload(ctx context.Context, id string) (*plan, error) {
	row, err := s.store.Plan(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.replay(ctx, row)
}

// adopt takes the state of q, the same plan replayed from the database
// (plan goroutine).
func (p *plan) adopt(q *plan) {
	p.live, p.econ, p.acks, p.goodAcks, p.proposedBy, p.opened, p.due, p.deadline = q.live, q.econ, q.acks, q.goodAcks, q.proposedBy, q.opened, q.due, q.deadline
	p.lastID, p.results, p.status, p.reason, p.waitRound = q.lastID, q.results, q.status, q.reason, -1
	p.closed, p.byModel, p.public, p.chain, p.pre, p.leaves = q.closed, q.byModel, q.public, q.chain, q.pre, q.leaves
	p.fedHeld = q.fedHeld
	p.setPriv(q.priv)
	p.privRaw = q.privRaw
	p.cl.cursor, p.cl.seen, p.cl.seenRound = q.cl.cursor, q.cl.seen, q.cl.seenRound
}
