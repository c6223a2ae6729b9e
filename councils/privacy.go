package councils

// Privacy is a plan's facilitation.privacy (docs/spec/protocol.md,
// "Privacy"): the smallest crowd of councils anything is shown about, and
// whether the facilitator sees proposals ("all") or only what an observer
// sees plus who has submitted ("aggregates").
type Privacy struct {
	K           int    `json:"k,omitempty"`           // default DefaultPrivacyK
	Facilitator string `json:"facilitator,omitempty"` // default FacilitatorAll
}

// The privacy settings' defaults and the facilitator's two modes.
const (
	DefaultPrivacyK       = 3
	FacilitatorAll        = "all"
	FacilitatorAggregates = "aggregates"
	// MaxPrivacyK bounds k: a crowd larger than any plan would hide everything.
	MaxPrivacyK = 1_000_000
)

// WithDefaults returns p (nil: the defaults) with its zero fields set to
// the defaults.
func (p *Privacy) WithDefaults() Privacy {
	out := Privacy{}
	if p != nil {
		out = *p
	}
	if out.K == 0 {
		out.K = DefaultPrivacyK
	}
	if out.Facilitator == "" {
		out.Facilitator = FacilitatorAll
	}
	return out
}

// Check returns an Invalid error naming the field (under path, e.g.
// "facilitation.privacy") if p is not a valid setting.
func (p Privacy) Check(path string) error {
	if p.K < 1 || p.K > MaxPrivacyK {
		return Errorf(Invalid, join(path, "k"), "k must be a whole number from 1 to %d", MaxPrivacyK)
	}
	switch p.Facilitator {
	case FacilitatorAll, FacilitatorAggregates:
	default:
		return Errorf(Invalid, join(path, "facilitator"), "want %q or %q, not %q", FacilitatorAll, FacilitatorAggregates, short(p.Facilitator))
	}
	return nil
}

// Privacy returns the plan's privacy settings from its scenario, with the
// defaults filled in.
func (e *Economy) Privacy() Privacy {
	if f := e.Scenario.Facilitation; f != nil {
		return f.Privacy.WithDefaults()
	}
	return (*Privacy)(nil).WithDefaults()
}
