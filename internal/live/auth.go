package live

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"

	"parecon/councils"
	"parecon/internal/store"
)

// The roles a token grants.
const (
	RoleFacilitator = "facilitator"
	RoleCouncil     = "council"
	RoleObserver    = "observer"
)

// Principal is who holds a token: a role in one plan, and for a council
// token, which council.
type Principal struct {
	Plan    string
	Role    string
	Council string
}

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

// Authenticate returns who holds token: an unauthorized Error when the
// token is missing or unknown.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, *councils.Error) {
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

// Authorize checks that pr may act on plan in one of roles: a forbidden
// Error for another plan or another role.
func (pr Principal) Authorize(plan string, roles ...string) *councils.Error {
	if pr.Plan != plan {
		return councils.Errorf(councils.Forbidden, "", "this token is for another plan")
	}
	for _, r := range roles {
		if pr.Role == r {
			return nil
		}
	}
	return councils.Errorf(councils.Forbidden, "", "a %s may not do this", pr.Role)
}

// Everyone is the roles that may read a plan's aggregates.
var Everyone = []string{RoleFacilitator, RoleCouncil, RoleObserver}
