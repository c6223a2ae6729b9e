package httpapi

import (
	"errors"
	"html"
	"io/fs"
	"net/http"
	"path"
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

// noRoute answers the /api paths that name no endpoint (404 in the JSON
// shape; echo answers a known path with the wrong method with 405).
func noRoute(c echo.Context) error {
	return councils.Errorf(councils.NotFound, "", "no endpoint %s %s", c.Request().Method, path.Clean("/"+c.Request().URL.Path))
}
