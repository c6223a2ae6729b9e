package httpapi

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"parecon/councils"
)

// ParseOrigins checks a comma-separated list of origins for
// --allowed-origins: each is scheme://host[:port], nothing more. It
// returns them normalised (lower case, no trailing slash).
func ParseOrigins(list string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(list, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("origin %q: want scheme://host[:port], such as https://plans.example.org", o)
		}
		out = append(out, strings.ToLower(u.Scheme+"://"+u.Host))
	}
	return out, nil
}

// sameSite refuses, on every route, a state-changing request (any method
// but GET, HEAD and OPTIONS) that a browser sent from another site, and
// one whose body is not JSON.
//
// Cross-site: net/http's CrossOriginProtection reads Sec-Fetch-Site, else
// compares Origin with Host; a request with neither (curl, scripts) is
// not a browser's and passes, and the origins of --allowed-origins pass.
// Refused: 403 forbidden. A page of another site can send a POST with a
// text/plain or form body without asking first (no CORS preflight), so
// the body's type is checked as well: a request with a body must say
// Content-Type: application/json (415 unsupported_media_type otherwise).
type sameSite struct {
	cop     *http.CrossOriginProtection
	trusted map[string]bool // the allowed origins, for websockets
}

// newSameSite returns the guard trusting the origins allowed (invalid
// ones are logged and ignored: ParseOrigins checks them first).
func newSameSite(allowed []string, log *slog.Logger) *sameSite {
	s := &sameSite{cop: http.NewCrossOriginProtection(), trusted: map[string]bool{}}
	for _, o := range allowed {
		if err := s.cop.AddTrustedOrigin(o); err != nil {
			log.Warn("ignoring an allowed origin", "origin", o, "err", err)
			continue
		}
		s.trusted[o] = true
	}
	return s
}

// middleware is the guard as echo middleware.
func (s *sameSite) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if err := s.cop.Check(r); err != nil {
			origin := r.Header.Get("Origin")
			if origin == "" {
				origin = "another site"
			}
			return councils.Errorf(councils.Forbidden, "", "cross-site request refused: %s is not this server's origin; a page elsewhere may not change plans here (the server's --allowed-origins lists the exceptions)", origin)
		}
		if safeMethod(r.Method) || r.ContentLength == 0 {
			return next(c)
		}
		ct := r.Header.Get("Content-Type")
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			if ct == "" {
				ct = "none"
			}
			return councils.Errorf(UnsupportedMediaType, "", "the body must be JSON sent as Content-Type: application/json (got %s)", ct)
		}
		return next(c)
	}
}

// checkOrigin is the websocket upgrader's origin check: no Origin (not a
// browser), the server's own, or an allowed one.
func (s *sameSite) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Host, r.Host) || s.trusted[origin]
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
