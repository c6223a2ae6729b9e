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
	"parecon/internal/wire"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon demo [flags]\n\nStarts the server with a plan of a bundled example (by default Millbrook, a\nsmall town): most councils simulated, a few left to people. It prints, in plain\nwords, the links for the people's councils, the facilitator and an observer.\n\nEach round stays open until every human council has submitted; then it closes\nand the next opens with new prices. With --round-deadline, a round also closes\nat its deadline, and a human council that has not submitted by then is\nanswered by its model (a stand-in, marked as such on every page and in the\naudit log). The facilitator page can close a round early and start the plan\nagain from the same scenario. Ctrl-C stops it.\n\nflags:")
		fs.PrintDefaults()
	}
	var cfg serveConfig
	serverFlags(fs, &cfg, "", envOr("PARECON_ROUND_DEADLINE", "0s"))
	var list []string
	for _, n := range examples.Names() {
		list = append(list, "  "+n+": "+examples.Description(n))
	}
	example := fs.String("example", "millbrook", "the bundled example `NAME` to plan:\n"+strings.Join(list, "\n"))
	humans := fs.String("humans", "", "comma-separated `IDS` of the councils (or federations) left to people (default: the first worker and the first consumer council)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if len(pos) > 0 {
		fmt.Fprintln(stderr, "parecon demo: unexpected arguments", pos)
		return 2
	}
	e, ok := loadScenario("", *example, stderr)
	if !ok {
		return 2
	}
	var ids []string
	if *humans != "" {
		ids = strings.Split(*humans, ",")
	} else {
		ids = live.SuggestedHumans(e.Scenario)
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
		printDemo(stdout, e, *example, ids, p, base, cfg)
		return nil
	})
}

// printDemo tells the person who started the demo, in plain words, what
// the plan is and what to do with each link.
func printDemo(w io.Writer, e *councils.Economy, example string, ids []string, p *wire.Created, base string, cfg serveConfig) {
	title := e.Name()
	if d := examples.Description(example); d != "" {
		title = d
	}
	fmt.Fprintf(w, "\n%s\n", title)
	fmt.Fprintf(w, "The plan has %d councils; the computer plays all but %d, which are yours.\n\n", len(e.Plan.Councils), len(p.CouncilTokens)+len(p.FederationTokens))
	fmt.Fprintln(w, "1. Open each council's link (one per person, or all in one browser's tabs),")
	fmt.Fprintln(w, "   look at the prices, change the quantities if you like, and press Submit:")
	for _, id := range ids {
		if tok, ok := p.CouncilTokens[id]; ok {
			i, _ := e.Council(id)
			what := "a neighbourhood that consumes and works"
			if c := e.Scenario.Councils[i]; c.Type == "worker" {
				what = "a workplace that makes " + goodName(e, c.Output)
			}
			fmt.Fprintf(w, "     %s (%s):\n       %s\n", id, what, link(base, "council.html", p.ID, tok))
		}
		if tok, ok := p.FederationTokens[id]; ok {
			fmt.Fprintf(w, "     %s (a federation that requests for its members in common):\n       %s\n", id, link(base, "federation.html", p.ID, tok))
		}
	}
	if cfg.roundDeadline > 0 {
		fmt.Fprintf(w, "2. A round closes when every council above has submitted, or after %s;\n", cfg.roundDeadline)
		fmt.Fprintln(w, "   a council that has not submitted by then is answered by the computer,")
		fmt.Fprintln(w, "   marked \"stand-in\" on every page.")
	} else {
		fmt.Fprintln(w, "2. A round closes when every council above has submitted (there is no")
		fmt.Fprintln(w, "   deadline; the facilitator can close a round early). Then new prices")
		fmt.Fprintln(w, "   come, and you submit again, until supply and demand agree.")
	}
	fmt.Fprintf(w, "3. The facilitator's page shows who has submitted, closes rounds and can start again:\n       %s\n", link(base, "facilitator.html", p.ID, p.FacilitatorToken))
	fmt.Fprintf(w, "   Anyone can watch the plan converge on the observer's page:\n       %s\n", link(base, "observer.html", p.ID, p.ObserverToken))
	fmt.Fprintf(w, "\nCtrl-C stops the demo; its database is %s.\n", cfg.db)
}

// goodName returns a good's name, else its id.
func goodName(e *councils.Economy, id string) string {
	for _, g := range e.Scenario.Goods {
		if g.ID == id && g.Name != "" {
			return g.Name
		}
	}
	return id
}
