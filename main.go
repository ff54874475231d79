// Command settle settles crowdfunding campaigns on the MANGOPAY API from
// declarative YAML plans: validate, plan (diff and dry run), apply, report.
//
// The commands are listed in [commands], one cmd_<name>.go each. A command
// returns an error and never chooses an exit code nor prints its error:
// [run] does both, through [exitCodeOf] and [printError]. The outcomes that
// are not faults (changes pending, failed steps, steps in doubt or pending,
// an interruption) are errors too, so that the exit code is chosen here
// and nowhere else.
//
// Every command parses its arguments with parseArgs (flags.go): flags
// before or after the arguments, -h printing the command's help on stdout,
// a mistake returned as a [usageError], which printError prints as one line
// and where the help is. Other errors are printed for people (explain.go):
// one prefix, what failed in the user's terms, what to do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"settle/executor"
	"settle/plan"
)

// command is one subcommand: its name as typed (two words for those of
// `settle sandbox`), a line for `settle help`, and the function that runs
// it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands are settle's subcommands, in the order `settle help` lists them.
var commands = []command{
	{"validate", "check plans: YAML, schema, references, money", runValidate},
	{"plan", "diff a plan against MANGOPAY and replay it on the live balances", runPlan},
	{"apply", "make it so: idempotent, journalled, safe to kill and re-run", runApply},
	{"report", "per campaign, what the journal says moved (--reconcile: live balances)", runReport},
	{"graph", "the step graph of a plan in Graphviz DOT", runGraph},
	{"show", "print a plan saved by plan --out", runShow},
	{"unlock", "remove a lock a crashed run left, once its holder is gone", runUnlock},
	{"import", "write the plan that settles a campaign already on MANGOPAY (read only)", runImport},
	{"schema", "the JSON schema of plan files, for editors", runSchema},
	{"sandbox serve", "serve the embedded MANGOPAY sandbox over HTTP", runSandboxServe},
	{"sandbox seed", "create objects with fixed Ids in a sandbox", runSandboxSeed},
	{"completion", "shell completion script: bash, zsh or fish", runCompletion},
	{"version", "settle's version, commit and Go version", runVersion},
}

// Exit codes, DESIGN §8 and the README's table.
const (
	exitOK          = 0
	exitError       = 1
	exitChanges     = 2 // plan --detailed-exitcode: changes pending; report --reconcile: drift
	exitFailedSteps = 3
	exitInDoubt     = 4
	exitPending     = 5 // applied; some steps wait on a person or on MANGOPAY (DESIGN §12)
	exitInterrupted = 130
)

// Outcomes: how a run ended when nothing went wrong in settle itself. A
// command returns them (joined with errors.Join when there are several,
// or with a real error); bare, they print nothing, since the command's
// output already says what happened.
var (
	errChanges     = errors.New("changes pending")
	errDrift       = errors.New("wallets drift from the journal")
	errFailedSteps = errors.New("steps failed or were blocked")
	errInDoubt     = errors.New("steps in doubt")
	errPending     = errors.New("steps pending on a person or on MANGOPAY")
	errInterrupted = errors.New("interrupted")
	// errInvalidPlans (cmd_validate.go) is validate's outcome when its
	// machine output already lists the problems: exit 1, nothing more printed.
)

// outcomes lists the outcome errors above.
var outcomes = []error{errChanges, errDrift, errFailedSteps, errInDoubt, errPending, errInterrupted, errInvalidPlans}

// usageError is a command line settle cannot run: printError prints its
// message on one line, then where the help of cmd is ("settle" alone when
// cmd is empty).
type usageError struct {
	msg string
	cmd string
}

func (e *usageError) Error() string {
	if e.msg == "" {
		return "usage error"
	}
	return e.msg
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command args name and returns its exit code, after
// printing its error; tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd, rest, err := lookup(args, stdout, stderr)
	if err == nil {
		err = cmd.run(ctx, rest, stdout, stderr)
	}
	if err != nil && ctx.Err() != nil {
		err = errors.Join(err, errInterrupted) // whatever failed, failed because the run was cut short
	}
	printError(stderr, cmd.name, err)
	return exitCodeOf(err)
}

