package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"parecon/councils"
)

func cmdGen(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon gen --goods G --councils C --seed S [--ces] [--warm F] [--allowance F] [--people S] [--commons M] [--federations W] [--appears R] [--sig N] [-o FILE]\n\nWrites a valid random scenario as indented JSON, its numbers rounded to\n--sig significant figures: labour types, resources, a pollutant whose\nallowance binds, G produced goods (named bread, housing, transit, ...) made\nby Cobb–Douglas worker councils with 2 to 20 inputs, and consumer councils.\n\nThe behaviour flags (--substitution, --subsistence, --adjust, --round-to,\n--people) give that share (0 to 1) of the councils the behaviours of\n\"Councils as people\" (docs/spec/economy.md), drawn from --seed; a needs\nbasket costs at most 0.4 of the council's budget at the start and at the\nequilibrium of the economy without needs.\n\nflags:")
		fs.PrintDefaults()
	}
	goods := fs.Int("goods", 12, "produced goods")
	n := fs.Int("councils", 40, "councils, worker and consumer together")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same economy")
	ces := fs.Bool("ces", false, "consumer councils with CES preferences (elasticities from 0.25 to 4)")
	warm := fs.Float64("warm", 0, "start from last year's equilibrium of a copy shocked by up to this fraction")
	allowance := fs.Float64("allowance", 1, "scale the pollutant's allowance by `F` (1 makes it bind; from about 3 it may not, and the pollutant is then free)")
	commons := fs.Int("commons", 0, "make `M` of the produced goods commons goods (rival: false), drawn on by about half the worker councils, with consumer councils' votes for the fund")
	people := peopleFlags(fs)
	feds := fs.Int("federations", 0, "add a federation tree: a city with `W` wards of 2 or 3 neighbourhoods each, with levies and collective consumption")
	appears := fs.Int("appears", 0, "one produced good, drawn from --seed, appears at round `R` (a new good)")
	out := fs.String("o", "", "write to `FILE` instead of stdout")
	sig := fs.Int("sig", 6, "round every number to `N` significant figures (1 to 15)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if len(pos) > 0 {
		fmt.Fprintln(stderr, "parecon gen: unexpected argument", pos[0])
		return 2
	}
	if *sig < 1 || *sig > councils.MaxRoundTo {
		fmt.Fprintf(stderr, "parecon gen: --sig must be a whole number from 1 to %d, not %d\n", councils.MaxRoundTo, *sig)
		return 2
	}
	sc, err := councils.Generate(councils.GenOptions{Goods: *goods, Councils: *n, Seed: *seed, CES: *ces, Warm: *warm,
		Substitution: people.Substitution, Subsistence: people.Subsistence, Adjust: people.Adjust, RoundTo: people.RoundTo, People: people.People, Federations: *feds, Commons: *commons, Appears: *appears, Allowance: *allowance})
	if err != nil {
		fmt.Fprintln(stderr, "parecon gen:", err)
		return 2
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(stderr, "parecon gen:", err)
			return 2
		}
		defer f.Close()
		w = f
	}
	councils.RoundScenario(sc, *sig)
	if _, err := councils.NewEconomy(sc); err != nil {
		fmt.Fprintln(stderr, "parecon gen: the rounded scenario is not valid (try more --sig):", err)
		return 2
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sc); err != nil {
		fmt.Fprintln(stderr, "parecon gen:", err)
		return 2
	}
	return 0
}

// peopleFlags defines the flags that give shares of councils the
// behaviours of "Councils as people", for gen and compare.
func peopleFlags(fs *flag.FlagSet) *councils.PeopleOptions {
	o := &councils.PeopleOptions{}
	fs.Float64Var(&o.Substitution, "substitution", 0, "share `S` of worker councils with CES technology, σ drawn in 0.4–2.5")
	fs.Float64Var(&o.Subsistence, "subsistence", 0, "share `S` of consumer councils with Stone–Geary needs")
	fs.Float64Var(&o.Adjust, "adjust", 0, "share `S` of councils that move part of the way each round, λ drawn in 0.3–0.8")
	fs.Float64Var(&o.RoundTo, "round-to", 0, "share `S` of councils that round their quantities to 2 or 3 significant figures")
	fs.Float64Var(&o.People, "people", 0, "share `S` of councils, a mixed crowd, each given one or more of the behaviours above")
	return o
}
