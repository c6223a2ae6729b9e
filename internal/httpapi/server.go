// Package httpapi is the HTTP face of parecon serve (echo v4): the JSON API
// of protocol.md and its documented extensions, the websocket endpoint,
// and the embedded web pages. One handler per file; errors take the shape
// {"error": {"code", "message", "field"}} with the status their kind maps
// to (errors.go), and internal causes go to the log only.
package httpapi

import (
	"io/fs"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"parecon/internal/live"
)

// Options configures the API.
type Options struct {
	// MaxScenarioBytes bounds the body of POST /api/plans (default 16 MiB).
	MaxScenarioBytes int64
	// MaxBodyBytes bounds every other body (default 64 KiB).
	MaxBodyBytes int64
	// Static is the tree of web pages mounted at "/"; nil serves none.
	Static fs.FS
	// AdminToken, when set, is required (as a bearer token) to create a
	// plan; otherwise anyone may.
	AdminToken string
	// AllowedOrigins are the origins (scheme://host[:port], see
	// ParseOrigins) besides the server's own whose pages may send
	// state-changing requests and open websockets.
	AllowedOrigins []string
	// CreatePerMinute and CreateBurst bound how many plans one client
	// address creates: a token bucket of CreateBurst refilled at
	// CreatePerMinute (defaults 10 and 10; a negative rate: no limit).
	CreatePerMinute float64
	CreateBurst     int
	// MaxPlans is the most plans the server holds (0 = no quota).
	MaxPlans int
	// TrustedProxies are the networks whose X-Forwarded-For names the
	// client (for the rate limit); from anywhere else the remote address
	// does.
	TrustedProxies []*net.IPNet
}

// The defaults of Options.
const (
	DefaultMaxScenarioBytes = 16 << 20
	DefaultMaxBodyBytes     = 64 << 10
	DefaultCreatePerMinute  = 10
	DefaultCreateBurst      = 10
)

// api holds what the handlers need.
type api struct {
	svc      *live.Service
	log      *slog.Logger
	opt      Options
	upgrader websocket.Upgrader
	probe    *prober
}

// New returns the echo server for svc: the routes of protocol.md (GET
// routes answer HEAD too), behind the guards of docs/security.md.
func New(svc *live.Service, log *slog.Logger, opt Options) *echo.Echo {
	if log == nil {
		log = slog.Default()
	}
	if opt.MaxScenarioBytes <= 0 {
		opt.MaxScenarioBytes = DefaultMaxScenarioBytes
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opt.CreatePerMinute == 0 {
		opt.CreatePerMinute = DefaultCreatePerMinute
	}
	if opt.CreateBurst <= 0 {
		opt.CreateBurst = DefaultCreateBurst
	}
	guard := newSameSite(opt.AllowedOrigins, log)
	// Small read buffers and pooled write buffers: a connection that is
	// not being written to holds no write buffer, which is most of the
	// memory of ten thousand idle councils.
	a := &api{svc: svc, log: log, opt: opt, probe: &prober{st: svc.Store()}, upgrader: websocket.Upgrader{
		ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}, HandshakeTimeout: 10 * time.Second,
		CheckOrigin: guard.checkOrigin,
	}}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = a.errorHandler
	if len(opt.TrustedProxies) > 0 {
		trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range opt.TrustedProxies {
			trust = append(trust, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.Use(a.logRequests, guard.middleware)
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.GET(path, h, m...)
		e.HEAD(path, h, m...)
	}
	create := []echo.MiddlewareFunc{(&quota{max: opt.MaxPlans, count: func() int { return len(svc.List().Plans) }}).middleware}
	if opt.CreatePerMinute > 0 {
		create = append([]echo.MiddlewareFunc{newLimiter(opt.CreatePerMinute, opt.CreateBurst, nil).limit("plans created")}, create...)
	}
	get("/healthz", a.health)
	get("/api/examples", a.listExamples)
	get("/api/plans", a.listPlansPage)
	e.POST("/api/plans", a.createPlan, create...)
	get("/api/plans/:id", a.getPlan, a.authenticate)
	get("/api/plans/:id/rounds", a.getRounds, a.authenticate)
	get("/api/plans/:id/rounds.csv", a.getRoundsCSV, a.authenticate)
	get("/api/plans/:id/federations", a.getFederations, a.authenticate)
	get("/api/plans/:id/federations.csv", a.getFederationsCSV, a.authenticate)
	e.POST("/api/plans/:id/rounds/close", a.closeRound, a.authenticate)
	get("/api/plans/:id/rounds/:n/proof", a.getProof, a.authenticate)
	get("/api/plans/:id/roots", a.getRoots, a.authenticate)
	get("/api/plans/:id/proposals", a.getProposals, a.authenticate)
	get("/api/plans/:id/audit", a.getAudit, a.authenticate)
	e.PATCH("/api/plans/:id/settings", a.patchSettings, a.authenticate)
	e.POST("/api/plans/:id/restart", a.restartPlan, append(create[:len(create):len(create)], a.authenticate)...)
	e.GET("/ws", a.websocket, a.authenticate)
	var pg *pages
	if opt.Static != nil {
		pg = newPages(opt.Static)
	}
	e.Any("/*", fallback(e, pg))
	return e
}

// logRequests logs each request: method, path (never the query, which may
// hold a token), status and duration.
func (a *api) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		a.log.Debug("http", "method", c.Request().Method, "path", c.Request().URL.Path, "status", c.Response().Status, "ms", time.Since(start).Milliseconds())
		return nil
	}
}
