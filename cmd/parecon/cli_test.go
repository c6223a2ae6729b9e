package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"parecon/councils"
)

// TestHelpAndVersion checks that asking for help is no error: parecon
// --help, help, help COMMAND and COMMAND --help (-h) exit 0 and describe
// the command; --version prints one line; parecon alone, an unknown
// command and an unknown flag still exit 2.
func TestHelpAndVersion(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stdout or stderr
	}{
		{[]string{"--help"}, 0, "usage: parecon COMMAND"},
		{[]string{"-h"}, 0, "usage: parecon COMMAND"},
		{[]string{"help"}, 0, "commands:"},
		{[]string{"help", "gen"}, 0, "usage: parecon gen"},
		{[]string{"--version"}, 0, "parecon "},
		{[]string{"version"}, 0, "parecon "},
		{[]string{}, 2, "usage: parecon COMMAND"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run", "--no-such-flag"}, 2, "flag provided but not defined"},
	}
	for _, c := range commands() {
		tests = append(tests,
			struct {
				args []string
				code int
				want string
			}{[]string{c.name, "--help"}, 0, "usage: parecon " + c.name},
			struct {
				args []string
				code int
				want string
			}{[]string{c.name, "-h"}, 0, "usage: parecon " + c.name})
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := parecon(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("output lacks %q:\n%s%s", tc.want, stdout, stderr)
			}
		})
	}
	_, v, _ := parecon(t, "--version")
	if strings.Count(v, "\n") != 1 || !regexp.MustCompile(`^parecon \S`).MatchString(v) {
		t.Errorf("--version printed %q, want one line", v)
	}
}

// TestGenReadable checks that gen writes indented JSON whose numbers have
// at most --sig significant figures (no 0.07451699999999994), that the
// goods have names and units, the councils readable ids (bread-works,
// old-town), and that the file is a valid scenario.
func TestGenReadable(t *testing.T) {
	for _, sig := range []string{"6", "4"} {
		code, out, stderr := parecon(t, "gen", "--goods", "8", "--councils", "30", "--seed", "4", "--warm", "0.1", "--sig", sig)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.HasPrefix(out, "{\n  \"name\"") || strings.Count(out, "\n") < 50 {
			t.Errorf("not indented:\n%.300s", out)
		}
		n := int(sig[0] - '0')
		for _, num := range regexp.MustCompile(`[-0-9.]+(?:e[-+]?\d+)?`).FindAllString(out, -1) {
			digits := strings.TrimLeft(strings.ReplaceAll(strings.Split(num, "e")[0], ".", ""), "0-")
			digits = strings.TrimRight(digits, "0")
			// A consumer's largest weight is one minus the others, which
			// may take more decimals than the others.
			if len(digits) > n+3 {
				t.Errorf("--sig %s: %s has %d significant figures", sig, num, len(digits))
			}
		}
		var sc struct {
			Goods    []struct{ ID, Name, Unit string }
			Councils []struct{ ID, Type string }
		}
		if err := json.Unmarshal([]byte(out), &sc); err != nil {
			t.Fatal(err)
		}
		for _, g := range sc.Goods {
			if g.Name == "" || g.Unit == "" {
				t.Errorf("good %s: name %q, unit %q", g.ID, g.Name, g.Unit)
			}
		}
		for _, c := range sc.Councils {
			if regexp.MustCompile(`^[wc]\d+$`).MatchString(c.ID) || c.Type == "worker" && !strings.Contains(c.ID, "-works") {
				t.Errorf("council id %q is not readable", c.ID)
			}
		}
		f := filepath.Join(t.TempDir(), "g.json")
		os.WriteFile(f, []byte(out), 0o644)
		if code, _, stderr := parecon(t, "run", "--max-rounds", "40", f); code != 0 {
			t.Errorf("the rounded economy did not converge (%d): %s", code, stderr)
		}
	}
	if code, _, stderr := parecon(t, "gen", "--sig", "0"); code != 2 || !strings.Contains(stderr, "--sig") {
		t.Errorf("--sig 0: exit %d, %q", code, stderr)
	}
}

// TestRunSummary checks that a long log ends with a summary: the outcome,
// the rule, the rounds and when the largest gap fell below 10%, 3% and
// the tolerance, after the table of goods.
func TestRunSummary(t *testing.T) {
	code, out, _ := parecon(t, "run", "--rule", "pequod", "--example", "economy-12")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	i := strings.LastIndex(out, "\nsummary: ")
	if i < 0 || i < strings.LastIndex(out, "(numéraire)") {
		t.Fatalf("no summary after the table:\n%s", out[max(0, len(out)-800):])
	}
	sum := out[i:]
	for _, want := range []string{"converged under pequod after", "largest gap at the end:", "≤10% at round", "≤3% at round", "≤1% at round", "engine time:"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	code, out, _ = parecon(t, "run", "--rule", "tatonnement", "--max-rounds", "5", "--example", "economy-12")
	if code != 1 || !strings.Contains(out, "NOT converged under tatonnement after 5 rounds") || !strings.Contains(out, "stopped because: out of rounds") {
		t.Errorf("exit %d, summary of a plan out of rounds:\n%s", code, out[max(0, len(out)-400):])
	}
}

// TestRunTolerance checks that a --tolerance outside (0, 1) is refused
// naming the field.
func TestRunTolerance(t *testing.T) {
	for _, tol := range []string{"1", "2", "-0.5"} {
		code, _, stderr := parecon(t, "run", "--tolerance", tol, "--example", "fisher-small")
		if code != 2 || !strings.Contains(stderr, "tolerance") || !strings.Contains(stderr, "between 0 and 1") {
			t.Errorf("--tolerance %s: exit %d, %q", tol, code, stderr)
		}
	}
}

// TestRunSafeSteps checks that run says how many of the rule's steps were
// safe ones, in its summary and per round of --json, for a plan whose
// learned economy cannot be solved at first (workers a hundred times as
// productive as generated), and says nothing of them for one it can.
func TestRunSafeSteps(t *testing.T) {
	sc, err := councils.Generate(councils.GenOptions{Goods: 15, Councils: 60, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range sc.Councils {
		sc.Councils[i].Scale *= 100
	}
	data, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "productive.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := parecon(t, "run", "--max-rounds", "40", path)
	if !strings.Contains(out, "  safe steps: ") {
		t.Errorf("no safe steps in the summary:\n%s", out[max(0, len(out)-600):])
	}
	_, out, _ = parecon(t, "run", "--json", "--max-rounds", "40", path)
	var res struct {
		History []struct {
			Safe bool `json:"safe"`
		} `json:"history"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.History) < 2 || !res.History[0].Safe || res.History[len(res.History)-1].Safe {
		t.Errorf("history's safe flags: %+v, want round 0's set and the last's not", res.History)
	}
	_, out, _ = parecon(t, "run", "--example", "economy-12")
	if strings.Contains(out, "safe steps") {
		t.Errorf("safe steps reported for economy-12:\n%s", out[max(0, len(out)-600):])
	}
}
