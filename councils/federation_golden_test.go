package councils

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden/federation-city.trace")

// TestFederationCityGolden pairs the default rule's run of federation-city
// (tolerance 1e-6) with testdata/golden/federation-city.trace: per round
// the max gap (2 significant digits, or <1e-9) and each federation's
// budget and requests (4 significant digits). TestFederationCity checks
// the same run against the independently solved prices; this one catches
// any change in how it gets there. Regenerate with go test ./councils
// -run TestFederationCityGolden -update.
func TestFederationCityGolden(t *testing.T) {
	e, err := loadExample(t, "federation-city")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(e, RunOptions{Tolerance: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "# federation-city under %s, tolerance 1e-6: round, max gap; then per federation: budget, requests\n", res.Rule)
	for _, r := range res.Board.Rounds() {
		if !r.Closed {
			continue
		}
		if r.MaxGap < 1e-9 {
			fmt.Fprintf(&sb, "%d <1e-9\n", r.Number)
		} else {
			fmt.Fprintf(&sb, "%d %.1e\n", r.Number, r.MaxGap)
		}
		for i, f := range e.Federations {
			b, req := e.Collective(r, i)
			fmt.Fprintf(&sb, "  %s %.4g", f.ID, b)
			for _, g := range sortedGoods(req) {
				fmt.Fprintf(&sb, " %s=%.4g", g, req[g])
			}
			sb.WriteString("\n")
		}
	}
	path := filepath.Join("..", "testdata", "golden", "federation-city.trace")
	if *updateGolden {
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./councils -run TestFederationCityGolden -update to write it)", err)
	}
	if string(want) != sb.String() {
		t.Errorf("trace differs from %s:\n got:\n%s\nwant:\n%s", path, sb.String(), want)
	}
}
