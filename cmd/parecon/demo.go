package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"parecon/councils"
	"parecon/internal/examples"
	"parecon/internal/live"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon demo [flags]\n\nStarts the server with a bundled example plan: most councils simulated, a few\nleft to people, a round closing every few seconds. It prints the links for the\nfacilitator, an observer and the human councils. A human council that has not\nsubmitted by a round's deadline is answered by its model (a stand-in, marked in\nthe audit log), so the plan converges to the scenario's equilibrium on its own.\nCtrl-C stops it.\n\nflags:")
		fs.PrintDefaults()
	}
	var cfg serveConfig
	serverFlags(fs, &cfg, "", envOr("PARECON_ROUND_DEADLINE", "5s"))
	example := fs.String("example", "economy-12", "the bundled example `NAME` to plan: "+strings.Join(examples.Names(), ", "))
	humans := fs.String("humans", "", "comma-separated `IDS` of the councils left to people (default: the first worker and the first consumer council)")
	if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
		if len(pos) > 0 {
			fmt.Fprintln(stderr, "parecon demo: unexpected arguments", pos)
		}
		return flagStatus(err)
	}
	e, ok := loadScenario("", *example, stderr)
	if !ok {
		return 2
	}
	var ids []string
	if *humans != "" {
		ids = strings.Split(*humans, ",")
	} else {
		ids = defaultHumans(e)
	}
	if cfg.db == "" {
		dir, err := os.MkdirTemp("", "parecon-demo")
		if err != nil {
			fmt.Fprintln(stderr, "parecon:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		cfg.db = filepath.Join(dir, "demo.db")
	}
	return serve(ctx, cfg, stdout, stderr, func(ctx context.Context, svc *live.Service, base string) error {
		p, err := svc.Create(ctx, live.CreateRequest{Example: *example, Options: councils.LiveOptions{Humans: ids, StandIn: true}})
		if err != nil {
			return err
		}
		every := "no deadline: close rounds from the facilitator page"
		if cfg.roundDeadline > 0 {
			every = "a round closes every " + cfg.roundDeadline.String()
		}
		fmt.Fprintf(stdout, "\ndemo plan %q (example %s): %d councils, %d left to people, %s\n\n",
			e.Name(), *example, len(e.Plan.Councils), len(p.CouncilTokens), every)
		fmt.Fprintf(stdout, "  observer (watch it converge): %s\n", link(base, "observer.html", p.ID, p.ObserverToken))
		fmt.Fprintf(stdout, "  facilitator:                  %s\n", link(base, "facilitator.html", p.ID, p.FacilitatorToken))
		for _, id := range ids {
			if tok, ok := p.CouncilTokens[id]; ok {
				fmt.Fprintf(stdout, "  council %-21s %s\n", id+":", link(base, "council.html", p.ID, tok))
			}
		}
		fmt.Fprintf(stdout, "\nA human council that misses a deadline is answered by its model (marked \"standin\").\nCtrl-C stops the demo; its database is %s.\n", cfg.db)
		return nil
	})
}

// defaultHumans returns the first worker and the first consumer council
// that have models: the councils the demo leaves to people.
func defaultHumans(e *councils.Economy) []string {
	var ids []string
	seen := map[string]bool{}
	for i, c := range e.Scenario.Councils {
		if e.Models[i] != nil && !seen[c.Type] {
			seen[c.Type] = true
			ids = append(ids, c.ID)
		}
	}
	return ids
}
