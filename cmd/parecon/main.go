// Command parecon is a participatory planning facilitator: it runs plans
// headless on simulated councils, compares price rules, generates
// economies, and serves live plans to councils, facilitators and observers.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand of parecon.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", "run a scenario headless on simulated councils", cmdRun},
		{"serve", "serve live plans to councils, facilitators and observers", cmdServe},
		{"demo", "serve a bundled example plan that converges live, and print its links", cmdDemo},
		{"gen", "write a random valid scenario", cmdGen},
		{"compare", "compare the price rules' rounds on scenarios", cmdCompare},
		{"cluster", "start a local demo cluster: servers on one PostgreSQL database, with the demo plan", cmdCluster},
		{"loadtest", "hold N council websockets on a loopback server and measure it", cmdLoadtest},
		{"verify", "check a council's proofs and the chain of round roots against a server", cmdVerify},
	}
}

// run dispatches to a subcommand and returns the exit status: parecon
// alone prints the usage and exits 2; -h, --help and help print it on
// stdout and exit 0 (help COMMAND is COMMAND --help); --version and
// version print the version.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return 0
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, "parecon", versionString())
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "parecon: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: parecon COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nparecon COMMAND --help describes a command's flags; parecon --version prints the version.")
}
