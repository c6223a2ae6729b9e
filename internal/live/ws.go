package live

import (
	"context"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/wire"
)

// Connect registers a new connection of who with the hub, its snapshot
// first, on the plan goroutine: the client misses no event after its
// snapshot and gets none twice. A token over its connection cap
// (Options.MaxCouncilConns, MaxWatcherConns) gets a TooManyConns error
// and is not registered; Disconnect must follow every Connect that
// succeeded.
func (s *Service) Connect(ctx context.Context, who Principal, c *hub.Client) error {
	p, err := s.lookup(who, who.Plan, OpRead)
	if err != nil {
		return err
	}
	limit := s.opt.MaxWatcherConns
	if who.Proposer() {
		limit = s.opt.MaxCouncilConns
	}
	var cerr error
	if err := p.call(ctx, func() {
		k := who.key()
		if p.conns[k] >= limit {
			cerr = &TooManyConns{Limit: limit}
			return
		}
		snap, err := wire.Encode(p.snapshot(who))
		if err != nil {
			cerr = councils.InternalError(err)
			return
		}
		p.conns[k]++
		s.hub.Register(c, snap)
		// A follower's copy may lag the database by a notification (a
		// round the leader just opened): read it now, so a snapshot a
		// round behind is followed at once by the round's frames.
		if p.cl.follower {
			p.wantSync()
		}
	}); err != nil {
		return err
	}
	return cerr
}

// Disconnect forgets a connection of who that Connect registered.
func (s *Service) Disconnect(who Principal) {
	p, err := s.plan(who.Plan)
	if err != nil {
		return
	}
	p.post(func() {
		if k := who.key(); p.conns[k] > 1 {
			p.conns[k]--
		} else {
			delete(p.conns, k)
		}
	})
}

// TooManyConns is Connect's error for a token that holds its cap of
// connections already; the websocket closes with CloseTooManyConns.
type TooManyConns struct{ Limit int }

func (e *TooManyConns) Error() string {
	return "this token already holds the most connections allowed at once; close one first"
}

// CloseTooManyConns is the websocket close code for a connection over its
// token's cap (1008, policy violation).
const CloseTooManyConns = 1008

// HandleFrame acts on one client frame of c (hub.Handler): it decodes it
// (wire.DecodeClient), checks the role against the one table (May), and
// answers it. Errors go back as error frames carrying the frame's ref.
func (s *Service) HandleFrame(ctx context.Context, c *hub.Client, data []byte) {
	who := Principal{Plan: c.Plan, Role: c.Role, Council: c.Council}
	f, ref, err := wire.DecodeClient(data)
	if err == nil {
		err = s.dispatch(ctx, who, c, f)
	}
	if err != nil {
		s.sendError(c, ref, err)
	}
}

// dispatch answers one decoded frame.
func (s *Service) dispatch(ctx context.Context, who Principal, c *hub.Client, f wire.Client) error {
	switch f := f.(type) {
	case wire.Ping:
		s.send(c, wire.Pong{Ref: f.Ref})
		return nil
	case wire.Submit:
		return s.Submit(ctx, who, c, f)
	case wire.Close:
		return s.CloseRound(ctx, who, who.Plan, f.Round, c, f.Ref)
	case wire.SettingsUpdate:
		_, err := s.SetRoundDeadline(ctx, who, who.Plan, f.RoundDeadlineSeconds, c, f.Ref)
		return err
	case wire.GoodPropose:
		return s.ProposeGood(ctx, who, c, f)
	case wire.GoodWithdraw:
		return s.WithdrawGood(ctx, who, c, f)
	default:
		return councils.Errorf(councils.Invalid, "type", "unknown frame type %q", f.FrameType())
	}
}

// HandleRefused answers a message the hub did not pass on (hub.Handler):
// one over wire.MaxFrameBytes, or one that is not text.
func (s *Service) HandleRefused(c *hub.Client, why hub.Refusal) {
	switch why {
	case hub.RefusedTooLarge:
		s.sendError(c, "", councils.Errorf(councils.TooLarge, "", "frame is larger than %d bytes", wire.MaxFrameBytes))
	default:
		s.sendError(c, "", councils.Errorf(councils.Invalid, "", "frames are JSON text"))
	}
}
