package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium returns the browser to drive. Without one the test skips, but
// under CI (CI set and not "false") it fails: CI must run these tests.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}
	if c := os.Getenv("PARECON_CHROMIUM"); c != "" {
		candidates = []string{c} // only the one asked for
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := "no chromium found (looked for " + strings.Join(candidates, ", ") + "); " +
		"install Debian's chromium (apt-get install chromium) to run the browser tests"
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatal("CI is set, so the browser tests must run: " + msg)
	}
	t.Skip(msg)
	return ""
}

var (
	buildOnce sync.Once
	buildBin  string
	buildErr  error
	buildDir  string
)

// parecon builds the parecon binary once per test run.
func parecon(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "parecon-browsertest-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "parecon")
		cmd := exec.Command("go", "build", "-o", buildBin, "parecon/cmd/parecon")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build parecon: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// server is a running `parecon serve`.
type server struct {
	URL    string
	Addr   string // host:port
	DB     string
	stderr *bytes.Buffer
	stop   func()
}

var listenRE = regexp.MustCompile(`^listening on (http://(\S+))`)

// serve starts `parecon serve --addr 127.0.0.1:0 --db DIR/parecon.db` and
// waits for its first stdout line, `listening on http://HOST:PORT`.
func serve(t *testing.T) *server {
	t.Helper()
	chromium(t) // skip (or fail under CI) before building anything
	return serveAt(t, "127.0.0.1:0", filepath.Join(t.TempDir(), "parecon.db"))
}

// serveAt starts `parecon serve` on addr with database db. Its stop
// method (also run at the end of the test) ends it with SIGTERM.
func serveAt(t *testing.T, addr, db string) *server {
	t.Helper()
	bin := parecon(t)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", db)
	cmd.Dir = filepath.Dir(db)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{DB: db, stderr: &bytes.Buffer{}}
	cmd.Stderr = &lockedWriter{w: s.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		})
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("parecon serve stderr:\n%s", s.stderr.String())
		}
	})
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		io.Copy(io.Discard, r)
	}()
	select {
	case line := <-lines:
		m := listenRE.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			t.Fatalf("parecon serve's first line is %q, want `listening on http://HOST:PORT`; stderr:\n%s", line, s.stderr)
		}
		s.URL = strings.TrimRight(m[1], "/")
		s.Addr = strings.TrimRight(m[2], "/")
	case <-done:
		t.Fatalf("parecon serve exited: %v\n%s", cmd.ProcessState, s.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("parecon serve printed nothing in 30 s; stderr:\n%s", s.stderr)
	}
	return s
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// call makes an HTTP request to the server and decodes the JSON answer
// into out (if not nil). It fails the test unless the status is want.
func (s *server) call(t *testing.T, method, path, token string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
}

// created is the answer to POST /api/plans.
type created struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitatorToken"`
	ObserverToken    string            `json:"observerToken"`
	CouncilTokens    map[string]string `json:"councilTokens"`
}

// testScenario has two human councils (a bakery with no model, a consumer
// council with no weights) next to two simulated ones.
const testScenario = `{
  "name": "browser-test",
  "numeraire": "labor",
  "goods": [
    {"id": "labor", "name": "Labour", "unit": "hour", "kind": "labor"},
    {"id": "land", "name": "Land", "unit": "hectare", "kind": "resource", "endowment": 100},
    {"id": "co2", "name": "CO2", "unit": "tonne", "kind": "pollutant", "endowment": 50},
    {"id": "bread", "name": "Bread", "unit": "loaf", "kind": "produced", "price": 2}
  ],
  "councils": [
    {"id": "bakery", "type": "worker"},
    {"id": "north", "type": "consumer", "members": 10, "hours": 40},
    {"id": "farm", "type": "worker", "output": "bread", "scale": 2,
     "inputs": {"labor": 0.5, "land": 0.3}, "emissions": {"co2": 0.1}},
    {"id": "south", "type": "consumer", "members": 5, "hours": 40,
     "weights": {"bread": 0.7, "land": 0.3}}
  ],
  "facilitation": {"tolerance": 0.01}
}`

