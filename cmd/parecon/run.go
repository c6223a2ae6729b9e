package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"parecon/councils"
	"parecon/planning"
	"parecon/planning/rules"
)

// runOutput is the JSON object `parecon run --json` prints (docs/spec/economy.md).
type runOutput struct {
	Name      string             `json:"name"`
	Converged bool               `json:"converged"`
	Diverged  bool               `json:"diverged"`
	Reason    string             `json:"reason,omitempty"` // why a plan that did not converge stopped
	Rounds    int                `json:"rounds"`
	Rule      string             `json:"rule"`
	Tolerance float64            `json:"tolerance"`
	MaxGap    float64            `json:"max_gap"`
	Prices    map[string]float64 `json:"prices"`
	Supply    map[string]float64 `json:"supply"`
	Demand    map[string]float64 `json:"demand"`
	Gaps      map[string]float64 `json:"gaps"`
	// Floor is the gap the rounding councils leave at the equilibrium
	// (councils.RoundingFloor); absent where no council rounds.
	Floor float64 `json:"floor,omitempty"`
	commonsFields
	History []historyRow `json:"history"`
}

// commonsFields are a round's commons fund (docs/spec/economy.md,
// "Commons goods"): absent in a plan without commons goods.
type commonsFields struct {
	Levy    *float64           `json:"levy,omitempty"`
	Fund    *float64           `json:"fund,omitempty"`
	Commons map[string]float64 `json:"commons,omitempty"` // {good: K}
}

// commonsOf returns round r's levy, fund and K.
func commonsOf(e *councils.Economy, r *planning.Round) commonsFields {
	if r.K == nil {
		return commonsFields{}
	}
	levy, fund := finite(r.Levy), finite(r.Fund)
	c := commonsFields{Levy: &levy, Fund: &fund, Commons: map[string]float64{}}
	for j, g := range e.Plan.Goods {
		if g.Commons {
			c.Commons[g.ID] = finite(r.K[j])
		}
	}
	return c
}

type historyRow struct {
	Round  int     `json:"round"`
	MaxGap float64 `json:"max_gap"`
	Worst  string  `json:"worst"`
	Step   float64 `json:"step"`
	// Safe says the rule's step after the round was a safe one: its
	// model gave no answer (planning.SafeStepper; docs/facilitation.md,
	// "When it can fail").
	Safe   bool               `json:"safe,omitempty"`
	Ms     float64            `json:"ms"`
	Prices map[string]float64 `json:"prices"`
	commonsFields
	// Federations holds, with federations, each one's budget and
	// collective requests in the round (docs/spec/economy.md, version 2).
	Federations map[string]federationRow `json:"federations,omitempty"`
}

// federationRow is one federation's budget and requests in a round.
type federationRow struct {
	Budget   float64            `json:"budget"`
	Requests map[string]float64 `json:"requests"`
}

