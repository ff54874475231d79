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
            5 applied, some steps pending on a person or on MANGOPAY,
            130 interrupted (SIGINT/SIGTERM). Blocked steps count as failed;
            the README says which code wins when several apply.

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
func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var af applyFlags
	fs := newFlagSet("apply", applyUsage, stderr)
	fs.BoolVar(&af.dryRun, "dry-run", false, "only show the plan (exactly `settle plan`)")
	fs.IntVar(&af.parallelism, "parallelism", executor.DefaultParallelism, "steps in flight at most (>= 1)")
	fs.DurationVar(&af.wait, "wait", executor.DefaultWait, "how long to wait for KYC verdicts and payouts (> 0)")
	fs.BoolVar(&af.failFast, "fail-fast", false, "stop dispatching at the first failed step")
	fs.BoolVar(&af.yes, "yes", false, "do not ask for confirmation (production)")
	af.common.register(fs)
	path, err := parseOnePlan(fs, args)
	if err != nil {
		return err
	}
	if af.parallelism < 1 {
		return &usageError{msg: fmt.Sprintf("--parallelism %d: want at least 1", af.parallelism)}
	}
	if af.wait <= 0 {
		return &usageError{msg: fmt.Sprintf("--wait %s: want a duration > 0", af.wait)}
	}
	if af.dryRun {
		return doPlan(ctx, path, planFlags{common: af.common}, stdout, stderr)
	}
	return doApply(ctx, path, af, stdout, stderr)
}

// doApply runs the apply, prints its summary and returns its outcome.
func doApply(ctx context.Context, path string, af applyFlags, stdout, stderr io.Writer) error {
	af.common.target.conns = af.parallelism // the HTTP client keeps a connection per call in flight
	s, err := openSession(ctx, path, af.common, stderr)
	if err != nil {
		return err
	}
	defer s.close()
	cfg := s.config()
	cfg.Parallelism, cfg.Wait, cfg.FailFast = af.parallelism, af.wait, af.failFast
	if s.conn.Target.Name == targetProduction && !af.yes {
		if err := confirmProduction(ctx, cfg, s, stdout, stderr); err != nil {
			return err
		}
	}
	bar := newProgress(stderr, s.conn.Client)
	if bar != nil {
		cfg.Progress = bar.update
	}
	sum, err := executor.Apply(ctx, cfg, s.plan)
	bar.finish()
	if err != nil && sum == nil {
		return err
	}
	if rerr := executor.RenderSummary(stdout, sum, executor.RenderOptions{Color: useColor(stdout, os.Getenv)}); rerr != nil {
		return errors.Join(rerr, applyOutcome(ctx, sum, err))
	}
	return applyOutcome(ctx, sum, err)
}

// applyOutcome is a run's result as outcome errors, joined with the run's
// own error: interrupted, steps in doubt, failed or blocked steps, pending
// steps, each that holds. exitCodeOf decides which one the exit code tells.
func applyOutcome(ctx context.Context, sum *executor.Summary, err error) error {
	var out []error
	if sum.Interrupted || ctx.Err() != nil {
		out = append(out, errInterrupted)
	}
	if sum.InDoubt > 0 {
		out = append(out, errInDoubt)
	}
	if sum.Failed > 0 || sum.Blocked > 0 {
		out = append(out, errFailedSteps)
	}
	if sum.Pending > 0 {
		out = append(out, errPending)
	}
	return errors.Join(append(out, err)...)
}

// errDeclined is the operator's answer other than "yes" to the production
// question.
var errDeclined = errors.New("Apply cancelled: nothing was sent. Use --yes to skip this question.")

// confirmProduction shows the plan and asks the operator to type "yes".
// It returns nil when the apply may go on. Ctrl-C at the question cancels
// at once (exit 130): the answer is read on its own goroutine, raced
// against ctx.
func confirmProduction(ctx context.Context, cfg executor.Config, s *session, stdout, stderr io.Writer) error {
	prev, err := executor.Diff(ctx, cfg, s.plan)
	if err != nil {
		return err
	}
	if err := executor.RenderPreview(stdout, prev, s.renderOptions(stdout)); err != nil {
		return err
	}
	if !prev.HasChanges() {
		return nil
	}
	fmt.Fprintf(stderr, "\nApply these changes to MANGOPAY production (%s)? Only 'yes' is accepted: ", s.conn.Target.BaseURL)
	answer := make(chan readResult, 1) // the reader never blocks on a cancelled question
	go func() {
		line, err := bufio.NewReader(confirmInput).ReadString('\n')
		answer <- readResult{line, err}
	}()
	var a readResult
	select {
	case <-ctx.Done():
		fmt.Fprintln(stderr)
		return fmt.Errorf("apply cancelled at the production question, nothing was sent: %w", errInterrupted)
	case a = <-answer:
	}
	if strings.TrimSpace(a.line) == "yes" {
		return nil
	}
	fmt.Fprintln(stderr)
	if a.err != nil && !errors.Is(a.err, io.EOF) {
		return errors.Join(fmt.Errorf("reading the confirmation: %w", a.err), errDeclined)
	}
	return errDeclined
}

// readResult is a line read from the confirmation input.
type readResult struct {
	line string
	err  error
}
