package static

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestVendoredChartLibraryMatchesLock checks, offline, that the committed
// uPlot files are the version package.json and package-lock.json name. The
// byte-for-byte check against the npm tarball (whose sha512 the lockfile
// pins) is `static/vendor/update.sh --check`, which CI runs; set
// PARECON_VENDOR_CHECK=1 to run it from this test too (needs npm and the
// registry).
func TestVendoredChartLibraryMatchesLock(t *testing.T) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	readJSON(t, "vendor/package.json", &pkg)
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	readJSON(t, "vendor/package-lock.json", &lock)
	want := pkg.Dependencies["uplot"]
	locked := lock.Packages["node_modules/uplot"]
	if want == "" || locked.Version != want {
		t.Fatalf("package.json wants uplot %q, package-lock.json has %q", want, locked.Version)
	}
	if !strings.HasPrefix(locked.Integrity, "sha512-") {
		t.Fatalf("package-lock.json has no sha512 integrity for uplot: %q", locked.Integrity)
	}
	ver, err := fs.ReadFile(FS, "vendor/uplot/VERSION")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(ver)); got != "uplot "+want {
		t.Errorf("vendor/uplot/VERSION says %q, want %q", got, "uplot "+want)
	}
	js, err := fs.ReadFile(FS, "vendor/uplot/uPlot.iife.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js[:min(len(js), 200)]), "(v"+want+")") {
		t.Errorf("uPlot.iife.min.js header does not name v%s: %.80q", want, js)
	}
	if _, err := fs.ReadFile(FS, "vendor/uplot/uPlot.min.css"); err != nil {
		t.Error(err)
	}
	if os.Getenv("PARECON_VENDOR_CHECK") == "1" {
		out, err := exec.Command("sh", "vendor/update.sh", "--check").CombinedOutput()
		if err != nil {
			t.Fatalf("vendor/update.sh --check: %v\n%s", err, out)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
