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
		fmt.Fprintln(stderr, "usage: parecon gen --goods G --councils C --seed S [--ces] [--warm F] [-o FILE]\n\nWrites a valid random scenario: labour types, resources, a pollutant whose\nallowance binds, G produced goods made by Cobb–Douglas worker councils with\n2 to 20 inputs, and consumer councils.\n\nflags:")
		fs.PrintDefaults()
	}
	goods := fs.Int("goods", 12, "produced goods")
	n := fs.Int("councils", 40, "councils, worker and consumer together")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same economy")
	ces := fs.Bool("ces", false, "consumer councils with CES preferences (elasticities from 0.25 to 4)")
	warm := fs.Float64("warm", 0, "start from last year's equilibrium of a copy shocked by up to this fraction")
	out := fs.String("o", "", "write to `FILE` instead of stdout")
	if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
		if len(pos) > 0 {
			fmt.Fprintln(stderr, "parecon gen: unexpected argument", pos[0])
		}
		return 2
	}
	sc, err := councils.Generate(councils.GenOptions{Goods: *goods, Councils: *n, Seed: *seed, CES: *ces, Warm: *warm})
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
	enc := json.NewEncoder(w)
	if err := enc.Encode(sc); err != nil {
		fmt.Fprintln(stderr, "parecon gen:", err)
		return 2
	}
	return 0
}
