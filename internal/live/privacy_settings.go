package live

import (
	"context"
	"encoding/json"
	"errors"
	"math"

	"parecon/councils"
	"parecon/internal/store"
	"parecon/internal/wire"
)

// SetPrivacy changes plan's facilitation.privacy (facilitator, before
// round 0 closes: what was shown under one setting cannot be taken back
// under another). Absent fields keep their values. Everyone in the plan
// gets settings.changed with the new setting.
func (s *Service) SetPrivacy(ctx context.Context, who Principal, planID string, req wire.PrivacyRequest) (wire.SettingsChanged, error) {
	p, err := s.lookup(who, planID, OpSettings)
	if err != nil {
		return wire.SettingsChanged{}, err
	}
	if req.K != nil && (*req.K != math.Trunc(*req.K) || *req.K < 1 || *req.K > councils.MaxPrivacyK) {
		return wire.SettingsChanged{}, councils.Errorf(councils.Invalid, "privacy.k", "k must be a whole number from 1 to %d", councils.MaxPrivacyK)
	}
	var out wire.SettingsChanged
	done := make(chan error, 1)
	if !p.post(func() {
		p.idle(func() {
			var err error
			out, err = p.setPrivacy(ctx, req)
			done <- err
		})
	}) {
		return out, errPlanGone
	}
	return out, p.await(ctx, done)
}

// setPrivacy checks, commits, applies and announces a privacy setting
// (plan goroutine, live idle).
func (p *plan) setPrivacy(ctx context.Context, req wire.PrivacyRequest) (wire.SettingsChanged, error) {
	if len(p.results) > 0 || p.broken {
		return wire.SettingsChanged{}, councils.Errorf(councils.Conflict, "privacy", "the privacy setting may change only before round 0 closes")
	}
	set := p.priv.set
	if req.K != nil {
		set.K = int(*req.K)
	}
	if req.Facilitator != nil {
		set.Facilitator = *req.Facilitator
	}
	if err := set.Check("privacy"); err != nil {
		return wire.SettingsChanged{}, err
	}
	b, err := json.Marshal(set)
	if err != nil {
		return wire.SettingsChanged{}, councils.InternalError(err)
	}
	round := p.round().number
	ev := p.s.event(p.id, "settings.changed", &round, "", map[string]any{"privacy": set})
	if err := p.s.store.SetPrivacy(ctx, p.id, b, ev); err != nil {
		if errors.Is(err, store.ErrRoundNotOpen) {
			return wire.SettingsChanged{}, councils.Errorf(councils.Conflict, "privacy", "the privacy setting may change only before round 0 closes, and it has closed (on another server)")
		}
		return wire.SettingsChanged{}, unavailable(err)
	}
	p.priv.set = set
	p.setPriv(p.priv)
	p.privRaw = b
	ps := wire.PrivacySettings{K: set.K, Facilitator: set.Facilitator}
	out := wire.SettingsChanged{RoundDeadlineSeconds: int(p.deadline.Seconds()), Round: round, Deadline: wire.Time(p.due), Privacy: &ps}
	msg, err := wire.Encode(out)
	if err != nil {
		return out, councils.InternalError(err)
	}
	p.s.hub.Broadcast(p.id, msg)
	return out, nil
}

// setPriv makes pv p's privacy (plan goroutine, or before it runs).
func (p *plan) setPriv(pv *privacy) {
	p.priv = pv
	p.aggregates.Store(!pv.facilitatorSeesAll())
}

// private is the error a facilitator gets asking for proposals that the
// plan keeps private.
var private = councils.Errorf(councils.Forbidden, "", "this plan keeps proposals private (facilitation.privacy.facilitator is %q): the facilitator sees aggregates and who has submitted", councils.FacilitatorAggregates)

// storedPrivacy returns the privacy setting stored for a plan (nil:
// its scenario's).
func storedPrivacy(e *councils.Economy, b []byte) (councils.Privacy, error) {
	if len(b) == 0 {
		return e.Privacy(), nil
	}
	var set councils.Privacy
	if err := json.Unmarshal(b, &set); err != nil {
		return set, err
	}
	set = (&set).WithDefaults()
	return set, set.Check("privacy")
}
