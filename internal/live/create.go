package live

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"parecon/councils"
	"parecon/internal/examples"
	"parecon/internal/store"
)

// CreateRequest is a new plan: a scenario (JSON) or a bundled example, and
// the live options.
type CreateRequest struct {
	Scenario []byte
	Example  string
	Options  councils.LiveOptions
}

// Created is the answer to a new plan: its id and its tokens, shown once.
// Council tokens are made for the human councils only.
type Created struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitatorToken"`
	ObserverToken    string            `json:"observerToken"`
	CouncilTokens    map[string]string `json:"councilTokens"`
}

// ParseCreateBody reads the body of POST /api/plans: either a scenario or
// {"example": "NAME"}.
func ParseCreateBody(body []byte) (CreateRequest, *councils.Error) {
	var probe map[string]json.RawMessage
	if json.Unmarshal(body, &probe) == nil {
		if raw, ok := probe["example"]; ok && len(probe) == 1 {
			var name string
			if err := json.Unmarshal(raw, &name); err != nil {
				return CreateRequest{}, councils.Errorf(councils.Invalid, "example", "example must be a string")
			}
			return CreateRequest{Example: name}, nil
		}
	}
	return CreateRequest{Scenario: body}, nil
}

// Create validates and stores a new plan, opens its round 0 (in which the
// simulated councils have proposed) and returns its tokens.
func (s *Service) Create(ctx context.Context, req CreateRequest) (*Created, *councils.Error) {
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
	p := &plan{id: newID(), name: sc.Name, created: now, econ: e, live: lv, opts: req.Options,
		deadline: s.opt.RoundDeadline, opened: now, acks: map[string]ack{}}
	p.init()
	if p.name == "" {
		p.name = "plan " + p.id
	}
	if p.deadline > 0 {
		p.due = now.Add(p.deadline)
	}
	out := &Created{ID: p.id, CouncilTokens: map[string]string{}}
	var toks []store.Token
	add := func(role, council string) string {
		t, h := newToken()
		toks = append(toks, store.Token{Hash: h, PlanID: p.id, Role: role, Council: council})
		return t
	}
	out.FacilitatorToken = add(RoleFacilitator, "")
	out.ObserverToken = add(RoleObserver, "")
	for _, id := range lv.HumanIDs() {
		out.CouncilTokens[id] = add(RoleCouncil, id)
	}
	opts, _ := json.Marshal(req.Options)
	r0 := lv.Round()
	zero := 0
	events := []store.Event{
		s.event(p, "plan.created", nil, "", map[string]any{"name": p.name, "goods": len(e.Plan.Goods), "councils": len(e.Plan.Councils), "humans": lv.HumanIDs(), "rule": lv.RuleName(), "tolerance": lv.Plan().Tolerance}),
		s.event(p, "round.opened", &zero, "", map[string]any{"prices": e.PriceMap(r0.Prices), "deadline": timeOrNil(p.due)}),
	}
	err = s.store.CreatePlan(ctx, store.Plan{ID: p.id, Name: p.name, Scenario: data, Options: opts, Created: now, Status: string(councils.StatusOpen), RoundDeadline: p.deadline},
		toks, store.Round{PlanID: p.id, Number: 0, Prices: r0.Prices, Opened: now, Deadline: p.due}, events)
	if err != nil {
		return nil, councils.InternalError(err)
	}
	s.mu.Lock()
	s.plans[p.id] = p
	s.mu.Unlock()
	p.mu.Lock()
	s.arm(p)
	p.mu.Unlock()
	s.log.Info("plan created", "plan", p.id, "name", p.name, "councils", len(e.Plan.Councils), "humans", len(out.CouncilTokens))
	return out, nil
}

// event builds an audit event of plan p.
func (s *Service) event(p *plan, typ string, round *int, council string, detail any) store.Event {
	b, _ := json.Marshal(detail)
	return store.Event{PlanID: p.id, At: s.now(), Type: typ, Round: round, Council: council, Detail: b}
}

// timeOrNil returns t, or nil for the zero time (JSON null).
func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}