func (s *server) newPlan(t *testing.T) created {
	t.Helper()
	var c created
	s.call(t, "POST", "/api/plans", "", json.RawMessage(testScenario), http.StatusCreated, &c)
	if c.ID == "" || c.FacilitatorToken == "" || c.ObserverToken == "" || c.CouncilTokens["north"] == "" || c.CouncilTokens["bakery"] == "" {
		t.Fatalf("POST /api/plans answered %+v", c)
	}
	return c
}

func (s *server) page(name, plan, token string) string {
	return s.URL + "/" + name + "#plan=" + plan + "&token=" + token
}

// tab is a browser tab: its chromedp context and the script exceptions
// thrown in it.
type tab struct {
	context.Context
	mu       sync.Mutex
	errs     []string // script exceptions
	requests []string // every URL the tab requested
	frames   []string // websocket text frames the tab received
}

func (tb *tab) exceptions() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.errs...)
}

func (tb *tab) urls() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.requests...)
}

// received returns the websocket frames of type typ the tab received, decoded.
func (tb *tab) received(typ string) []map[string]any {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []map[string]any
	for _, f := range tb.frames {
		var m map[string]any
		if json.Unmarshal([]byte(f), &m) == nil && m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

// receivedAtLeast returns the websocket frames of type typ the tab
// received once there are at least n of them, or what there is after five
// seconds. The page acts on a frame before the browser's report of it
// reaches the test (chromedp delivers events on its own goroutine), so a
// test that saw the page act must still wait for the report.
func (tb *tab) receivedAtLeast(typ string, n int) []map[string]any {
	deadline := time.Now().Add(5 * time.Second)
	for {
		out := tb.received(typ)
		if len(out) >= n || time.Now().After(deadline) {
			return out
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func newTab(t *testing.T, ctx context.Context, width, height int) *tab {
	t.Helper()
	tb := &tab{Context: ctx}
	exc := chromedp.Events(ctx, runtime.ExceptionThrown)
	reqs := chromedp.Events(ctx, network.RequestWillBeSent)
	wsreqs := chromedp.Events(ctx, network.WebSocketCreated)
	frames := chromedp.Events(ctx, network.WebSocketFrameReceived)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("starting the browser: %v", err)
	}
	go func() {
		for ev, err := range exc {
			if err != nil {
				return
			}
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			tb.mu.Lock()
			tb.errs = append(tb.errs, fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber+1, msg))
			tb.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range reqs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.requests = append(tb.requests, ev.Request.URL)
			tb.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range wsreqs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.requests = append(tb.requests, ev.URL)
			tb.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range frames {
			if err != nil {
				return
			}
			if ev.Response != nil && ev.Response.Opcode == 1 {
				tb.mu.Lock()
				tb.frames = append(tb.frames, string(ev.Response.PayloadData))
				tb.mu.Unlock()
			}
		}
	}()
	return tb
}

// browser starts chromium with a fresh profile and returns its first tab,
// which ends with the test. width and height set the viewport.
func browser(t *testing.T, width, height int) *tab {
	t.Helper()
	exe := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	opts = append(opts, browserFlags...)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	return newTab(t, ctx, width, height)
}

// another opens another tab in the same browser.
func (tb *tab) another(t *testing.T, width, height int) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(tb.Context)
	t.Cleanup(cancel)
	return newTab(t, ctx, width, height)
}

// timeout bounds one step of a test.
func timeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}

// do runs steps and fails the test with what on error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := timeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("%s: %v%s", what, err, pageState(ctx))
	}
}

