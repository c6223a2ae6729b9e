package httpapi

import (
	"errors"

	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/live"
)

// websocket answers GET /ws?plan=ID: it authenticates the token (header or
// ?token=) before upgrading (401/403 as JSON), registers the connection
// with its snapshot and serves its frames until it ends. A token over its
// connection cap is upgraded and closed at once with 1008 and a reason.
func (a *api) websocket(c echo.Context) error {
	id := c.QueryParam("plan")
	if id == "" {
		return councils.Errorf(councils.Invalid, "plan", "the plan query parameter is required")
	}
	ctx := c.Request().Context()
	who, err := a.authenticated(c)
	if err != nil {
		return err
	}
	if err := a.svc.Check(who, id); err != nil {
		return err
	}
	conn, err := a.upgrader.Upgrade(c.Response(), c.Request(), nil)
	if err != nil {
		return nil // the upgrader has answered
	}
	h := a.svc.Hub()
	client := h.NewClient(conn, who.Plan, who.Role, who.Council)
	if err := a.svc.Connect(ctx, who, client); err != nil {
		var over *live.TooManyConns
		if errors.As(err, &over) {
			hub.CloseWith(conn, live.CloseTooManyConns, "too many connections for this token")
		} else {
			conn.Close()
		}
		return nil
	}
	defer a.svc.Disconnect(who)
	client.Serve(ctx, a.svc, a.log)
	return nil
}
