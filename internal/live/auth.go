package live

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"

	"parecon/councils"
	"parecon/internal/store"
)

// The roles a token grants.
const (
	RoleFacilitator = "facilitator"
	RoleCouncil     = "council"
	RoleObserver    = "observer"
	// RoleFederation is a human federation's token: like a consumer
	// council's, for its collective requests and budget.
	RoleFederation = "federation"
)

// Principal is who holds a token: a role in one plan, and for a council
// or federation token, which council or federation.
type Principal struct {
	Plan    string
	Role    string
	Council string
}

// Op is something a principal asks of a plan; the table allowed says
// who may.
type Op string

// The operations on a plan.
const (
	OpRead      Op = "plan.read"       // GET /api/plans/{id}, /rounds, /rounds.csv; the websocket
	OpSubmit    Op = "proposal.submit" // proposal.submit
	OpClose     Op = "round.close"     // round.close, POST .../rounds/close
	OpSettings  Op = "settings.update" // settings.update, PATCH .../settings
	OpProposals Op = "proposals.read"  // GET .../proposals (a council: its own)
	OpAudit     Op = "audit.read"      // GET .../audit
	// OpFederations is GET .../federations and its CSV: the roll-ups.
	OpFederations Op = "federations.read"
	// OpProof is GET .../rounds/{n}/proof: a council's own.
	OpProof   Op = "proof.read"
	OpRestart Op = "plan.restart" // POST .../restart
	// OpGoodPropose is good.propose (a worker council's new good; the
	// round process checks that it is a human worker council).
	OpGoodPropose Op = "good.propose"
	// OpGoodWithdraw is good.withdraw (the facilitator's, as abuse).
	OpGoodWithdraw Op = "good.withdraw"
)

// allowed is the one table of who may do what; every websocket frame and
// every service method the HTTP handlers call is checked against it.
var allowed = map[Op][]string{
	OpRead:         {RoleFacilitator, RoleCouncil, RoleObserver, RoleFederation},
	OpSubmit:       {RoleCouncil, RoleFederation},
	OpClose:        {RoleFacilitator},
	OpSettings:     {RoleFacilitator},
	OpProposals:    {RoleFacilitator, RoleCouncil, RoleFederation},
	OpAudit:        {RoleFacilitator},
	OpFederations:  {RoleFacilitator, RoleCouncil, RoleObserver, RoleFederation},
	OpProof:        {RoleCouncil},
	OpRestart:      {RoleFacilitator},
	OpGoodPropose:  {RoleCouncil},
	OpGoodWithdraw: {RoleFacilitator},
}

// Proposer reports whether pr's token proposes for one council or
// federation (and sees its own budget and proposals).
func (pr Principal) Proposer() bool { return pr.Role == RoleCouncil || pr.Role == RoleFederation }

// May checks that pr may do op on plan: a forbidden error (a
// *councils.Error inside) for another plan or a role not allowed.
func (pr Principal) May(plan string, op Op) error {
	if pr.Plan != plan {
		return councils.Errorf(councils.Forbidden, "", "this token is for another plan")
	}
	if !slices.Contains(allowed[op], pr.Role) {
		return councils.Errorf(councils.Forbidden, "", "a %s may not do this (%s)", pr.Role, op)
	}
	return nil
}

// key identifies pr's token: there is one token per plan and role, and
// one per council.
func (pr Principal) key() string { return pr.Role + "\x00" + pr.Council }

// newToken returns a random token (256 bits, base64url) and its hash.
func newToken() (string, []byte) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	t := base64.RawURLEncoding.EncodeToString(b[:])
	return t, hashToken(t)
}

func hashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// newID returns a random plan id: 16 hex digits.
func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Authenticate returns who holds token: an unauthorized error when the
// token is missing or unknown.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	if token == "" {
		return Principal{}, councils.Errorf(councils.Unauthorized, "", "a token is required")
	}
	h := hashToken(token)
	key := hex.EncodeToString(h)
	s.mu.RLock()
	pr, ok := s.tokens[key]
	s.mu.RUnlock()
	if ok {
		return pr, nil
	}
	t, err := s.store.Token(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, councils.Errorf(councils.Unauthorized, "", "unknown token")
	}
	if err != nil {
		return Principal{}, councils.InternalError(err)
	}
	pr = Principal{Plan: t.PlanID, Role: t.Role, Council: t.Council}
	s.mu.Lock()
	s.tokens[key] = pr
	s.mu.Unlock()
	return pr, nil
}

// lookup authorizes who for op on plan id and returns the plan.
func (s *Service) lookup(who Principal, id string, op Op) (*plan, error) {
	if err := who.May(id, op); err != nil {
		return nil, err
	}
	return s.plan(id)
}
