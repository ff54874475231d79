package main

import (
	"context"
	"fmt"
	"io"
)

const showUsage = `usage: settle show SAVED-PLAN [--json]

Prints a plan saved by 'settle plan PLAN --out FILE': where it was saved
from (the plan file and its SHA-256, the target, when), then the plan as
settle plan printed it. --json prints the saved plan's JSON: the fields of
docs/plan-json.md plus its "saved" object (docs/saved-plans.md). Reads
nothing from the API.

exit codes: 0 printed, 1 error or not a saved plan

flags:
`

// runShow is `settle show SAVED-PLAN`.
func runShow(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("show", showUsage, stdout)
	asJSON := fs.Bool("json", false, "print the saved plan's JSON")
	fs.maxPlanSize()
	path, err := parseOnePlan(fs, args)
	if err != nil {
		return err
	}
	sp, ok, err := readSavedPlan(path)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("%s is not a saved plan: 'settle plan PLAN --out FILE' writes one", path)
	case *asJSON:
		return writeJSON(stdout, sp)
	}
	fmt.Fprintf(stdout, "Saved plan %s\n  plan file: %s (sha256 %s)\n  target:    %s", path, sp.Saved.PlanFile, sp.Saved.PlanSHA256, sp.Saved.Target)
	if sp.Saved.BaseURL != "" {
		fmt.Fprintf(stdout, " (%s)", sp.Saved.BaseURL)
	}
	fmt.Fprintf(stdout, "\n  saved at:  %s\n  apply it:  settle apply %s\n\n", sp.Saved.SavedAt.Format("2006-01-02 15:04:05 MST"), path)
	_, err = io.WriteString(stdout, sp.Saved.Text)
	return err
}
