package live

import (
	"context"

	"parecon/councils"
	"parecon/internal/hub"
)

// Connect registers a new connection of who with the hub, its snapshot
// first. It holds the plan's lock while it does, so the client misses no
// event after its snapshot and gets none twice.
func (s *Service) Connect(who Principal, c *hub.Client) *councils.Error {
	p, err := s.plan(who.Plan)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s.hub.Register(c, p.snapshot(who))
	return nil
}

// HandleFrame acts on one frame of a connection (hub.Handler).
func (s *Service) HandleFrame(ctx context.Context, c *hub.Client, f hub.Frame) {
	who := Principal{Plan: c.Plan, Role: c.Role, Council: c.Council}
	var err *councils.Error
	switch f.Type {
	case hub.TypeSubmit:
		if who.Role != RoleCouncil {
			err = councils.Errorf(councils.Forbidden, "", "a %s may not submit proposals", who.Role)
			break
		}
		err = s.Submit(ctx, who, f.Ref, f.Round, f.Proposal, func(b []byte) { s.hub.Send(c, b) })
	case hub.TypeClose:
		err = s.CloseRound(ctx, who, who.Plan, c, f.Ref)
	case hub.TypeSettings:
		_, err = s.SetRoundDeadline(ctx, who, who.Plan, f.RoundDeadlineSeconds, c, f.Ref)
	default:
		err = councils.Errorf(councils.Invalid, "type", "unknown frame type %q", f.Type)
	}
	if err != nil {
		if err.Kind == councils.Internal {
			s.log.Error("websocket frame", "plan", c.Plan, "type", f.Type, "err", err.Err)
		}
		c.Error(f.Ref, err)
	}
}
