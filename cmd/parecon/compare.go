package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"parecon/councils"
	"parecon/internal/examples"
	"parecon/planning/rules"
)

// compareRules are the rules parecon compare runs: the two baselines and
// the default rule.
var compareRules = []string{"tatonnement", "pequod", rules.Default}

// roundingFloor is councils.RoundingFloor (a variable for the test of a
// floor that cannot be found).
var roundingFloor = councils.RoundingFloor

// compareOutput is what `parecon compare --json` prints.
type compareOutput struct {
	Tolerance float64 `json:"tolerance"`
	MaxRounds int     `json:"max_rounds"`
	Noise     float64 `json:"noise,omitempty"`
	Stubborn  float64 `json:"stubborn,omitempty"`
	Seed      uint64  `json:"seed,omitempty"`
	// People are the shares of councils given the behaviours of
	// "Councils as people" (drawn from Seed), if any.
	People    *councils.PeopleOptions `json:"people,omitempty"`
	Scenarios []compareScenario       `json:"scenarios"`
}

type compareScenario struct {
	Name  string                  `json:"name"`
	Rules map[string]*compareRule `json:"rules"`
	// Ratio is the better baseline's rounds over the default rule's, to 3%
	// and to the tolerance; null where a rule never got there.
	Ratio3 *float64 `json:"ratio3"`
	Ratio6 *float64 `json:"ratio6"`
	// Floor is the gap the rounding councils leave at the equilibrium
	// (councils.RoundingFloor; absent where none rounds). Where
	// councils.FloorReach × Floor is above 3% or the tolerance, the plans
	// behind rounds3 and rounds6 have that tolerance instead: Target3 and
	// Target6.
	Floor   float64 `json:"floor,omitempty"`
	Target3 float64 `json:"target3"`
	Target6 float64 `json:"target6"`
	// FloorUnknown says why the floor of a crowd that rounds could not be
	// found (the targets are then 3% and the tolerance).
	FloorUnknown string `json:"floor_unknown,omitempty"`
}

// compareRule is one rule's result on one scenario. Rounds3 and Rounds6
// are the rounds (round 0 included, so the first round is 1) a plan with
// tolerance 0.03, and one with the given tolerance, needed to converge
// (every gap within the tolerance, every proposal passing its checks);
// null if it did not within max_rounds. The other fields describe the run
// at the given tolerance.
type compareRule struct {
	Rounds3   *int    `json:"rounds3"`
	Rounds6   *int    `json:"rounds6"`
	Converged bool    `json:"converged"`
	Diverged  bool    `json:"diverged"`
	Rounds    int     `json:"rounds"`
	MaxGap    float64 `json:"max_gap"`
}

