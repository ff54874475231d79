package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"settle/executor"
)

func init() { commands["apply"] = runApply }

const applyUsage = `usage: settle apply PLAN [flags]

Applies PLAN: creates what is missing, in dependency order, at most
--parallelism steps at once, every write with a deterministic idempotency
key, every state change journalled (.settle/<plan name>.journal.jsonl
beside the plan). Steps left in doubt by a crash are resolved first. A
failed step skips what depends on it; independent steps go on unless
--fail-fast. Running it again changes nothing. --dry-run is exactly
` + "`settle plan`" + `. Against production it asks for confirmation unless --yes.

A progress bar is drawn on stderr when it is a terminal; the summary (done,
failed with root causes, skipped, pending, in doubt, money moved per
campaign) goes to stdout.

exit codes: 0 done (or nothing to do), 1 error or invalid plan,
            3 applied with failed steps, 4 stopped with steps in doubt,
            130 interrupted (SIGINT/SIGTERM)

flags:
`

// applyFlags are the flags of `settle apply`.
type applyFlags struct {
	dryRun      bool
	parallelism int
	wait        time.Duration
	failFast    bool
	yes         bool
	common      commonFlags
}

// confirmInput is where the production confirmation is read from.
var confirmInput io.Reader = os.Stdin

// runApply is `settle apply PLAN`.
func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var af applyFlags
	fs := newFlagSet("apply", applyUsage, stderr)
	fs.BoolVar(&af.dryRun, "dry-run", false, "only show the plan (exactly `settle plan`)")
	fs.IntVar(&af.parallelism, "parallelism", executor.DefaultParallelism, "steps in flight at most (>= 1)")
	fs.DurationVar(&af.wait, "wait", executor.DefaultWait, "how long to wait for KYC verdicts and payouts (> 0)")
	fs.BoolVar(&af.failFast, "fail-fast", false, "stop dispatching at the first failed step")
	fs.BoolVar(&af.yes, "yes", false, "do not ask for confirmation (production)")
	af.common.register(fs)
	path, code, ok := parseOnePlan(fs, args, stderr)
	if !ok {
		return code
	}
	if af.parallelism < 1 {
		fmt.Fprintf(stderr, "settle apply: --parallelism %d: want at least 1\n", af.parallelism)
		return exitError
	}
	if af.wait <= 0 {
		fmt.Fprintf(stderr, "settle apply: --wait %s: want a duration > 0\n", af.wait)
		return exitError
	}
	if af.dryRun {
		return doPlan(ctx, path, planFlags{common: af.common}, stdout, stderr)
	}
	return doApply(ctx, path, af, stdout, stderr)
}

// doApply runs the apply and maps its summary to an exit code.
func doApply(ctx context.Context, path string, af applyFlags, stdout, stderr io.Writer) int {
	af.common.target.conns = af.parallelism // the HTTP client keeps a connection per call in flight
	s, code, ok := openSession(ctx, path, af.common, stderr)
	if !ok {
		return code
	}
	defer s.close(stderr)
	cfg := s.config()
	cfg.Parallelism, cfg.Wait, cfg.FailFast = af.parallelism, af.wait, af.failFast
	if s.conn.Target.Name == targetProduction && !af.yes {
		if code, ok := confirmProduction(ctx, cfg, s, stdout, stderr); !ok {
			return code
		}
	}
	bar := newProgress(stderr, s.conn.Client)
	if bar != nil {
		cfg.Progress = bar.update
	}
	sum, err := executor.Apply(ctx, cfg, s.plan)
	bar.finish()
	if err != nil && sum == nil {
		return fail(ctx, stderr, "apply", err)
	}
	if rerr := executor.RenderSummary(stdout, sum, executor.RenderOptions{Color: useColor(stdout, os.Getenv)}); rerr != nil {
		return fail(ctx, stderr, "apply", rerr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "settle apply: %v\n", err)
	}
	return applyExitCode(ctx, sum, err)
}

// applyExitCode maps a run's outcome to DESIGN §8's codes: interrupted
// first, then in doubt, then failed steps.
func applyExitCode(ctx context.Context, sum *executor.Summary, err error) int {
	switch {
	case sum.Interrupted || errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return exitInterrupted
	case sum.InDoubt > 0:
		return exitInDoubt
	case err != nil:
		return exitError
	case sum.Failed > 0 || sum.Blocked > 0:
		return exitFailedSteps
	}
	return exitOK
}

// confirmProduction shows the plan and asks the operator to type "yes".
// ok is false when the apply must not go on; code is then the exit code.
func confirmProduction(ctx context.Context, cfg executor.Config, s *session, stdout, stderr io.Writer) (int, bool) {
	prev, err := executor.Diff(ctx, cfg, s.plan)
	if err != nil {
		return fail(ctx, stderr, "apply", err), false
	}
	opts := executor.RenderOptions{Color: useColor(stdout, os.Getenv), Target: targetProduction}
	if err := executor.RenderPreview(stdout, prev, opts); err != nil {
		return fail(ctx, stderr, "apply", err), false
	}
	if !prev.HasChanges() {
		return exitOK, true
	}
	fmt.Fprintf(stderr, "\nApply these changes to MANGOPAY production (%s)? Only 'yes' is accepted: ", s.conn.Target.BaseURL)
	line, err := bufio.NewReader(confirmInput).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		if err != nil && !errors.Is(err, io.EOF) {
			fmt.Fprintf(stderr, "\nsettle apply: reading the confirmation: %v\n", err)
		}
		fmt.Fprintln(stderr, "\nApply cancelled: nothing was sent. Use --yes to skip this question.")
		return exitError, false
	}
	return exitOK, true
}
