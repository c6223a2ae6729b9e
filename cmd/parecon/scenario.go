package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"parecon/councils"
	"parecon/internal/examples"
)

// loadScenario reads a scenario from path, or the bundled example name.
// Problems are printed one per line on stderr, prefixed by the source.
func loadScenario(path, example string, stderr io.Writer) (*councils.Economy, bool) {
	var data []byte
	var err error
	src := path
	switch {
	case example != "" && path != "":
		fmt.Fprintln(stderr, "parecon: give a scenario file or --example, not both")
		return nil, false
	case example != "":
		src = "example " + example
		data, err = examples.Scenario(example)
	case path != "":
		data, err = os.ReadFile(path)
	default:
		fmt.Fprintln(stderr, "parecon: no scenario: give a FILE or --example NAME (one of", examples.Names(), ")")
		return nil, false
	}
	if err != nil {
		fmt.Fprintln(stderr, "parecon:", err)
		return nil, false
	}
	sc, err := councils.DecodeScenario(bytes.NewReader(data))
	if err == nil {
		var e *councils.Economy
		if e, err = councils.NewEconomy(sc); err == nil {
			return e, true
		}
	}
	var ps councils.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintf(stderr, "%s: %s\n", src, p.Error())
		}
	} else {
		fmt.Fprintf(stderr, "%s: %v\n", src, err)
	}
	return nil, false
}

// parseFlags parses flags that may stand before, between or after the
// positional arguments, and returns the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// flagStatus is the exit status of a command whose flags did not parse:
// 0 when they asked for help (-h, --help), else 2.
func flagStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// envOr returns the environment variable key, or def when it is unset.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
