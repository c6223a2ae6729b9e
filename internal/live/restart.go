package live

import (
	"context"
	"encoding/json"

	"parecon/councils"
	"parecon/internal/wire"
)

// Restart creates a new plan from plan id's scenario and options (the
// same councils left to people, the same stand-ins), with new tokens, and
// notes it in the old plan's audit log (plan.restarted). The old plan is
// left as it is. Only its facilitator may.
func (s *Service) Restart(ctx context.Context, who Principal, id string) (*wire.Created, error) {
	if _, err := s.lookup(who, id, OpRestart); err != nil {
		return nil, err
	}
	row, err := s.store.Plan(ctx, id)
	if err != nil {
		return nil, unavailable(err)
	}
	var opts councils.LiveOptions
	if len(row.Options) > 0 {
		if err := json.Unmarshal(row.Options, &opts); err != nil {
			return nil, councils.InternalError(err)
		}
	}
	out, err := s.Create(ctx, CreateRequest{Scenario: row.Scenario, Options: opts})
	if err != nil {
		return nil, err
	}
	if err := s.store.AddEvents(ctx, s.event(id, "plan.restarted", nil, "", map[string]any{"plan": out.ID})); err != nil {
		s.log.Warn("noting a restart in the old plan's audit log", "plan", id, "new", out.ID, "err", err)
	}
	return out, nil
}
