package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parecon/councils"
)

// TestGenPeople checks gen's behaviour flags: each share gives some
// councils its field and none outside it, the same seed the same crowd,
// a bad share exit 2 naming the flag, and --help documents them.
func TestGenPeople(t *testing.T) {
	tests := []struct {
		flag  string
		field func(c *councils.CouncilSpec) bool
	}{
		{"--substitution", func(c *councils.CouncilSpec) bool { return c.Substitution != 0 }},
		{"--subsistence", func(c *councils.CouncilSpec) bool { return c.Subsistence != nil }},
		{"--adjust", func(c *councils.CouncilSpec) bool { return c.Adjust != 0 }},
		{"--round-to", func(c *councils.CouncilSpec) bool { return c.RoundTo != 0 }},
		{"--people", func(c *councils.CouncilSpec) bool {
			return c.Substitution != 0 || c.Subsistence != nil || c.Adjust != 0 || c.RoundTo != 0
		}},
	}
	for _, tc := range tests {
		args := []string{"gen", "--goods", "6", "--councils", "60", "--seed", "3", tc.flag, "0.5"}
		code, a, stderr := parecon(t, args...)
		_, b, _ := parecon(t, args...)
		if code != 0 || a != b {
			t.Fatalf("%s: exit %d or not deterministic: %s", tc.flag, code, stderr)
		}
		sc, err := councils.ParseScenario([]byte(a))
		if err != nil {
			t.Fatalf("%s: gen wrote a bad scenario: %v", tc.flag, err)
		}
		n := 0
		for i := range sc.Councils {
			if tc.field(&sc.Councils[i]) {
				n++
			}
		}
		if n == 0 || n == len(sc.Councils) {
			t.Errorf("%s 0.5: %d of %d councils have it", tc.flag, n, len(sc.Councils))
		}
		var raw map[string]any
		json.Unmarshal([]byte(a), &raw)
		if !strings.HasSuffix(raw["name"].(string), "-people") {
			t.Errorf("%s: name %v", tc.flag, raw["name"])
		}
	}
	code, _, stderr := parecon(t, "gen", "--goods", "6", "--councils", "60", "--adjust", "2")
	if code != 2 || !strings.Contains(stderr, "adjust") {
		t.Errorf("share 2: exit %d, %q", code, stderr)
	}
	_, _, help := parecon(t, "gen", "--help")
	for _, f := range []string{"-substitution", "-subsistence", "-adjust", "-round-to", "-people", "Councils as people"} {
		if !strings.Contains(help, f) {
			t.Errorf("--help lacks %s", f)
		}
	}
}

// TestGenAllowance checks parecon gen --allowance: a scenario whose
// pollutant the plan leaves free converges (its run exits 0), and a bad
// scale exits 2 naming the flag's field.
func TestGenAllowance(t *testing.T) {
	code, out, stderr := parecon(t, "gen", "--goods", "15", "--councils", "60", "--seed", "2", "--allowance", "10")
	if code != 0 {
		t.Fatalf("gen --allowance 10: exit %d: %s", code, stderr)
	}
	f := filepath.Join(t.TempDir(), "slack.json")
	if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := parecon(t, "run", "--tolerance", "1e-8", "--max-rounds", "20", f); code != 0 {
		t.Errorf("the economy with a slack allowance did not converge in 20 rounds (%d): %s", code, stderr)
	}
	if code, _, stderr := parecon(t, "gen", "--allowance", "-2"); code != 2 || !strings.Contains(stderr, "allowance") {
		t.Errorf("--allowance -2: exit %d, %q", code, stderr)
	}
}