func cmdCompare(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon compare [flags] FILE... [--example NAME ...]\n\nRuns every scenario under tatonnement, pequod and the default rule and prints,\nside by side, the rounds (round 0 counted) a plan needs to converge with\ntolerance 3% and with --tolerance, and the better baseline's rounds over the\ndefault's (the speed-up). '-' means it did not converge: it diverged, stopped\nor was still open after --max-rounds. The table's head says what each column\nmeans.\n\nThe behaviour flags (--people, --substitution, --subsistence, --adjust,\n--round-to) first turn each economy into a crowd: that share of its\nsimulated councils behave as \"Councils as people\" (docs/spec/economy.md)\nsays, drawn from --seed, the same crowd for every rule.\n\nflags:")
		fs.PrintDefaults()
	}
	var exampleFlags multiFlag
	fs.Var(&exampleFlags, "example", "compare the bundled example `NAME` (repeatable; \"all\" for every one)")
	asJSON := fs.Bool("json", false, "print JSON: {\"scenarios\": [{\"name\", \"rules\": {RULE: {\"rounds3\", \"rounds6\", \"converged\"}}}]}")
	tol := fs.Float64("tolerance", 1e-6, "the tight target (rounds6)")
	maxRounds := fs.Int("max-rounds", 3000, "stop each run after this many rounds")
	noise := fs.Float64("noise", 0, "perturb every simulated proposal by up to this factor")
	seed := fs.Uint64("seed", 1, "seed of the noise and of the stubborn councils")
	stubborn := fs.Float64("stubborn", 0, "this fraction of the councils never revise their first proposal")
	people := peopleFlags(fs)
	files, err := parseFlags(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	var names []string
	for _, n := range exampleFlags {
		if n == "all" {
			names = append(names, examples.Names()...)
		} else {
			names = append(names, n)
		}
	}
	if len(files)+len(names) == 0 {
		fmt.Fprintln(stderr, "parecon compare: give scenario files or --example NAME")
		return 2
	}
	out := compareOutput{Tolerance: *tol, MaxRounds: *maxRounds, Noise: *noise, Stubborn: *stubborn, Seed: *seed}
	if *people != (councils.PeopleOptions{}) {
		people.Seed = *seed
		out.People = people
	}
	var econs []*councils.Economy
	var labels []string
	for _, f := range files {
		e, ok := loadScenario(f, "", stderr)
		if !ok {
			return 2
		}
		econs = append(econs, e)
		labels = append(labels, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	for _, n := range names {
		e, ok := loadScenario("", n, stderr)
		if !ok {
			return 2
		}
		econs = append(econs, e)
		labels = append(labels, n)
	}
	for i, e := range econs {
		if out.People != nil {
			var err error
			if e, err = crowd(e, *out.People); err != nil {
				fmt.Fprintf(stderr, "parecon compare: %s: %v\n", labels[i], err)
				return 2
			}
		}
		sc := compareScenario{Name: labels[i], Rules: map[string]*compareRule{}}
		floor, err := roundingFloor(e)
		if err != nil {
			// The plans still run, to the plain tolerances.
			fmt.Fprintf(stderr, "parecon compare: %s: rounding floor unknown (%v); measuring to 3%% and --tolerance\n", labels[i], err)
			sc.FloorUnknown, floor = err.Error(), 0
		}
		reach := councils.FloorReach * floor
		sc.Floor, sc.Target3, sc.Target6 = floor, max(0.03, reach), max(*tol, reach)
		for _, rule := range compareRules {
			cr, err := compareRun(e, rule, sc.Target3, sc.Target6, *maxRounds, councils.RunOptions{Noise: *noise, Seed: *seed, Stubborn: *stubborn})
			if err != nil {
				fmt.Fprintf(stderr, "parecon compare: %s: %v\n", e.Name(), err)
				return 2
			}
			sc.Rules[rule] = cr
		}
		sc.Ratio3 = ratio(sc.Rules, func(c *compareRule) *int { return c.Rounds3 })
		sc.Ratio6 = ratio(sc.Rules, func(c *compareRule) *int { return c.Rounds6 })
		out.Scenarios = append(out.Scenarios, sc)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "parecon compare:", err)
			return 2
		}
		return 0
	}
	printCompare(stdout, &out)
	return 0
}

// crowd returns e with a share of its councils behaving as people.
func crowd(e *councils.Economy, o councils.PeopleOptions) (*councils.Economy, error) {
	sc := *e.Scenario
	sc.Councils = append([]councils.CouncilSpec(nil), sc.Councils...)
	if err := councils.AddPeople(&sc, o); err != nil {
		return nil, err
	}
	return councils.NewEconomy(&sc)
}

// compareRun runs e under rule twice: as a plan with tolerance tol3 (3%,
// or above the rounding floor; its rounds are rounds3) and as one with
// tolerance tol (rounds6). A rule may use the plan's tolerance (the
// default rule does, to aim at prices that clear the next round when that
// is within the tolerance of the full equilibrium), so rounds to 3% are
// those of a 3% plan.
func compareRun(e *councils.Economy, rule string, tol3, tol float64, maxRounds int, base councils.RunOptions) (*compareRule, error) {
	cr := &compareRule{}
	opt := base
	opt.Rule, opt.MaxRounds = rule, maxRounds
	if tol < tol3 {
		opt.Tolerance = tol3
		res, err := councils.Run(e, opt)
		if err != nil {
			return nil, err
		}
		if res.Converged {
			n := res.Rounds
			cr.Rounds3 = &n
		}
	}
	opt.Tolerance = tol
	res, err := councils.Run(e, opt)
	if err != nil {
		return nil, err
	}
	cr.Converged, cr.Diverged, cr.Rounds = res.Converged, res.Diverged, res.Rounds
	cr.MaxGap = finite(res.Last().MaxGap)
	if res.Converged {
		n := res.Rounds
		cr.Rounds6 = &n
		if tol >= tol3 {
			cr.Rounds3 = &n
		}
	}
	return cr, nil
}

// ratio returns the better baseline's rounds over the default rule's, or
// nil when the default never got there. A baseline that diverged never
// gets there and does not count; one still open after max_rounds counts
// as the rounds it ran (the ratio is then a lower bound), and so does a
// diverged one when every baseline diverged.
func ratio(byRule map[string]*compareRule, get func(*compareRule) *int) *float64 {
	d := get(byRule[rules.Default])
	if d == nil {
		return nil
	}
	best, _ := bestBaseline(byRule, get)
	x := float64(best) / float64(*d)
	return &x
}