func cmdRun(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon run [flags] FILE | --example NAME\n\nRuns a scenario whose councils all have models and prints the rounds.\nExit status: 0 converged, 1 not converged or diverged, 2 a bad scenario.\n\nflags:")
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print one JSON object instead of the log")
	example := fs.String("example", "", "run the bundled example `NAME`")
	rule := fs.String("rule", "", "price rule: "+fmt.Sprint(rules.Names())+" (default: the scenario's, else the engine's best)")
	step := fs.Float64("step", 0, "the rule's step (default: the scenario's, else the rule's)")
	tol := fs.Float64("tolerance", 0, "converged when every gap is at most this (default: the scenario's, else 0.01)")
	maxRounds := fs.Int("max-rounds", 0, "stop after this many rounds (default: the scenario's, else 1000)")
	noise := fs.Float64("noise", 0, "perturb every simulated proposal by up to this factor")
	seed := fs.Uint64("seed", 1, "seed of the noise")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if len(pos) > 1 {
		fmt.Fprintln(stderr, "parecon run: one scenario at a time")
		return 2
	}
	path := ""
	if len(pos) == 1 {
		path = pos[0]
	}
	e, ok := loadScenario(path, *example, stderr)
	if !ok {
		return 2
	}
	opt := councils.RunOptions{Rule: *rule, Step: *step, Tolerance: *tol, MaxRounds: *maxRounds, Noise: *noise, Seed: *seed}
	var log *tabwriter.Writer
	if !*asJSON {
		log = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(stdout, "%s: %d goods, %d councils\n", e.Name(), len(e.Plan.Goods), len(e.Plan.Councils))
		fmt.Fprintln(log, "round\tmax gap\tworst good\tits gap\tstep\tms\t")
		opt.Each = func(r *planning.Round, step float64, d time.Duration) {
			fmt.Fprintf(log, "%d\t%.3e\t%s\t%+.3e\t%.4g\t%.1f\t\n", r.Number, r.MaxGap, e.Plan.Goods[r.Worst].ID,
				councils.SignedGap(r, r.Worst), step, ms(d))
		}
	}
	// The scenario's decoding leaves its garbage (hundreds of MB for
	// 100,000 councils); collected now, its mark phase does not run
	// through the first rounds and their "ms".
	runtime.GC()
	res, err := councils.Run(e, opt)
	if err != nil {
		fmt.Fprintln(stderr, "parecon run:", err)
		return 2
	}
	out := newRunOutput(e, res)
	// A floor that cannot be found is left out; the run stands.
	out.Floor, _ = councils.RoundingFloor(e)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "parecon run:", err)
			return 2
		}
	} else {
		log.Flush()
		printTable(stdout, e, res)
		printSummary(stdout, e, res, out.Floor)
	}
	if !res.Converged {
		return 1
	}
	return 0
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func newRunOutput(e *councils.Economy, res *councils.RunResult) *runOutput {
	last := res.Last()
	out := &runOutput{
		Name: e.Name(), Converged: res.Converged, Diverged: res.Diverged, Reason: res.Reason, Rounds: res.Rounds,
		Rule: res.Rule, Tolerance: res.Board.Plan().Tolerance, MaxGap: finite(last.MaxGap),
		Prices: finiteMap(e, last.Prices), Supply: finiteMap(e, last.Supply),
		Demand: finiteMap(e, last.Demand), Gaps: finiteMap(e, last.Gap),
		commonsFields: commonsOf(e, last),
	}
	for i, r := range res.Board.Rounds() {
		if !r.Closed {
			continue
		}
		row := historyRow{Round: r.Number, MaxGap: finite(r.MaxGap), Worst: e.Plan.Goods[r.Worst].ID,
			Prices: finiteMap(e, r.Prices), commonsFields: commonsOf(e, r)}
		if i < len(res.Steps) {
			row.Step, row.Safe, row.Ms = res.Steps[i], res.Safe[i], ms(res.Times[i])
		}
		for f, fd := range e.Federations {
			if row.Federations == nil {
				row.Federations = map[string]federationRow{}
			}
			b, req := e.Collective(r, f)
			for g, x := range req {
				req[g] = finite(x)
			}
			row.Federations[fd.ID] = federationRow{Budget: finite(b), Requests: req}
		}
		out.History = append(out.History, row)
	}
	return out
}

// finite keeps NaN and ±Inf out of the JSON: they become the largest
// float, which no reader mistakes for a converged value.
func finite(x float64) float64 {
	switch {
	case math.IsNaN(x), math.IsInf(x, 1):
		return math.MaxFloat64
	case math.IsInf(x, -1):
		return -math.MaxFloat64
	}
	return x
}

func finiteMap(e *councils.Economy, xs []float64) map[string]float64 {
	m := make(map[string]float64, len(xs))
	for j, g := range e.Plan.Goods {
		if j < len(xs) {
			m[g.ID] = finite(xs[j])
		}
	}
	return m
}

