// Package static holds the web pages served by `parecon serve`: the start
// page, the council, facilitator and observer pages, their CSS and
// JavaScript, and the vendored chart library (see vendor/update.sh).
package static

import "embed"

// FS is the tree of files mounted at "/" by the server.
//
//go:embed *.html css js vendor/uplot
var FS embed.FS