// exitCodeOf maps a command's error to settle's exit code. When a run has
// several outcomes, the first case that matches wins: this order is the
// precedence the README documents (130, 4, 1, 3, 2, 5, 0).
func exitCodeOf(err error) int {
	var usage *usageError
	var invalid plan.ErrorList
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, errInDoubt):
		return exitInDoubt
	case errors.As(err, new(*executor.OwnerSCAError)):
		return exitPending // MANGOPAY waits for an owner to authenticate: a person, not a failure
	case errors.As(err, &usage), errors.As(err, &invalid), errors.Is(err, errInvalidPlans), !isOutcome(err):
		return exitError
	case errors.Is(err, errFailedSteps):
		return exitFailedSteps
	case errors.Is(err, errChanges), errors.Is(err, errDrift):
		return exitChanges
	case errors.Is(err, errPending):
		return exitPending
	}
	return exitError
}

// isOutcome reports whether err is made of outcomes only: every error in
// its tree that wraps nothing is one of [outcomes].
func isOutcome(err error) bool {
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if !isOutcome(e) {
				return false
			}
		}
		return true
	case interface{ Unwrap() error }:
		return isOutcome(u.Unwrap())
	}
	return slices.Contains(outcomes, err)
}

// printError prints a command's error on stderr: a plan's problems one per
// line ("file:line:col: path: message"), a usage error as one line and
// where the help is, anything else as "settle <command>: <error>" in the
// user's terms ([forPeople]). Bare outcomes, -h and nil print nothing.
func printError(w io.Writer, name string, err error) {
	var usage *usageError
	var invalid plan.ErrorList
	joined, isJoined := err.(interface{ Unwrap() []error })
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp), slices.Contains(outcomes, err):
	case isJoined:
		for _, e := range joined.Unwrap() {
			printError(w, name, e)
		}
	case errors.As(err, &usage):
		fmt.Fprintf(w, "%s: %s\n", prefix(name), usage.msg)
		if usage.cmd == "" {
			fmt.Fprintln(w, "run 'settle help' for the commands")
		} else {
			fmt.Fprintf(w, "run 'settle %s -h' for its usage and flags\n", usage.cmd)
		}
	case errors.As(err, &invalid):
		for _, e := range invalid {
			fmt.Fprintln(w, e)
		}
	default:
		fmt.Fprintf(w, "%s: %s\n", prefix(name), forPeople(err))
	}
}

// prefix is "settle" or "settle <command>", what error lines start with.
func prefix(name string) string {
	if name == "" {
		return "settle"
	}
	return "settle " + name
}

// lookup finds the command args start with and returns it with the
// arguments after its name. `settle -h`, `settle help` and `settle sandbox
// -h` print the list of commands on stdout, `settle help CMD` the help of
// CMD; `settle` and `settle sandbox` alone print it on stderr (exit 1).
func lookup(args []string, stdout, stderr io.Writer) (command, []string, error) {
	if len(args) > 0 && args[0] == "--version" {
		args = append([]string{"version"}, args[1:]...)
	}
	if len(args) > 1 && args[0] == "help" {
		return lookup(append(slices.Clone(args[1:]), "-h"), stdout, stderr)
	}
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			return c, args[len(words):], nil
		}
	}
	group := ""
	if len(args) > 0 && isGroup(args[0]) {
		group, args = args[0], args[1:]
	}
	switch {
	case len(args) == 0:
		usage(stderr, group)
		return command{}, nil, &usageError{msg: "no command given", cmd: group}
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		usage(stdout, group)
		return command{}, nil, flag.ErrHelp
	}
	return command{}, nil, &usageError{msg: fmt.Sprintf("unknown command %q", strings.TrimSpace(group+" "+args[0])), cmd: group}
}

// isGroup reports whether word starts the name of several commands
// (sandbox).
func isGroup(word string) bool {
	return slices.ContainsFunc(commands, func(c command) bool { return strings.HasPrefix(c.name, word+" ") })
}

// usage lists the commands, those of group only when it is not empty.
func usage(w io.Writer, group string) {
	fmt.Fprintln(w, "settle settles crowdfunding campaigns on MANGOPAY from YAML plans.")
	fmt.Fprintln(w, "\nusage: settle "+strings.TrimSpace(group+" <command>")+" [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		if group == "" || strings.HasPrefix(c.name, group+" ") {
			fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintln(w, "\n`settle help <command>` or `settle <command> -h` describes a command, its flags and its exit codes.")
	fmt.Fprintln(w, "\nexit codes: 0 done, 1 error or invalid plan, 2 changes pending (plan --detailed-exitcode)")
	fmt.Fprintln(w, "or drift (report --reconcile), 3 applied with failed or blocked steps, 4 stopped with")
	fmt.Fprintln(w, "steps in doubt, 5 applied with steps pending, 130 interrupted")
}
