package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"parecon/councils"
)

func TestCompareJSON(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"compare", "--json", "--max-rounds", "400", "--example", "fisher-small", "--example", "bread-and-land"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got struct {
		Scenarios []struct {
			Name  string
			Rules map[string]struct {
				Rounds3   *int `json:"rounds3"`
				Rounds6   *int `json:"rounds6"`
				Converged bool `json:"converged"`
			}
			Ratio3 *float64 `json:"ratio3"`
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Scenarios) != 2 || got.Scenarios[0].Name != "fisher-small" {
		t.Fatalf("scenarios %+v", got.Scenarios)
	}
	for _, sc := range got.Scenarios {
		for _, r := range []string{"tatonnement", "pequod", "learning"} {
			if _, ok := sc.Rules[r]; !ok {
				t.Errorf("%s: no %s", sc.Name, r)
			}
		}
		l := sc.Rules["learning"]
		if l.Rounds3 == nil || *l.Rounds3 > 5 || l.Rounds6 == nil || *l.Rounds6 > 15 || !l.Converged {
			t.Errorf("%s: learning %+v", sc.Name, l)
		}
		if sc.Ratio3 == nil || *sc.Ratio3 < 10 {
			t.Errorf("%s: ratio to the better baseline %v", sc.Name, sc.Ratio3)
		}
	}
	// fisher-small: tâtonnement converges; its rounds are counted from 1.
	ft := got.Scenarios[0].Rules["tatonnement"]
	if ft.Rounds3 == nil || *ft.Rounds3 < 2 {
		t.Errorf("fisher-small tatonnement %+v", ft)
	}
	// bread-and-land: pequod never gets within 1e-6 in 400 rounds.
	if bp := got.Scenarios[1].Rules["pequod"]; bp.Rounds6 != nil || bp.Converged {
		t.Errorf("bread-and-land pequod %+v", bp)
	}
}

// TestCompareTable checks that the table's head explains every column it
// has and that the speed-up is marked ≥ exactly where the better
// baseline did not converge (bread-and-land: neither baseline does;
// fisher-small: tatonnement does).
func TestCompareTable(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"compare", "--max-rounds", "200", "--example", "fisher-small", "--example", "bread-and-land"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := out.String()
	for _, want := range []string{"RULE ≤3%:", "RULE ≤1e-06:", "speed-up:", "after 200 rounds", "learning ≤3%", "speed-up ≤1e-06"} {
		if !strings.Contains(s, want) {
			t.Errorf("table lacks %q:\n%s", want, s)
		}
	}
	cells := map[string][]string{}
	for _, l := range strings.Split(s, "\n") {
		f := strings.Fields(l)
		if len(f) == 9 {
			cells[f[0]] = f[1:]
		}
	}
	fish, bread := cells["fisher-small"], cells["bread-and-land"]
	if len(fish) != 8 || len(bread) != 8 {
		t.Fatalf("rows missing:\n%s", s)
	}
	if fish[1] == "-" || strings.HasPrefix(fish[7], "≥") || !strings.HasSuffix(fish[7], "×") {
		t.Errorf("fisher-small: tatonnement converges, so its speed-up is exact: %v", fish)
	}
	if bread[0] != "-" || bread[2] != "-" || !strings.HasPrefix(bread[6], "≥") || !strings.HasPrefix(bread[7], "≥") {
		t.Errorf("bread-and-land: no baseline converges, so its speed-ups are lower bounds: %v", bread)
	}
	if code := run(context.Background(), []string{"compare"}, &out, &errb); code != 2 {
		t.Errorf("no scenario: exit %d", code)
	}
}

// TestComparePeople checks that compare --people runs every rule on a
// crowd: the table says so, the JSON carries the shares and seed, and the
// crowd is not the plain economy (the default rule needs other rounds).
func TestComparePeople(t *testing.T) {
	var out, errb bytes.Buffer
	args := []string{"compare", "--max-rounds", "300", "--tolerance", "0.01", "--example", "fisher-small"}
	if code := run(context.Background(), append(args, "--people", "0.8", "--seed", "2"), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if s := out.String(); !strings.Contains(s, "crowds (seed 2)") || !strings.Contains(s, "a mix of these 0.8") || !strings.Contains(s, "speed-up:") {
		t.Errorf("table lacks the crowd:\n%s", s)
	}
	rounds := func(extra ...string) (int, *struct {
		Seed   uint64
		People float64
	}) {
		out.Reset()
		if code := run(context.Background(), append(append(args, "--json"), extra...), &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var got struct {
			People *struct {
				Seed   uint64
				People float64
			}
			Scenarios []struct {
				Rules map[string]struct{ Rounds int }
			}
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		return got.Scenarios[0].Rules["learning"].Rounds, got.People
	}
	plain, none := rounds()
	crowd, shares := rounds("--people", "1", "--seed", "2")
	if none != nil || shares == nil || shares.Seed != 2 || shares.People != 1 {
		t.Errorf("people in the JSON: plain %+v, crowd %+v", none, shares)
	}
	if plain == crowd {
		t.Errorf("the crowd takes the plain economy's %d rounds", plain)
	}
	if code := run(context.Background(), append(args, "--people", "-1"), &out, &errb); code != 2 {
		t.Errorf("share -1: exit %d", code)
	}
}

// TestCompareFloor checks that compare reports the rounding floor of a
// crowd of rounding councils and measures rounds to FloorReach × floor
// where that is above the tolerance: the plain economy has no floor and
// the plain targets; the rounding crowd has a floor, targets raised to
// it, a default rule that reaches them (its last gap within the raised
// target, where it would never get within 10⁻⁶), and a floor column.
func TestCompareFloor(t *testing.T) {
	type scenario struct {
		Floor            float64
		Target3, Target6 float64
		Rules            map[string]struct {
			Rounds6   *int
			Converged bool
			MaxGap    float64 `json:"max_gap"`
		}
	}
	compare := func(extra ...string) scenario {
		var out, errb bytes.Buffer
		args := append([]string{"compare", "--json", "--max-rounds", "120", "--example", "economy-12"}, extra...)
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var got struct{ Scenarios []scenario }
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		return got.Scenarios[0]
	}
	plain := compare()
	if plain.Floor != 0 || plain.Target3 != 0.03 || plain.Target6 != 1e-6 {
		t.Errorf("plain economy: floor %g, targets %g, %g; want 0, 0.03, 1e-6", plain.Floor, plain.Target3, plain.Target6)
	}
	rc := compare("--round-to", "1", "--seed", "4")
	reach := councils.FloorReach * rc.Floor
	if !(rc.Floor > 0) || rc.Target3 != max(0.03, reach) || rc.Target6 != reach {
		t.Fatalf("rounding crowd: floor %g, targets %g, %g; want a floor and targets max(0.03, %g), %g", rc.Floor, rc.Target3, rc.Target6, reach, reach)
	}
	l := rc.Rules["learning"]
	if !l.Converged || l.Rounds6 == nil || l.MaxGap > rc.Target6 {
		t.Errorf("rounding crowd: learning converged %v, rounds %v, last gap %g; want within %g", l.Converged, l.Rounds6, l.MaxGap, rc.Target6)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"compare", "--max-rounds", "120", "--example", "economy-12", "--round-to", "1", "--seed", "4"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if s := out.String(); !strings.Contains(s, "floor:") || !strings.Contains(s, "  floor\n") {
		t.Errorf("table lacks the floor:\n%s", s)
	}
}

// TestCompareRatio checks the speed-up's baseline: a diverged baseline is
// left out, one still open stands in with the rounds it ran (a bound), and
// when every baseline diverged the most rounds one ran stand in.
func TestCompareRatio(t *testing.T) {
	n := func(x int) *int { return &x }
	get := func(c *compareRule) *int { return c.Rounds6 }
	for _, tc := range []struct {
		name       string
		tat, peq   compareRule
		want       float64
		wantBound  bool
		wantAbsent bool
	}{
		{"both converged", compareRule{Rounds6: n(300), Rounds: 300}, compareRule{Rounds6: n(200), Rounds: 200}, 20, false, false},
		{"one diverged early", compareRule{Diverged: true, Rounds: 50}, compareRule{Rounds6: n(400), Rounds: 400}, 40, false, false},
		{"one still open", compareRule{Rounds: 3000}, compareRule{Rounds6: n(400), Rounds: 400}, 40, false, false},
		{"open shorter than converged", compareRule{Rounds: 100}, compareRule{Rounds6: n(400), Rounds: 400}, 10, true, false},
		{"open and diverged", compareRule{Rounds: 3000}, compareRule{Diverged: true, Rounds: 80}, 300, true, false},
		{"both diverged", compareRule{Diverged: true, Rounds: 90}, compareRule{Diverged: true, Rounds: 80}, 9, true, false},
		{"learning never", compareRule{Rounds6: n(300), Rounds: 300}, compareRule{Rounds6: n(200), Rounds: 200}, 0, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := compareRule{Rounds6: n(10), Rounds: 10}
			if tc.wantAbsent {
				l = compareRule{Rounds: 3000}
			}
			byRule := map[string]*compareRule{"tatonnement": &tc.tat, "pequod": &tc.peq, "learning": &l}
			got := ratio(byRule, get)
			if tc.wantAbsent {
				if got != nil {
					t.Fatalf("ratio %v, want none", *got)
				}
				return
			}
			if got == nil || *got != tc.want || ratioBound(byRule, get) != tc.wantBound {
				t.Fatalf("ratio %v bound %v, want %v bound %v", got, ratioBound(byRule, get), tc.want, tc.wantBound)
			}
		})
	}
}

// TestCompareFloorUnknown checks that a floor that cannot be found (the
// economy without rounding unsolved) costs compare nothing but the floor:
// it says so on stderr, marks the floor "?", and measures the plain
// tolerances.
func TestCompareFloorUnknown(t *testing.T) {
	defer func(f func(*councils.Economy) (float64, error)) { roundingFloor = f }(roundingFloor)
	roundingFloor = func(*councils.Economy) (float64, error) { return 0, errors.New("unsolved") }
	var out, errb bytes.Buffer
	args := []string{"compare", "--max-rounds", "60", "--example", "economy-12", "--round-to", "1", "--seed", "4"}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "rounding floor unknown (unsolved)") || !strings.Contains(out.String(), "?\n") {
		t.Errorf("stderr %q, table:\n%s", errb.String(), out.String())
	}
	out.Reset()
	if code := run(context.Background(), append(args, "--json"), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got struct {
		Scenarios []struct {
			FloorUnknown     string `json:"floor_unknown"`
			Target3, Target6 float64
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if sc := got.Scenarios[0]; sc.FloorUnknown != "unsolved" || sc.Target3 != 0.03 || sc.Target6 != 1e-6 {
		t.Errorf("JSON: %+v", sc)
	}
}
