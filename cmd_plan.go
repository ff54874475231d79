package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"settle/executor"
	"settle/plan"
)

func init() { commands["plan"] = runPlan }

const planUsage = `usage: settle plan PLAN [flags]

Reads what exists on the target, diffs it against PLAN and replays every
step on the live balances (the pre-flight): per step + create, ~ update,
= unchanged, > adopt, ! blocked (with the reason), ? in doubt; per wallet
the balance before and after; the fees; the API calls the run needs and
the least time they take under MANGOPAY's rate limits. Nothing is written.

Colour unless NO_COLOR is set or stdout is not a terminal (CLICOLOR_FORCE=1
forces it). --json prints the stable machine shape of docs/plan-json.md.

exit codes: 0 no changes (or changes without --detailed-exitcode),
            1 error or invalid plan, 2 changes pending (with --detailed-exitcode)

flags:
`

// planFlags are the flags of `settle plan` (and `apply --dry-run`).
type planFlags struct {
	json     bool
	detailed bool
	out      string
	common   commonFlags
}

// commonFlags are the flags every command that reaches the API shares.
type commonFlags struct {
	journal string
	target  targetFlags
	log     logFlags
}

// register adds the common flags to fs.
func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.journal, "journal", "", "journal file (default .settle/<plan name>.journal.jsonl beside the plan)")
	c.target.register(fs)
	c.log.register(fs)
}

// runPlan is `settle plan PLAN`.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var pf planFlags
	fs := newFlagSet("plan", planUsage, stderr)
	fs.BoolVar(&pf.json, "json", false, "print the plan as JSON (docs/plan-json.md)")
	fs.BoolVar(&pf.detailed, "detailed-exitcode", false, "exit 2 when there are changes")
	fs.StringVar(&pf.out, "out", "", "also write the plan as JSON to this file")
	pf.common.register(fs)
	path, code, ok := parseOnePlan(fs, args, stderr)
	if !ok {
		return code
	}
	return doPlan(ctx, path, pf, stdout, stderr)
}

// doPlan loads, diffs and prints a plan; `apply --dry-run` calls it too.
func doPlan(ctx context.Context, path string, pf planFlags, stdout, stderr io.Writer) int {
	s, code, ok := openSession(ctx, path, pf.common, stderr)
	if !ok {
		return code
	}
	defer s.close(stderr)
	prev, err := executor.Diff(ctx, s.config(), s.plan)
	if err != nil {
		return fail(ctx, stderr, "plan", err)
	}
	if pf.out != "" {
		if err := writeJSONFile(pf.out, prev, s.conn.Target.Name); err != nil {
			return fail(ctx, stderr, "plan", err)
		}
	}
	if pf.json {
		err = executor.WritePreviewJSON(stdout, prev, s.conn.Target.Name)
	} else {
		err = executor.RenderPreview(stdout, prev, s.renderOptions(stdout))
	}
	if err != nil {
		return fail(ctx, stderr, "plan", err)
	}
	if pf.detailed && prev.HasChanges() {
		return exitChanges
	}
	return exitOK
}

// writeJSONFile writes the JSON preview to path, mode 0600 (it names
// wallets and amounts).
func writeJSONFile(path string, prev *executor.Preview, target string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := executor.WritePreviewJSON(f, prev, target); err != nil {
		f.Close()
		return fmt.Errorf("--out: %w", err)
	}
	return f.Close()
}

// newFlagSet returns a flag set whose usage prints text then the flags.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("settle "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses flags placed before, between or after the positional
// arguments ("settle plan x.yaml --json" works), and returns the
// positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseOnePlan parses args that must hold exactly one PLAN. When ok is
// false the command returns code (0 for -h).
func parseOnePlan(fs *flag.FlagSet, args []string, stderr io.Writer) (path string, code int, ok bool) {
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return "", exitOK, false
	}
	if err != nil {
		return "", exitError, false
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "%s: want exactly one PLAN, got %d arguments\n", fs.Name(), len(pos))
		fs.Usage()
		return "", exitError, false
	}
	return pos[0], exitOK, true
}

// loadPlan loads and validates a plan. Validation errors are printed one
// per line on stderr; nothing else has happened yet, in particular no
// client exists.
func loadPlan(path string, stderr io.Writer) (*plan.Plan, bool) {
	p, err := plan.Load(path)
	if err == nil {
		return p, true
	}
	var list plan.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(stderr, e)
		}
		return nil, false
	}
	fmt.Fprintf(stderr, "settle: %v\n", err)
	return nil, false
}

// session is a validated plan with a live connection to its target.
type session struct {
	plan    *plan.Plan
	conn    *connection
	journal string
	common  commonFlags
	log     *slog.Logger
}

// openSession validates the plan, then resolves the target and connects.
func openSession(ctx context.Context, path string, cf commonFlags, stderr io.Writer) (*session, int, bool) {
	log, err := cf.log.logger(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "settle: %v\n", err)
		return nil, exitError, false
	}
	p, ok := loadPlan(path, stderr)
	if !ok {
		return nil, exitError, false
	}
	spec, err := resolveTarget(cf.target, p.Target, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "settle: %v\n", err)
		return nil, exitError, false
	}
	conn, err := connect(ctx, spec, p.Dir, cf.target.basicAuth, log)
	if err != nil {
		fmt.Fprintf(stderr, "settle: %v\n", err)
		return nil, exitError, false
	}
	return &session{plan: p, conn: conn, journal: journalPath(p, cf.journal), common: cf, log: log}, exitOK, true
}

// journalPath is --journal, or .settle/<plan name>.journal.jsonl beside
// the plan.
func journalPath(p *plan.Plan, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return filepath.Join(p.Dir, ".settle", p.Name+".journal.jsonl")
}

// config is the executor configuration of the session.
func (s *session) config() executor.Config {
	return executor.Config{Client: s.conn.Client, JournalPath: s.journal, Target: s.conn.Target.Name, Logger: s.log}
}

// renderOptions are the options of the session's human output on stdout:
// colour, and the header's target and base URL (an embedded target's
// loopback port says nothing, so it is left out).
func (s *session) renderOptions(stdout io.Writer) executor.RenderOptions {
	opts := executor.RenderOptions{Color: useColor(stdout, os.Getenv), Target: s.conn.Target.Name}
	if s.conn.Target.Name != targetEmbedded {
		opts.BaseURL = s.conn.Target.BaseURL
	}
	return opts
}

// close releases the connection, reporting a failure on stderr.
func (s *session) close(stderr io.Writer) {
	if err := s.conn.Close(); err != nil {
		fmt.Fprintf(stderr, "settle: closing the %s target: %v\n", s.conn.Target.Name, err)
	}
}

// fail prints a command's error and returns its exit code: 130 when the
// run was interrupted, 1 otherwise.
func fail(ctx context.Context, stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "settle %s: %s\n", cmd, strings.TrimSpace(err.Error()))
	if ctx.Err() != nil {
		return exitInterrupted
	}
	return exitError
}
