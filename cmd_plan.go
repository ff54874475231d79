package main

import (
	"context"
	"fmt"
	"io"

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

The journal's final steps (a movement SUCCEEDED, an object made) are not
read again: one read of each campaign's wallet checks that MANGOPAY holds
what the journal implies, and a campaign that does not is read in full.
--refresh reads everything a decision depends on, from MANGOPAY (a card
only while a pay-in still has to charge it). The plan says which it did
and the calls it spent reading.

--out FILE saves the plan, Terraform-style: FILE holds the JSON of --json
plus what 'settle apply FILE' checks before executing exactly this plan
(the plan file's hash, the target, the state read); 'settle show FILE'
prints it (docs/saved-plans.md). On a terminal, stderr shows the reading
of the state.

exit codes: 0 no changes (or changes without --detailed-exitcode),
            1 error or invalid plan, 2 changes pending (with --detailed-exitcode)

flags:
`

// planFlags are the flags of `settle plan` (and `apply --dry-run`).
type planFlags struct {
	json     bool
	detailed bool
	out      string
	refresh  bool
	common   commonFlags
}

// runPlan is `settle plan PLAN`.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var pf planFlags
	fs := newFlagSet("plan", planUsage, stdout)
	fs.BoolVar(&pf.json, "json", false, "print the plan as JSON (docs/plan-json.md)")
	fs.BoolVar(&pf.detailed, "detailed-exitcode", false, "exit 2 when there are changes")
	fs.BoolVar(&pf.refresh, "refresh", false, "read every step from MANGOPAY, not trusting the journal's final steps")
	fs.StringVar(&pf.out, "out", "", "save the plan to `FILE`: the JSON of --json plus what settle apply FILE checks (docs/saved-plans.md)")
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
	if _, saved, _ := readSavedPlan(path); saved {
		return fmt.Errorf("%s is a saved plan: 'settle show %s' prints it, 'settle apply %s' applies it", path, path, path)
	}
	s, err := openSession(ctx, path, pf.common, stderr)
	if err != nil {
		return err
	}
	defer s.close()
	cfg := s.config()
	cfg.Refresh = pf.refresh
	bar := newProgress(ctx, stderr, s.conn.Client, interruptPlan)
	if bar != nil {
		cfg.Progress = bar.update
	}
	prev, err := executor.PreviewOf(ctx, cfg, s.plan)
	bar.finish()
	if err != nil {
		return err
	}
	if pf.out != "" {
		if err := writeSavedPlan(pf.out, path, prev, s); err != nil {
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
