// Command settle settles crowdfunding campaigns on the MANGOPAY API from
// declarative YAML plans: validate, plan (diff and dry run), apply, report.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command runs one subcommand and returns its exit code (DESIGN §8):
// 0 done, 1 error or invalid plan, 2 changes pending, 3 applied with failed
// steps, 4 stopped with steps in doubt, 130 interrupted.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// commands holds the subcommands; each cmd_<name>.go registers its own in init.
var commands = map[string]command{}

// Exit codes shared by the subcommands.
const (
	exitOK          = 0
	exitError       = 1
	exitChanges     = 2
	exitFailedSteps = 3
	exitInDoubt     = 4
	exitPending     = 5 // applied; some steps wait on a person or on MANGOPAY (DESIGN §12)
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand; tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitError
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "settle: unknown command %q\n", args[0])
		usage(stderr)
		return exitError
	}
	return cmd(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: settle <command> [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %s\n", n)
	}
	fmt.Fprintln(w, "\nexit codes: 0 done, 1 error or invalid plan, 2 changes pending (plan --detailed-exitcode)")
	fmt.Fprintln(w, "or drift (report --reconcile), 3 applied with failed or blocked steps, 4 stopped with")
	fmt.Fprintln(w, "steps in doubt, 5 applied with steps pending, 130 interrupted")
}
