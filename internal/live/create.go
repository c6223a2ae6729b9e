package live

import (
	"bytes"
	"context"
	"encoding/json"

	"parecon/councils"
	"parecon/internal/examples"
	"parecon/internal/store"
	"parecon/internal/wire"
)

// CreateRequest is a new plan: a scenario (JSON) or a bundled example, and
// the live options.
type CreateRequest struct {
	Scenario []byte
	Example  string
	Options  councils.LiveOptions
}

// ParseCreateBody reads the body of POST /api/plans: either a scenario or
// {"example": "NAME", "humans": [IDS]} (wire.CreateExample).
func ParseCreateBody(body []byte) (CreateRequest, error) {
	var probe map[string]json.RawMessage
	if json.Unmarshal(body, &probe) == nil {
		_, humans := probe["humans"]
		if _, ok := probe["example"]; ok && (len(probe) == 1 || len(probe) == 2 && humans) {
			var ex wire.CreateExample
			if err := json.Unmarshal(probe["example"], &ex.Example); err != nil {
				return CreateRequest{}, councils.Errorf(councils.Invalid, "example", "example must be a string")
			}
			if humans {
				if err := json.Unmarshal(probe["humans"], &ex.Humans); err != nil {
					return CreateRequest{}, councils.Errorf(councils.Invalid, "humans", "humans must be a list of council ids")
				}
				if len(ex.Humans) > councils.MaxCouncils {
					return CreateRequest{}, councils.Errorf(councils.Invalid, "humans", "at most %d councils", councils.MaxCouncils)
				}
			}
			// A plan from an example whose councils people play: their
			// models stand in for them at a deadline they miss.
			return CreateRequest{Example: ex.Example, Options: councils.LiveOptions{Humans: ex.Humans, StandIn: len(ex.Humans) > 0}}, nil
		}
	}
	return CreateRequest{Scenario: body}, nil
}

// Create validates and stores a new plan, opens its round 0 (in which the
// simulated councils have proposed) and returns its tokens.
func (s *Service) Create(ctx context.Context, req CreateRequest) (*wire.Created, error) {
	data := req.Scenario
	if req.Example != "" {
		b, err := examples.Scenario(req.Example)
		if err != nil {
			return nil, councils.Errorf(councils.Invalid, "example", "%v", err)
		}
		data = b
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, councils.Errorf(councils.Invalid, "", "the body is empty: send a scenario or {\"example\": NAME}")
	}
	// Problems (a scenario's) become an invalid *councils.Error naming
	// the first problem's path.
	sc, err := councils.ParseScenario(data)
	if err != nil {
		return nil, councils.AsError(err)
	}
	e, err := councils.NewEconomy(sc)
	if err != nil {
		return nil, councils.AsError(err)
	}
	lv, err := councils.NewLive(e, req.Options)
	if err != nil {
		return nil, councils.AsError(err)
	}
	now := s.now()
	name := sc.Name
	id := newID()
	if name == "" {
		name = "plan " + id
	}
	p := s.newPlan(id, name, now, e, lv, req.Options)
	p.deadline, p.opened = s.opt.RoundDeadline, now
	if p.deadline > 0 {
		p.due = now.Add(p.deadline)
	}
	out := &wire.Created{ID: p.id, CouncilTokens: map[string]string{}}
	var toks []store.Token
	add := func(role, council string) string {
		t, h := newToken()
		toks = append(toks, store.Token{Hash: h, PlanID: p.id, Role: role, Council: council})
		return t
	}
	out.FacilitatorToken = add(RoleFacilitator, "")
	out.ObserverToken = add(RoleObserver, "")
	for _, id := range lv.HumanIDs() {
		if c, _ := e.Council(id); c >= len(sc.Councils) {
			if out.FederationTokens == nil {
				out.FederationTokens = map[string]string{}
			}
			out.FederationTokens[id] = add(RoleFederation, id)
			continue
		}
		out.CouncilTokens[id] = add(RoleCouncil, id)
	}
	opts, err := json.Marshal(req.Options)
	if err != nil {
		return nil, councils.InternalError(err)
	}
	r0 := lv.Round()
	zero := 0
	events := []store.Event{
		s.event(p.id, "plan.created", nil, "", map[string]any{"name": p.name, "goods": len(e.Plan.Goods), "councils": len(e.Plan.Councils), "humans": lv.HumanIDs(), "rule": lv.RuleName(), "tolerance": lv.Plan().Tolerance}),
		s.event(p.id, "round.opened", &zero, "", map[string]any{"prices": e.PriceMap(r0.Prices), "deadline": wire.Time(p.due)}),
	}
	err = s.store.CreatePlan(ctx, store.Plan{ID: p.id, Name: p.name, Scenario: data, Options: opts, Created: now, Status: string(councils.StatusOpen), RoundDeadline: p.deadline},
		toks, store.Round{PlanID: p.id, Number: 0, Prices: r0.Prices, Opened: now, Deadline: p.due}, events)
	if err != nil {
		return nil, unavailable(err)
	}
	p.prepare(lv.Round())
	s.add(p)
	if s.cluster != nil {
		select { // take its lead now rather than at the next tick
		case s.cluster.kick <- struct{}{}:
		default:
		}
	}
	s.log.Info("plan created", "plan", p.id, "name", p.name, "councils", len(e.Plan.Councils), "humans", len(out.CouncilTokens), "humanFederations", len(out.FederationTokens))
	return out, nil
}

// event builds an audit event of plan id.
func (s *Service) event(id, typ string, round *int, council string, detail any) store.Event {
	b, err := json.Marshal(detail)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": "the detail could not be encoded: " + err.Error()})
	}
	return store.Event{PlanID: id, At: s.now(), Type: typ, Round: round, Council: council, Detail: b}
}
