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

const applyUsage = `usage: settle apply PLAN|SAVED-PLAN [flags]

Applies PLAN: creates what is missing, in dependency order, at most
--parallelism steps at once, every write with a deterministic idempotency
key, every state change journalled (.settle/<plan name>.journal.jsonl
beside the plan). Steps left in doubt by a crash are resolved first. A
failed step skips what depends on it; independent steps go on unless
--fail-fast. Running it again changes nothing. --dry-run is exactly
` + "`settle plan`" + `. Against production it asks for confirmation unless --yes.

Given a SAVED-PLAN (written by 'settle plan PLAN --out FILE'), it applies
exactly that plan: it refuses, sending nothing (exit 1, saying what
changed), when the plan file changed or MANGOPAY's state moved since the
plan was saved (docs/saved-plans.md). --target defaults to the saved one.

On a terminal, stderr shows the progress in phases: reading state (steps
read, API calls), then applying (steps, rate, ETA, and the rate-limit
waits). The summary (done, failed with root causes, skipped, pending, in
doubt, money moved per campaign) goes to stdout; with --json, instead, one
JSON document (docs/apply-json.md) with every step and the same totals.

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
	refresh     bool
	yes         bool
	json        bool
	jsonStream  bool
	common      commonFlags
}

// confirmInput is where the production confirmation is read from.
var confirmInput io.Reader = os.Stdin

// runApply is `settle apply PLAN`.
func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var af applyFlags
	fs := newFlagSet("apply", applyUsage, stdout)
	fs.BoolVar(&af.dryRun, "dry-run", false, "only show the plan (exactly settle plan)")
	fs.IntVar(&af.parallelism, "parallelism", executor.DefaultParallelism, "at most `N` steps in flight (N >= 1)")
	fs.durationVar(&af.wait, "wait", executor.DefaultWait, "wait up to `DURATION` for KYC verdicts and payouts (e.g. 30s, 5m; > 0)")
	fs.BoolVar(&af.failFast, "fail-fast", false, "stop dispatching at the first failed step")
	fs.BoolVar(&af.refresh, "refresh", false, "read every step from MANGOPAY, not trusting the journal's final steps (as settle plan --refresh)")
	fs.BoolVar(&af.yes, "yes", false, "do not ask for confirmation (production)")
	fs.BoolVar(&af.json, "json", false, "print one JSON document at the end instead of the summary (docs/apply-json.md)")
	fs.BoolVar(&af.jsonStream, "json-stream", false, "print one JSON line per step as it ends, then the --json document as the last line")
	af.common.register(fs)
	path, err := parseOnePlan(fs, args)
	if err != nil {
		return err
	}
	saved, isSaved, err := readSavedPlan(path)
	if err != nil {
		return err
	}
	if af.parallelism < 1 {
		return fs.usageErr("--parallelism %d: want at least 1", af.parallelism)
	}
	if af.json && af.jsonStream {
		return fs.usageErr("--json and --json-stream: choose one")
	}
	if af.wait <= 0 {
		return fs.usageErr("--wait %s: want a duration > 0", af.wait)
	}
	if isSaved {
		if err := saved.checkPlanFile(path); err != nil {
			return err
		}
		if af.common.target.target == "" {
			af.common.target.target = saved.Saved.Target
		}
		if af.dryRun {
			_, err := io.WriteString(stdout, saved.Saved.Text)
			return err
		}
		return doApply(ctx, saved.Saved.PlanFile, af, savedPlanCheck(path, saved), stdout, stderr)
	}
	if af.dryRun {
		return doPlan(ctx, path, planFlags{common: af.common, refresh: af.refresh}, stdout, stderr)
	}
	return doApply(ctx, path, af, nil, stdout, stderr)
}

// savedPlanCheck is the check doApply makes before applying a saved plan:
// the plan made now must be the one saved. It returns the plan made now.
func savedPlanCheck(path string, saved *savedPlan) func(context.Context, executor.Config, *session) (*executor.Preview, error) {
	return func(ctx context.Context, cfg executor.Config, s *session) (*executor.Preview, error) {
		prev, err := executor.PreviewOf(ctx, cfg, s.plan)
		if err != nil {
			return nil, err
		}
		return prev, saved.checkState(path, prev, s)
	}
}

// doApply runs the apply, prints its summary (or its JSON) and returns its
// outcome. check, when not nil, runs first and may refuse the run; the
// plan it made is the one the production question shows.
func doApply(ctx context.Context, path string, af applyFlags,
	check func(context.Context, executor.Config, *session) (*executor.Preview, error), stdout, stderr io.Writer) error {
	af.common.target.conns = af.parallelism // the HTTP client keeps a connection per call in flight
	s, err := openSession(ctx, path, af.common, stderr)
	if err != nil {
		return err
	}
	defer s.close()
	cfg := s.config()
	cfg.Parallelism, cfg.Wait, cfg.FailFast, cfg.Refresh = af.parallelism, af.wait, af.failFast, af.refresh
	var prev *executor.Preview // the plan made now, when check made it
	if check != nil {
		if prev, err = check(ctx, cfg, s); err != nil {
			return err
		}
	}
	if s.conn.Target.Name == targetProduction && !af.yes {
		question := stdout
		if af.json || af.jsonStream {
			question = stderr // stdout holds the JSON only
		}
		if err := confirmProduction(ctx, cfg, s, prev, question, stderr); err != nil {
			return err
		}
	}
	bar := newProgress(ctx, stderr, s.conn.Client, interruptApply)
	var stream *applyStream
	if af.jsonStream {
		stream = newApplyStream(stdout)
	}
	switch {
	case bar != nil && stream != nil:
		cfg.Progress = func(p executor.Progress) { bar.update(p); stream.progress(p) }
	case bar != nil:
		cfg.Progress = bar.update
	case stream != nil:
		cfg.Progress = stream.progress
	}
	sum, err := executor.Apply(ctx, cfg, s.plan)
	bar.finish()
	if err != nil && sum == nil {
		return err
	}
	outcome := applyOutcome(ctx, sum, err)
	var rerr error
	switch {
	case af.json:
		rerr = writeJSON(stdout, newApplyJSON(s.plan.Name, s.conn.Target.Name, sum, exitCodeOf(outcome)))
	case stream != nil:
		rerr = stream.finish(sum, newApplyJSON(s.plan.Name, s.conn.Target.Name, sum, exitCodeOf(outcome)))
	default:
		rerr = executor.RenderSummary(stdout, sum, executor.RenderOptions{Color: useColor(stdout, os.Getenv)})
	}
	return errors.Join(rerr, outcome)
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

// confirmProduction shows the plan (prev, else the plan made now) and asks
// the operator to type "yes". It returns nil when the apply may go on.
// Ctrl-C at the question cancels at once (exit 130): the answer is read on
// its own goroutine, raced against ctx.
func confirmProduction(ctx context.Context, cfg executor.Config, s *session, prev *executor.Preview, stdout, stderr io.Writer) error {
	if prev == nil {
		var err error
		if prev, err = executor.PreviewOf(ctx, cfg, s.plan); err != nil {
			return err
		}
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
