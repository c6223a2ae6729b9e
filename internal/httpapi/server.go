// Package httpapi is the HTTP face of parecon serve (echo v4): the JSON API
// of protocol.md and its documented extensions, the websocket endpoint,
// and the embedded web pages. One handler per file; errors take the shape
// {"error": {"code", "message", "field"}} with the status their kind maps
// to (errors.go), and internal causes go to the log only.
package httpapi

import (
	"io/fs"
	"log/slog"
	"net/http"
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
}

// api holds what the handlers need.
type api struct {
	svc      *live.Service
	log      *slog.Logger
	opt      Options
	upgrader websocket.Upgrader
}

// New returns the echo server for svc.
func New(svc *live.Service, log *slog.Logger, opt Options) *echo.Echo {
	if log == nil {
		log = slog.Default()
	}
	if opt.MaxScenarioBytes <= 0 {
		opt.MaxScenarioBytes = 16 << 20
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 64 << 10
	}
	// Small read buffers and pooled write buffers: a connection that is
	// not being written to holds no write buffer, which is most of the
	// memory of ten thousand idle councils.
	a := &api{svc: svc, log: log, opt: opt, upgrader: websocket.Upgrader{
		ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}, HandshakeTimeout: 10 * time.Second,
	}}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = a.errorHandler
	e.Use(a.logRequests)
	e.GET("/healthz", a.health)
	e.GET("/api/examples", a.listExamples)
	e.GET("/api/plans", a.listPlans)
	e.POST("/api/plans", a.createPlan)
	e.GET("/api/plans/:id", a.getPlan)
	e.GET("/api/plans/:id/rounds", a.getRounds)
	e.GET("/api/plans/:id/rounds.csv", a.getRoundsCSV)
	e.POST("/api/plans/:id/rounds/close", a.closeRound)
	e.GET("/api/plans/:id/proposals", a.getProposals)
	e.GET("/api/plans/:id/audit", a.getAudit)
	e.PATCH("/api/plans/:id/settings", a.patchSettings)
	e.GET("/ws", a.websocket)
	if opt.Static != nil {
		files := http.FileServerFS(opt.Static)
		e.GET("/*", echo.WrapHandler(files))
	}
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
