package httpapi

import (
	"github.com/labstack/echo/v4"

	"parecon/councils"
	"parecon/internal/live"
)

// websocket answers GET /ws?plan=ID: it authenticates the token (header or
// ?token=) before upgrading (401/403 as JSON), registers the connection
// with its snapshot and serves its frames until it ends.
func (a *api) websocket(c echo.Context) error {
	id := c.QueryParam("plan")
	if id == "" {
		return councils.Errorf(councils.Invalid, "plan", "the plan query parameter is required")
	}
	who, err := a.principal(c, id, live.Everyone...)
	if err != nil {
		return err
	}
	if cerr := a.svc.Check(who, id); cerr != nil {
		return cerr
	}
	conn, err := a.upgrader.Upgrade(c.Response(), c.Request(), nil)
	if err != nil {
		return nil // the upgrader has answered
	}
	h := a.svc.Hub()
	client := h.NewClient(conn, who.Plan, who.Role, who.Council)
	if cerr := a.svc.Connect(who, client); cerr != nil {
		conn.Close()
		return nil
	}
	client.Serve(c.Request().Context(), a.svc, a.log)
	return nil
}
