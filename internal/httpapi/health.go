package httpapi

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/store"
)

// probeEvery is how often /healthz writes to the database at most; in
// between it answers with the last probe's result.
const probeEvery = time.Second

// prober runs the database's write probe at most once a probeEvery, so
// that a flood of /healthz costs no more than one commit a second.
type prober struct {
	st *store.Store

	mu   sync.Mutex
	at   time.Time
	last error
}

// check returns the last probe's result, probing again if it is older
// than probeEvery.
func (p *prober) check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() && time.Since(p.at) < probeEvery {
		return p.last
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	p.last, p.at = p.st.Probe(ctx), time.Now()
	return p.last
}

// health answers GET /healthz: 200 {"ok":true} when the database takes a
// write; 503 unavailable (507 when it is full) in the error shape when it
// is read-only, full, failing or closed, so that a load balancer or a
// supervisor takes the server out of service.
func (a *api) health(c echo.Context) error {
	if err := a.probe.check(c.Request().Context()); err != nil {
		e := classify(councils.InternalError(err))
		if e.Kind == councils.Internal {
			e = &councils.Error{Kind: councils.Unavailable, Message: "the database does not take writes", Err: err}
		}
		return e
	}
	return c.JSON(http.StatusOK, map[string]bool{"ok": true})
}
