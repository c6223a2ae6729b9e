package httpapi

import (
	"errors"
	"html"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"parecon/councils"
)

// pages serves the tree of web pages: its files, "/" as index.html, and
// nothing else. A directory is not listed (it is not found), and a path
// that names no file is a 404: in the JSON error shape, except for a
// browser asking for a page (Accept: text/html), which gets a short page
// saying so with a link to the start page.
type pages struct {
	root  fs.FS
	files http.Handler
}

func newPages(root fs.FS) *pages {
	return &pages{root: root, files: http.FileServerFS(root)}
}

// serve is the echo handler of GET and HEAD /*.
func (p *pages) serve(c echo.Context) error {
	r := c.Request()
	name := path.Clean("/" + r.URL.Path)
	if name == "/" {
		p.files.ServeHTTP(c.Response(), r)
		return nil
	}
	fi, err := fs.Stat(p.root, strings.TrimPrefix(name, "/"))
	switch {
	case errors.Is(err, fs.ErrNotExist), err == nil && fi.IsDir(), strings.HasSuffix(r.URL.Path, "/"):
		return p.notFound(c, name)
	case err != nil:
		return councils.InternalError(err)
	}
	p.files.ServeHTTP(c.Response(), r)
	return nil
}

// notFound answers a path that is no page.
func (p *pages) notFound(c echo.Context, name string) error {
	accept := c.Request().Header.Get("Accept")
	if strings.Contains(accept, "text/html") && !strings.HasPrefix(name, "/api/") {
		body := "<!doctype html><meta charset=utf-8><title>Not found</title>" +
			"<p>There is no page " + html.EscapeString(name) + " here. <a href=\"/\">Start page</a></p>\n"
		return c.HTML(http.StatusNotFound, body)
	}
	return councils.Errorf(councils.NotFound, "", "no page or endpoint %s", name)
}

// fallback answers what no route of e takes: a path some route has with
// another method is 405 method_not_allowed (with Allow); else GET and
// HEAD outside /api/ are the pages' (when pg is not nil); else 404.
func fallback(e *echo.Echo, pg *pages) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if allow := allowedMethods(e, r.URL.Path); len(allow) > 0 {
			c.Response().Header().Set("Allow", strings.Join(allow, ", "))
			return councils.Errorf(MethodNotAllowed, "", "%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allow, ", "))
		}
		name := path.Clean("/" + r.URL.Path)
		if pg != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			if strings.HasPrefix(name+"/", "/api/") {
				return pg.notFound(c, name)
			}
			return pg.serve(c)
		}
		return councils.Errorf(councils.NotFound, "", "no endpoint %s %s", r.Method, name)
	}
}

// allowedMethods returns the methods of e's routes (but the catch-all)
// whose pattern matches urlPath, sorted.
func allowedMethods(e *echo.Echo, urlPath string) []string {
	segs := splitPath(urlPath)
	seen := map[string]bool{}
	for _, rt := range e.Routes() {
		if rt.Path == "/*" || rt.Method == echo.RouteNotFound || !patternMatches(rt.Path, segs) {
			continue
		}
		seen[rt.Method] = true
	}
	out := make([]string, 0, len(seen))
	for m := range seen {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// splitPath returns a path's segments, without the leading and trailing
// slashes.
func splitPath(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

// patternMatches reports whether an echo route pattern (":name" is one
// segment) matches the path's segments.
func patternMatches(pattern string, segs []string) bool {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	if len(ps) != len(segs) {
		return false
	}
	for i, p := range ps {
		if !strings.HasPrefix(p, ":") && p != segs[i] {
			return false
		}
		if strings.HasPrefix(p, ":") && segs[i] == "" {
			return false
		}
	}
	return true
}