// bestBaseline returns the better baseline's rounds for ratio, and whether
// they are a stand-in for rounds it did not converge in (a lower bound).
func bestBaseline(byRule map[string]*compareRule, get func(*compareRule) *int) (int, bool) {
	best, bound := -1, false
	most := 0 // the most rounds any baseline ran
	for _, r := range compareRules[:2] {
		c := byRule[r]
		most = max(most, c.Rounds)
		n, missing := c.Rounds, true
		if v := get(c); v != nil {
			n, missing = *v, false
		} else if c.Diverged {
			continue
		}
		if best < 0 || n < best || (n == best && !missing) {
			best, bound = n, missing
		}
	}
	if best < 0 {
		return most, true
	}
	return best, bound
}

func printCompare(w io.Writer, out *compareOutput) {
	tight := fmt.Sprintf("≤%g", out.Tolerance)
	fmt.Fprintf(w, "Rounds each price rule needs until every gap is within the tolerance (round 0 counted: 1 means the first prices cleared).\n")
	fmt.Fprintf(w, "  RULE ≤3%%:   rounds to a plan with tolerance 3%%\n")
	fmt.Fprintf(w, "  RULE %s: rounds to a plan with tolerance %g (--tolerance)\n", tight, out.Tolerance)
	fmt.Fprintf(w, "  -           did not converge: diverged, stopped, or still open after %d rounds (--max-rounds)\n", out.MaxRounds)
	fmt.Fprintf(w, "  speed-up:   the better baseline's (tatonnement's or pequod's) rounds over %s's, a baseline that diverged left out;\n", rules.Default)
	fmt.Fprintf(w, "              ≥ where that baseline did not converge and the rounds it ran stand in for the rounds it would need\n")
	fmt.Fprintf(w, "              (every baseline diverged: the most rounds one ran); - where %s did not converge\n", rules.Default)
	if out.Noise > 0 || out.Stubborn > 0 {
		fmt.Fprintf(w, "noise %g, stubborn %g, seed %d\n", out.Noise, out.Stubborn, out.Seed)
	}
	if p := out.People; p != nil {
		fmt.Fprintf(w, "crowds (seed %d): shares of councils with CES technology %g, needs %g, adjusting %g, rounding %g, a mix of these %g\n",
			p.Seed, p.Substitution, p.Subsistence, p.Adjust, p.RoundTo, p.People)
	}
	floors := false
	for _, sc := range out.Scenarios {
		floors = floors || sc.Floor > 0 || sc.FloorUnknown != ""
	}
	if floors {
		fmt.Fprintf(w, "  floor:      the largest gap the rounding councils leave at the equilibrium: no rule can count on closing every gap below it,\n")
		fmt.Fprintf(w, "              so where %g × floor is above 3%% or the tolerance, those plans have tolerance %g × floor instead\n", councils.FloorReach, councils.FloorReach)
		fmt.Fprintf(w, "              (?: not found, as stderr says; those plans have 3%% and the tolerance)\n")
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	hdr := []string{"scenario"}
	for _, r := range compareRules {
		hdr = append(hdr, r+" ≤3%", r+" "+tight)
	}
	hdr = append(hdr, "speed-up ≤3%", "speed-up "+tight)
	if floors {
		hdr = append(hdr, "floor")
	}
	fmt.Fprintln(tw, strings.Join(hdr, "\t")+"\t")
	get3 := func(c *compareRule) *int { return c.Rounds3 }
	get6 := func(c *compareRule) *int { return c.Rounds6 }
	for _, sc := range out.Scenarios {
		row := []string{sc.Name}
		for _, r := range compareRules {
			c := sc.Rules[r]
			row = append(row, rounds(c.Rounds3), rounds(c.Rounds6))
		}
		row = append(row, ratioText(sc.Ratio3, ratioBound(sc.Rules, get3)), ratioText(sc.Ratio6, ratioBound(sc.Rules, get6)))
		if floors {
			row = append(row, floorText(sc.Floor, sc.FloorUnknown != ""))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
}

// ratioBound reports whether the better baseline's rounds in ratio are
// those of a baseline that did not converge: the ratio is then a lower
// bound.
func ratioBound(byRule map[string]*compareRule, get func(*compareRule) *int) bool {
	_, bound := bestBaseline(byRule, get)
	return bound
}

// floorText is a rounding floor as a percentage, "-" where none, "?"
// where it is unknown.
func floorText(f float64, unknown bool) string {
	if unknown {
		return "?"
	}
	if f == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2g%%", 100*f)
}

func rounds(n *int) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

func ratioText(x *float64, bound bool) string {
	if x == nil {
		return "-"
	}
	if bound {
		return fmt.Sprintf("≥%.1f×", *x)
	}
	return fmt.Sprintf("%.1f×", *x)
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }
