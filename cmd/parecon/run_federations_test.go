package main

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// TestRunFederationCity runs the bundled federation-city economy with
// --tolerance 1e-6: it converges to its independently solved prices
// within 1e-4, and every history row carries each federation's budget and
// requests, the collective budget spent at the round's prices (the
// simulated federations are Cobb–Douglas or CES, spending it all).
func TestRunFederationCity(t *testing.T) {
	code, stdout, stderr := parecon(t, "run", "--json", "--tolerance", "1e-6", "--example", "federation-city")
	if code != 0 {
		t.Fatalf("status %d: %s", code, stderr)
	}
	var out runOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../internal/examples/scenarios/federation-city.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct{ Prices map[string]float64 }
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	for g, w := range want.Prices {
		if got := out.Prices[g]; math.Abs(got-w) > 1e-4*w {
			t.Errorf("price of %s: %v, want %v", g, got, w)
		}
	}
	for _, h := range out.History {
		if len(h.Federations) != 4 {
			t.Fatalf("round %d: federations %v, want 4", h.Round, h.Federations)
		}
		if u := h.Federations["utilities"]; u.Budget != 0 || len(u.Requests) != 0 {
			t.Errorf("round %d: utilities has no levy but %+v", h.Round, u)
		}
		for id, f := range h.Federations {
			spent := 0.0
			for g, x := range f.Requests {
				spent += x * h.Prices[g]
			}
			if math.Abs(spent-f.Budget) > 1e-9*f.Budget {
				t.Errorf("round %d: %s spends %v of %v", h.Round, id, spent, f.Budget)
			}
		}
	}
	// The budgets are in the levies' proportions: city 4% of all, the
	// wards 2% and 3% of theirs.
	last := out.History[len(out.History)-1].Federations
	if r := last["city"].Budget / (last["ward-east"].Budget/0.02 + last["ward-west"].Budget/0.03); math.Abs(r-0.04) > 1e-12 {
		t.Errorf("city's budget is %v of its wards' incomes, want 0.04", r)
	}
	// A scenario without federations prints none.
	_, plain, _ := parecon(t, "run", "--json", "--example", "fisher-small")
	if strings.Contains(plain, `"federations"`) {
		t.Error("fisher-small's history has federations")
	}
}

// TestGenFederations: gen --federations W writes a scenario with a city
// of W wards that run --json plays with a federations column.
func TestGenFederations(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/fed.json"
	if code, _, stderr := parecon(t, "gen", "--goods", "4", "--councils", "12", "--seed", "3", "--federations", "2", "-o", path); code != 0 {
		t.Fatalf("gen: %d %s", code, stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sc struct {
		Federations []struct{ ID, Parent string }
	}
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatal(err)
	}
	wards := 0
	for _, f := range sc.Federations {
		if f.Parent == "city" {
			wards++
		}
	}
	if len(sc.Federations) < 5 || sc.Federations[0].ID != "city" || wards != 2 {
		t.Errorf("federations: %+v", sc.Federations)
	}
	code, stdout, stderr := parecon(t, "run", "--json", "--tolerance", "1e-6", path)
	if code != 0 {
		t.Fatalf("run: %d %s", code, stderr)
	}
	var out runOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if h := out.History[len(out.History)-1]; len(h.Federations) != len(sc.Federations) || h.Federations["city"].Budget <= 0 {
		t.Errorf("last row's federations: %+v", h.Federations)
	}
}
