package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"settle/executor"
)

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

// runPlan is `settle plan PLAN`.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var pf planFlags
	fs := newFlagSet("plan", planUsage, stderr)
	fs.BoolVar(&pf.json, "json", false, "print the plan as JSON (docs/plan-json.md)")
	fs.BoolVar(&pf.detailed, "detailed-exitcode", false, "exit 2 when there are changes")
	fs.StringVar(&pf.out, "out", "", "also write the plan as JSON to this file")
	pf.common.register(fs)
	path, err := parseOnePlan(fs, args)
	if err != nil {
		return err
	}
	return doPlan(ctx, path, pf, stdout, stderr)
}

// doPlan loads, diffs and prints a plan; `apply --dry-run` calls it too.
// With --detailed-exitcode, changes are the outcome errChanges.
func doPlan(ctx context.Context, path string, pf planFlags, stdout, stderr io.Writer) error {
	s, err := openSession(ctx, path, pf.common, stderr)
	if err != nil {
		return err
	}
	defer s.close()
	prev, err := executor.Diff(ctx, s.config(), s.plan)
	if err != nil {
		return err
	}
	if pf.out != "" {
		if err := writeJSONFile(pf.out, prev, s.conn.Target.Name); err != nil {
			return err
		}
	}
	if pf.json {
		err = executor.WritePreviewJSON(stdout, prev, s.conn.Target.Name)
	} else {
		err = executor.RenderPreview(stdout, prev, s.renderOptions(stdout))
	}
	if err != nil {
		return err
	}
	if pf.detailed && prev.HasChanges() {
		return errChanges
	}
	return nil
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
