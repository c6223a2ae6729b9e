// Package live runs the live plans of one server: it creates plans, checks
// and stores proposals, closes rounds (when every human council has
// submitted, when the facilitator says, or at a deadline), answers the
// websocket frames of councils, facilitators and observers, and rebuilds
// every plan from the database when the server starts.
//
// Each plan is owned by one goroutine, which gets its work as messages;
// no lock guards a plan's state. A change is checked there, committed to
// the store (a burst of proposals in one store group, off the plan
// goroutine), applied there and only then broadcast through the hub, so
// nothing is announced that is not durable. The engine closes a round on
// a worker goroutine: meanwhile the plan answers reads from the round as
// it was and holds submissions back for the next round, and other plans
// are not slowed at all.
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
	"parecon/internal/wire"
)

// Options configures a Service.
type Options struct {
	// RoundDeadline is the deadline given to each round of a new plan
	// (0 = none); the facilitator may change it per plan.
	RoundDeadline time.Duration
	// Now returns the time (default time.Now).
	Now func() time.Time
	// MaxCouncilConns is the most websocket connections one council
	// token may hold at once (default 4).
	MaxCouncilConns int
	// MaxWatcherConns is the most websocket connections one facilitator
	// or observer token may hold at once (default 16).
	MaxWatcherConns int
	// PageLimit is how many proposals or audit events a page holds when
	// ?limit is absent (default 500); MaxPageLimit the most ?limit may
	// ask (default 5000).
	PageLimit, MaxPageLimit int
}

// The defaults of Options' limits.
const (
	DefaultMaxCouncilConns = 4
	DefaultMaxWatcherConns = 16
	DefaultPageLimit       = 500
	DefaultMaxPageLimit    = 5000
)

func (o *Options) defaults() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxCouncilConns <= 0 {
		o.MaxCouncilConns = DefaultMaxCouncilConns
	}
	if o.MaxWatcherConns <= 0 {
		o.MaxWatcherConns = DefaultMaxWatcherConns
	}
	if o.MaxPageLimit <= 0 {
		o.MaxPageLimit = DefaultMaxPageLimit
	}
	if o.PageLimit <= 0 || o.PageLimit > o.MaxPageLimit {
		o.PageLimit = min(DefaultPageLimit, o.MaxPageLimit)
	}
}

// Service holds the live plans of one server.
type Service struct {
	store *store.Store
	hub   *hub.Hub
	log   *slog.Logger
	opt   Options

	mu     sync.RWMutex // guards plans, tokens and closed (not the plans' state)
	plans  map[string]*plan
	tokens map[string]Principal // by hex SHA-256 of the token
	closed bool

	cluster *cluster // several servers on PostgreSQL; nil on SQLite
}

// New returns a service over st and h; call Load to bring back the plans
// stored in st.
func New(st *store.Store, h *hub.Hub, log *slog.Logger, opt Options) *Service {
	opt.defaults()
	if log == nil {
		log = slog.Default()
	}
	s := &Service{store: st, hub: h, log: log, opt: opt, plans: map[string]*plan{}, tokens: map[string]Principal{}}
	if st.Engine() == store.Postgres {
		s.cluster = newCluster(s)
	}
	return s
}

// Store returns the service's database.
func (s *Service) Store() *store.Store { return s.store }

// Hub returns the service's hub.
func (s *Service) Hub() *hub.Hub { return s.hub }

// now returns the current time, in UTC, to the millisecond the store keeps.
func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Millisecond) }

// Load rebuilds every stored plan by replaying its rounds and starts
// their goroutines (which arm the deadlines of the open ones). A plan that
// cannot be replayed is logged and left out; only a database that cannot
// be read is an error.
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
		s.add(p)
	}
	if s.cluster != nil {
		s.cluster.start()
	}
	return nil
}

// add serves p: it is listed and its goroutine starts (unless the service
// has closed, or serves the plan already: then that one is returned).
func (s *Service) add(p *plan) *plan {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.plans[p.id]; s.closed || q != nil {
		close(p.quit)
		return q
	}
	s.plans[p.id] = p
	p.start()
	return p
}

// Close stops every plan's goroutine and deadline timer and waits for
// them; a close in progress on a worker finishes on its own. The hub and
// the store are closed by their owner.
func (s *Service) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	if s.cluster != nil {
		s.mu.Unlock()
		s.cluster.close() // its locks go with its connections
		s.mu.Lock()
	}
	ps := make([]*plan, 0, len(s.plans))
	for _, p := range s.plans {
		ps = append(ps, p)
	}
	s.mu.Unlock()
	for _, p := range ps {
		close(p.quit)
	}
	for _, p := range ps {
		<-p.done
	}
}

// plan returns the plan id, or a not_found error.
func (s *Service) plan(id string) (*plan, error) {
	s.mu.RLock()
	p := s.plans[id]
	s.mu.RUnlock()
	if p == nil && s.cluster != nil {
		// Made on another server, its notification not here yet.
		p, _ = s.loadPlan(context.Background(), id)
	}
	if p == nil {
		return nil, councils.Errorf(councils.NotFound, "", "no plan %q", id)
	}
	return p, nil
}

// List returns every plan, newest first: no proposals, no tokens. It
// reads each plan's published summary and waits for no plan.
func (s *Service) List() wire.PlanList {
	s.mu.RLock()
	out := make([]wire.PlanSummary, 0, len(s.plans))
	for _, p := range s.plans {
		if sum := p.summary.Load(); sum != nil {
			out = append(out, *sum)
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(a, b int) bool {
		if !out[a].CreatedAt.Equal(out[b].CreatedAt) {
			return out[a].CreatedAt.After(out[b].CreatedAt)
		}
		return out[a].ID < out[b].ID
	})
	return wire.PlanList{Plans: out}
}