func printTable(w io.Writer, e *councils.Economy, res *councils.RunResult) {
	last := res.Last()
	status := "converged"
	switch {
	case res.Diverged:
		status = "DIVERGED"
	case !res.Converged:
		status = "not converged"
	}
	fmt.Fprintf(w, "\n%s in %d rounds under %s (tolerance %g, max gap %.3e)\n", status, res.Rounds, res.Rule, res.Board.Plan().Tolerance, last.MaxGap)
	if res.Reason != "" {
		fmt.Fprintf(w, "stopped: %s\n", res.Reason)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "good\tkind\tunit\tprice\tsupply\tdemand\tgap\t")
	num := e.Plan.Numeraire
	for j, g := range e.Plan.Goods {
		mark := ""
		if j == num {
			mark = " (numéraire)"
		}
		spec := e.Scenario.Goods[j]
		label := g.ID
		if spec.Name != "" && spec.Name != g.ID {
			label = spec.Name + " (" + g.ID + ")"
		}
		unit := spec.Unit
		if unit == "" {
			unit = "-"
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%.6g\t%.6g\t%.6g\t%+.2e\t\n", label, mark, g.Kind, unit, last.Prices[j]/last.Prices[num], last.Supply[j], last.Demand[j], councils.SignedGap(last, j))
	}
	tw.Flush()
	fmt.Fprintf(w, "prices in units of the numéraire (%s); gap = (demand − supply) / the larger, so + is a shortage\n", e.Plan.Goods[num].ID)
}

// printSummary ends the log with what a reader of a long log wants: how
// the plan ended, how fast the largest gap fell, and the engine's time.
func printSummary(w io.Writer, e *councils.Economy, res *councils.RunResult, floor float64) {
	last := res.Last()
	tol := res.Board.Plan().Tolerance
	fmt.Fprintf(w, "\nsummary: %s, %s under %s after %d rounds (round 0 counted)\n", e.Name(), outcome(res), res.Rule, res.Rounds)
	fmt.Fprintf(w, "  largest gap at the end: %.3g%% (%s), tolerance %.3g%%\n", 100*last.MaxGap, e.Plan.Goods[last.Worst].ID, 100*tol)
	var marks []string
	for _, m := range []float64{0.1, 0.03, tol} {
		for _, r := range res.Board.Rounds() {
			if r.Closed && r.MaxGap <= m {
				marks = append(marks, fmt.Sprintf("≤%.3g%% at round %d", 100*m, r.Number))
				break
			}
		}
	}
	if len(marks) > 0 {
		fmt.Fprintf(w, "  largest gap first: %s\n", strings.Join(marks, ", "))
	}
	if floor > 0 {
		fmt.Fprintf(w, "  rounding floor: %.3g%% (the largest gap the councils' rounding leaves at the equilibrium: gaps below it come only where the rounding happens to cancel", 100*floor)
		if reach := councils.FloorReach * floor; tol < reach {
			fmt.Fprintf(w, "; a tolerance of %.3g%% is within reach", 100*reach)
		}
		fmt.Fprintln(w, ")")
	}
	var total time.Duration
	for _, d := range res.Times {
		total += d
	}
	fmt.Fprintf(w, "  engine time: %.1f ms in all, %.2f ms a round\n", ms(total), ms(total)/float64(max(1, res.Rounds)))
	if n := res.SafeSteps(); n > 0 {
		fmt.Fprintf(w, "  safe steps: %d of %d (the rule's model of the councils gave no answer at those rounds' prices; docs/facilitation.md, \"When it can fail\")\n", n, res.Rounds-1)
	}
	if res.Reason != "" {
		fmt.Fprintf(w, "  stopped because: %s\n", res.Reason)
	}
}

func outcome(res *councils.RunResult) string {
	switch {
	case res.Diverged:
		return "DIVERGED"
	case !res.Converged:
		return "NOT converged"
	}
	return "converged"
}
