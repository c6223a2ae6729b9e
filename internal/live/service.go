// Package live runs the live plans of one server: it creates plans, checks
// and stores proposals, closes rounds (when every human council has
// submitted, when the facilitator says, or at a deadline), answers the
// websocket frames of councils, facilitators and observers, and rebuilds
// every plan from the database when the server starts. Each plan has one
// lock; under it a change is checked, committed, applied to the plan's
// councils.Live and only then broadcast through the hub, so nothing is
// announced that is not durable.
package live

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/store"
)

// Options configures a Service.
type Options struct {
	// RoundDeadline is the deadline given to each round of a new plan
	// (0 = none); the facilitator may change it per plan.
	RoundDeadline time.Duration
	// Now returns the time (default time.Now).
	Now func() time.Time
}

// Service holds the live plans of one server.
type Service struct {
	store *store.Store
	hub   *hub.Hub
	log   *slog.Logger
	opt   Options

	mu     sync.RWMutex
	plans  map[string]*plan
	tokens map[string]Principal // by hex SHA-256 of the token
	closed bool
}

// New returns a service over st and h; call Load to bring back the plans
// stored in st.
func New(st *store.Store, h *hub.Hub, log *slog.Logger, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: st, hub: h, log: log, opt: opt, plans: map[string]*plan{}, tokens: map[string]Principal{}}
}

// Store returns the service's database.
func (s *Service) Store() *store.Store { return s.store }

// Hub returns the service's hub.
func (s *Service) Hub() *hub.Hub { return s.hub }

// now returns the current time, in UTC, to the millisecond the store keeps.
func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Millisecond) }

// Load rebuilds every stored plan by replaying its rounds, and arms the
// deadlines of the open ones. A plan that cannot be replayed is logged and
// left out; only a database that cannot be read is an error.
func (s *Service) Load(ctx context.Context) error {
	rows, err := s.store.Plans(ctx)
	if err != nil {
		return err
	}
	for _, row := range rows {
		p, err := s.replay(ctx, row)
		if err != nil {
			// One damaged plan must not keep the others offline: it is
			// left out (its API answers not_found) and reported.
			s.log.Error("a stored plan cannot be replayed; it is not served", "plan", row.ID, "err", err)
			continue
		}
		s.mu.Lock()
		s.plans[p.id] = p
		s.mu.Unlock()
		p.mu.Lock()
		s.arm(p)
		p.mu.Unlock()
	}
	return nil
}

// Close stops the deadline timers; the hub and the store are closed by
// their owner.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	ps := make([]*plan, 0, len(s.plans))
	for _, p := range s.plans {
		ps = append(ps, p)
	}
	s.mu.Unlock()
	for _, p := range ps {
		p.mu.Lock()
		if p.timer != nil {
			p.timer.Stop()
		}
		p.mu.Unlock()
	}
}

// plan returns the plan id, or a not_found Error.
func (s *Service) plan(id string) (*plan, *councils.Error) {
	s.mu.RLock()
	p := s.plans[id]
	s.mu.RUnlock()
	if p == nil {
		return nil, councils.Errorf(councils.NotFound, "", "no plan %q", id)
	}
	return p, nil
}

// Summary is one plan in the public list.
type Summary struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	Round     int       `json:"round"`
	CreatedAt time.Time `json:"createdAt"`
}

// List returns every plan, newest first: no proposals, no tokens.
func (s *Service) List() []Summary {
	s.mu.RLock()
	ps := make([]*plan, 0, len(s.plans))
	for _, p := range s.plans {
		ps = append(ps, p)
	}
	s.mu.RUnlock()
	out := make([]Summary, 0, len(ps))
	for _, p := range ps {
		p.mu.Lock()
		st, _ := p.live.Status()
		out = append(out, Summary{ID: p.id, Name: p.name, Status: string(st), Round: p.live.Round().Number, CreatedAt: p.created})
		p.mu.Unlock()
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].CreatedAt.Equal(out[b].CreatedAt) {
			return out[a].CreatedAt.After(out[b].CreatedAt)
		}
		return out[a].ID < out[b].ID
	})
	return out
}