// eval evaluates a JavaScript expression and returns its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	c, cancel := timeout(ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// wait polls a JavaScript expression until it is truthy and returns its value.
func wait[T any](t *testing.T, ctx context.Context, what, expr string) T {
	t.Helper()
	c, cancel := timeout(ctx, 20*time.Second)
	defer cancel()
	for {
		v, err := chromedp.Run(c, chromedp.Poll[T](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
		if err != nil && contextGone(err) && c.Err() == nil {
			// The page navigated while the poll ran (its JavaScript
			// context went with the old document): poll the new one.
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatalf("waiting for %s (%s): %v%s", what, expr, err, pageState(ctx))
		}
		return v
	}
}

// contextGone reports whether err says the page's JavaScript execution
// context was destroyed under an evaluation, as a navigation does.
func contextGone(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Execution context was destroyed")
}

// pageState describes the page for a failure message.
func pageState(ctx context.Context) string {
	c, cancel := timeout(ctx, 3*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Evaluate[string](`location.pathname + " — " + document.body.innerText.slice(0, 1500)`))
	if err != nil {
		return ""
	}
	return "\npage: " + s
}

// screenshot saves a full-page PNG of the tab into $PARECON_SCREENSHOTS,
// else into the test's temporary directory, and logs its path.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("PARECON_SCREENSHOTS")
	if dir == "" {
		dir = shotDir(t)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c, cancel := timeout(ctx, 20*time.Second)
	defer cancel()
	buf, err := chromedp.Run(c, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "-")+"-"+name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

var (
	shotMu   sync.Mutex
	shotDirs = map[string]string{}
)

// shotDir is one temporary directory per top-level test for its
// screenshots (removed with the test's other temporary files).
func shotDir(t *testing.T) string {
	shotMu.Lock()
	defer shotMu.Unlock()
	name := strings.SplitN(t.Name(), "/", 2)[0]
	if d, ok := shotDirs[name]; ok {
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	d := t.TempDir()
	shotDirs[name] = d
	return d
}

// browserLang is browser with the browser's language set (navigator.language).
func browserLang(t *testing.T, width, height int, lang string) *tab {
	t.Helper()
	browserFlags = append(browserFlags[:0:0], chromedp.Flag("lang", lang), chromedp.Flag("accept-lang", lang))
	defer func() { browserFlags = nil }()
	return browser(t, width, height)
}

// browserFlags are extra flags for the next browser (browserLang's).
var browserFlags []chromedp.ExecAllocatorOption

// checkPage checks what every page must do: load nothing from outside the
// server, label every control, and have no script errors on record.
func checkPage(t *testing.T, ctx *tab, base string) {
	t.Helper()
	wsBase := "ws" + strings.TrimPrefix(base, "http") + "/"
	var outside []string
	urls := append(ctx.urls(), eval[[]string](t, ctx, `performance.getEntriesByType('resource').map(e => e.name)`)...)
	for _, u := range urls {
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, wsBase) && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			outside = append(outside, u)
		}
	}
	if len(outside) > 0 {
		t.Errorf("the page loaded from outside the server: %v", outside)
	}
	unlabelled := eval[[]string](t, ctx, `[...document.querySelectorAll('input, select, textarea, button')]
		.filter(e => e.type !== 'hidden')
		.filter(e => !((e.labels && e.labels.length && [...e.labels].some(l => l.textContent.trim())) ||
			(e.getAttribute('aria-label') || '').trim() || e.getAttribute('aria-labelledby') ||
			(e.tagName === 'BUTTON' && e.textContent.trim())))
		.map(e => e.outerHTML.slice(0, 120))`)
	if len(unlabelled) > 0 {
		t.Errorf("controls without a label: %v", unlabelled)
	}
	lowContrast := eval[[]string](t, ctx, contrastJS)
	if len(lowContrast) > 0 {
		t.Errorf("text below WCAG AA contrast: %v", lowContrast)
	}
	if errs := ctx.exceptions(); len(errs) > 0 {
		t.Errorf("script errors on the page: %v", errs)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// contrastJS lists visible text whose contrast with its background is below
// WCAG AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). The
// background is the first ancestor's opaque background colour.
const contrastJS = `(() => {
	const rgb = (s) => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
	const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
	const bgOf = (e) => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a >= 0.99) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
	const out = [];
	for (const e of document.querySelectorAll('body *')) {
		if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
		if (e.closest('[hidden], .sr-only, button:disabled, option, script, style')) continue;
		const cs = getComputedStyle(e);
		if (cs.visibility === 'hidden' || cs.display === 'none' || e.getClientRects().length === 0) continue;
		const fg = rgb(cs.color), bg = bgOf(e);
		if (!fg) continue;
		const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
		const ratio = (a + 0.05) / (b + 0.05);
		const size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
		const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
		if (ratio < need) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + e.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
	}
	return out.slice(0, 20);
})()`
