package httpapi

import (
	"math"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"parecon/councils"
)

// maxBuckets bounds the clients a limiter remembers at once; full buckets
// are forgotten first.
const maxBuckets = 1 << 16

// limiter is a token bucket per client: each holds up to burst tokens,
// refilled at rate a second; a request takes one or is refused.
type limiter struct {
	rate, burst float64
	now         func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newLimiter returns a limiter of perMinute requests a minute, burst at
// once, per client.
func newLimiter(perMinute float64, burst int, now func() time.Time) *limiter {
	if now == nil {
		now = time.Now
	}
	return &limiter{rate: perMinute / 60, burst: float64(max(burst, 1)), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket; when there is none it returns
// false and how long until there is.
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		if len(l.buckets) >= maxBuckets {
			return false, time.Minute // too many clients at once: nobody new
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if l.rate <= 0 {
		return false, time.Hour
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// prune forgets the buckets that have refilled: they are as a new
// client's.
func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// clientKey is the rate limit's key for a client address: the address
// itself for IPv4, its /64 for IPv6 (one host usually holds a /64).
func clientKey(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// limit is middleware refusing a client (by c.RealIP(): the remote
// address, or X-Forwarded-For from a trusted proxy) over l's rate: 429
// rate_limited with Retry-After.
func (l *limiter) limit(what string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ok, wait := l.allow(clientKey(c.RealIP()))
			if !ok {
				secs := int(math.Ceil(wait.Seconds()))
				c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
				return councils.Errorf(RateLimited, "", "too many %s from your address: try again in %d s", what, secs)
			}
			return next(c)
		}
	}
}

// quota is middleware refusing to create a plan when the server holds
// max already (counting those being created): 507 insufficient_storage.
type quota struct {
	max   int
	count func() int

	mu       sync.Mutex
	creating int
}

func (q *quota) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if q.max <= 0 {
			return next(c)
		}
		q.mu.Lock()
		if q.count()+q.creating >= q.max {
			q.mu.Unlock()
			return councils.Errorf(councils.InsufficientStorage, "", "this server holds its maximum of %d plans (--max-plans)", q.max)
		}
		q.creating++
		q.mu.Unlock()
		defer func() {
			q.mu.Lock()
			q.creating--
			q.mu.Unlock()
		}()
		return next(c)
	}
}
