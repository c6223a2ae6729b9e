package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"parecon/internal/examples"
)

// TestRunJSONCommons checks that run --json adds levy, fund and commons to
// every history row of a commons plan, that the last row's agree with
// commons-small's expected answer, and that a version-1 plan has none.
func TestRunJSONCommons(t *testing.T) {
	type row struct {
		Round   int
		Levy    *float64
		Fund    *float64
		Commons map[string]float64
	}
	var out struct {
		Converged bool
		Levy      *float64
		Fund      *float64
		Commons   map[string]float64
		History   []row
	}
	code, stdout, stderr := parecon(t, "run", "--json", "--tolerance", "1e-6", "--example", "commons-small")
	if code != 0 {
		t.Fatalf("status %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	for _, r := range out.History {
		if r.Levy == nil || r.Fund == nil || r.Commons["design"] <= 0 {
			t.Errorf("history row %d: levy %v fund %v commons %v", r.Round, r.Levy, r.Fund, r.Commons)
		}
	}
	if len(out.History) == 0 || out.History[0].Commons["design"] != 10 {
		t.Errorf("round 0's K should be the stock, 10: %+v", out.History)
	}
	var want struct {
		Levy    float64
		Fund    float64
		Commons map[string]float64
	}
	b, _ := examples.Expected("commons-small")
	json.Unmarshal(b, &want)
	if out.Levy == nil || *out.Levy != want.Levy || math.Abs(*out.Fund-want.Fund) > 1e-4*want.Fund ||
		math.Abs(out.Commons["design"]-want.Commons["design"]) > 1e-4*want.Commons["design"] {
		t.Errorf("levy %v fund %v commons %v, want %+v", out.Levy, out.Fund, out.Commons, want)
	}
	_, v1, _ := parecon(t, "run", "--json", "--example", "bread-and-land")
	for _, f := range []string{`"levy"`, `"fund"`, `"commons"`} {
		if strings.Contains(v1, f) {
			t.Errorf("a version-1 plan's output has %s", f)
		}
	}
}
