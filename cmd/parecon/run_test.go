package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parecon runs the command in-process and returns its status and output.
func parecon(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunBadScenario(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"goods":[{"id":"labor","kind":"labor"},{"id":"bread","kind":"produced"}],
"councils":[{"id":"w","type":"worker","output":"bread","scale":1,"inputs":{"labor":0.5,"land":0.3}},
{"id":"c","type":"consumer","members":1,"weights":{"bread":0.9}}]}`), 0o644)
	code, _, stderr := parecon(t, "run", bad)
	if code != 2 {
		t.Fatalf("status %d, want 2", code)
	}
	for _, want := range []string{`councils[0].inputs.land: unknown good "land"`, `councils[1].weights: the weights sum to 0.9`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := strings.Count(strings.TrimSpace(stderr), "\n") + 1; n != 2 {
		t.Errorf("%d lines, want one per problem:\n%s", n, stderr)
	}
	os.WriteFile(bad, []byte("{\n  \"goods\": [,]\n}"), 0o644)
	if code, _, stderr := parecon(t, "run", bad); code != 2 || !strings.Contains(stderr, "line 2, column 13: malformed JSON") {
		t.Errorf("malformed: status %d, stderr %q", code, stderr)
	}
	if code, _, stderr := parecon(t, "run", filepath.Join(dir, "missing.json")); code != 2 || stderr == "" {
		t.Errorf("missing file: status %d, stderr %q", code, stderr)
	}
	if code, _, _ := parecon(t, "run", "--example", "nope"); code != 2 {
		t.Errorf("unknown example: status %d", code)
	}
}

func TestRunJSON(t *testing.T) {
	code, stdout, stderr := parecon(t, "run", "--json", "--rule", "tatonnement", "--tolerance", "1e-6", "--example", "fisher-small")
	if code != 0 {
		t.Fatalf("status %d: %s", code, stderr)
	}
	var out runOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if !out.Converged || out.Rule != "tatonnement" || out.Rounds != len(out.History) || out.MaxGap > 1e-6 {
		t.Errorf("converged %v rule %s rounds %d history %d max gap %v", out.Converged, out.Rule, out.Rounds, len(out.History), out.MaxGap)
	}
	for i, h := range out.History {
		if h.Round != i || len(h.Prices) != 4 || h.Ms < 0 {
			t.Fatalf("history row %d: %+v", i, h)
		}
	}
	if len(out.Prices) != 4 || len(out.Supply) != 4 || len(out.Demand) != 4 {
		t.Errorf("final maps: %+v", out)
	}
}

func TestRunDivergesCleanly(t *testing.T) {
	// Tâtonnement with a huge step overflows the prices: the run stops as
	// diverged, exit 1, and the JSON holds no NaN or Inf.
	code, stdout, stderr := parecon(t, "run", "--json", "--rule", "tatonnement", "--step", "400", "--max-rounds", "500", "--example", "economy-12")
	if code != 1 {
		t.Fatalf("status %d, want 1: %s", code, stderr)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("output is not JSON (NaN or Inf?): %v", err)
	}
	if out["diverged"] != true || out["converged"] != false {
		t.Errorf("diverged %v converged %v", out["diverged"], out["converged"])
	}
}

func TestRunLog(t *testing.T) {
	code, stdout, _ := parecon(t, "run", "--rule", "tatonnement", "--example", "fisher-small")
	if code != 0 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{"round", "max gap", "worst good", "converged in", "r0 (numéraire)", "supply", "demand"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("log lacks %q:\n%s", want, stdout)
		}
	}
}

func TestGenIsValidAndDeterministic(t *testing.T) {
	for _, args := range [][]string{
		{"--goods", "10", "--councils", "30", "--seed", "1"},
		{"--goods", "25", "--councils", "80", "--seed", "2", "--ces"},
	} {
		_, a, errA := parecon(t, append([]string{"gen"}, args...)...)
		_, b, _ := parecon(t, append([]string{"gen"}, args...)...)
		if a == "" || a != b {
			t.Fatalf("gen %v: not deterministic or empty (%s)", args, errA)
		}
		f := filepath.Join(t.TempDir(), "g.json")
		os.WriteFile(f, []byte(a), 0o644)
		if code, _, stderr := parecon(t, "run", "--max-rounds", "1", f); code == 2 {
			t.Errorf("gen %v wrote a bad scenario: %s", args, stderr)
		}
	}
}

// TestRunOutOfBounds checks that parecon run refuses a scenario with a
// number beyond the engine's bounds, exit 2 naming the field, and that a
// scenario within them whose totals overflow stops cleanly (exit 1) with
// the reason.
func TestRunOutOfBounds(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "big.json")
	os.WriteFile(f, []byte(`{"goods":[{"id":"labor","kind":"labor"},{"id":"bread","kind":"produced","price":1e300}],
"councils":[{"id":"w","type":"worker","output":"bread","scale":1,"inputs":{"labor":0.5}},
{"id":"c","type":"consumer","members":1e200,"weights":{"bread":1}}]}`), 0o644)
	code, _, stderr := parecon(t, "run", f)
	if code != 2 {
		t.Fatalf("status %d, want 2", code)
	}
	for _, want := range []string{"goods[1].price: 1e+300 is outside [1e-12, 1e+12]", "councils[1].members: 1e+200 is above 1e+12"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	os.WriteFile(f, []byte(`{"goods":[{"id":"labor","kind":"labor"},{"id":"bread","kind":"produced"}],
"councils":[{"id":"w","type":"worker","output":"bread","scale":1e6,"inputs":{"labor":0.999}},
{"id":"c","type":"consumer","members":10,"weights":{"bread":1}}]}`), 0o644)
	code, stdout, _ := parecon(t, "run", "--json", f)
	var out struct {
		Converged, Diverged bool
		Rounds              int
		Reason              string
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if code != 1 || !out.Diverged || out.Converged || out.Rounds != 1 || !strings.Contains(out.Reason, "totals diverged: round 0's supply of labor is 10 and its demand +Inf") {
		t.Errorf("overflowing totals: status %d, %+v", code, out)
	}
}

// TestRunFloor checks that run reports the rounding floor: absent where no
// council rounds, and for economy-12-people (councils that round to 3
// figures) a floor in JSON and in the summary, with the tolerance that is
// within reach when the plan's is below it; and that a plan with that
// tolerance converges.
func TestRunFloor(t *testing.T) {
	floor := func(example string, tol string) (float64, int) {
		code, stdout, stderr := parecon(t, "run", "--json", "--tolerance", tol, "--max-rounds", "40", "--example", example)
		if code > 1 {
			t.Fatalf("status %d: %s", code, stderr)
		}
		var out runOutput
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatal(err)
		}
		return out.Floor, code
	}
	if f, _ := floor("economy-12", "1e-6"); f != 0 {
		t.Errorf("economy-12: floor %g, want none", f)
	}
	f, code := floor("economy-12-people", "1e-6")
	if !(f > 1e-4 && f < 1e-2) || code != 1 {
		t.Fatalf("economy-12-people: floor %g, status %d; want a floor of 3 figures' rounding and a plan that cannot reach 1e-6", f, code)
	}
	_, stdout, _ := parecon(t, "run", "--tolerance", "1e-6", "--max-rounds", "40", "--example", "economy-12-people")
	if !strings.Contains(stdout, "rounding floor: ") || !strings.Contains(stdout, "is within reach") {
		t.Errorf("summary lacks the floor:\n%s", stdout)
	}
	if _, code := floor("economy-12-people", fmt.Sprint(1.25*f)); code != 0 {
		t.Errorf("economy-12-people: a plan with tolerance 1.25 × floor (%g) did not converge in 40 rounds", 1.25*f)
	}
}
