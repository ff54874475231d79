package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"settle/executor"
	"settle/plan"
)

const reportUsage = `usage: settle report PLAN|JOURNAL [flags]

Prints, per campaign and in total, what the journal says reached whom:
collected from payers, moved to project, platform fees, sent to owner bank
(net of the payout fee), pending to owner bank, returned to payer wallets,
returned to payer cards (net of fee refunds), failed and in-doubt steps
(docs/report.md documents each column). Given the PLAN, the journal is the
plan's (or --journal); a JOURNAL (.jsonl) alone gives the same figures.

--reconcile (needs the PLAN) also reads the live balance of every wallet
settle created and shows the drift from the balances the journal implies;
with --format csv it prints that table instead of the campaigns (one table
per CSV). CSV amounts are in minor units; text amounts are decimal; JSON
has a format_version.

exit codes: 0 report printed, 1 error, invalid plan or a plan never
            applied (no journal), 2 (with --reconcile) a wallet drifts

flags:
`

// reportFlags are the flags of `settle report`.
type reportFlags struct {
	format    string
	reconcile bool
	common    commonFlags
}

// runReport is `settle report PLAN|JOURNAL`.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var rf reportFlags
	fs := newFlagSet("report", reportUsage, stdout)
	fs.StringVar(&rf.format, "format", "text", "output `FORMAT`: text | csv | json")
	fs.BoolVar(&rf.reconcile, "reconcile", false, "compare with the live wallet balances (needs the PLAN and the target)")
	rf.common.register(fs)
	path, err := parseOnePlan(fs, args)
	if err != nil {
		return err
	}
	switch rf.format {
	case "text", "csv", "json":
	default:
		return fs.usageErr("--format %q: want text, csv or json", rf.format)
	}
	journal, err := isJournal(path)
	if err != nil {
		return err
	}
	if journal {
		return reportJournal(path, rf, stdout)
	}
	return reportPlan(ctx, path, rf, stdout, stderr)
}

// isJournal tells a journal from a plan: a .jsonl name, or a first line
// that is a JSON journal record (a plan may be written as JSON too).
func isJournal(path string) (bool, error) {
	if strings.HasSuffix(path, ".jsonl") {
		return true, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	first, _, _ := bytes.Cut(bytes.TrimSpace(data), []byte("\n"))
	var rec map[string]any
	if json.Unmarshal(first, &rec) != nil {
		return false, nil
	}
	_, step := rec["step"]
	_, state := rec["state"]
	return step && state, nil
}

// reportJournal reports from a journal alone.
func reportJournal(path string, rf reportFlags, stdout io.Writer) error {
	if rf.reconcile {
		return &usageError{msg: "--reconcile needs the PLAN (the journal does not say which wallets are settle's)", cmd: "report"}
	}
	records, err := executor.ReadJournal(path)
	if err != nil {
		return err
	}
	if len(records) == 0 {
		return fmt.Errorf("%s: no journal records", path)
	}
	rep := executor.AuditReportOf(records, nil)
	return executor.WriteReport(stdout, rep, rf.format)
}

// reportPlan reports from a plan and its journal, reconciling on demand:
// a wallet that drifts is the outcome errDrift. A plan never applied (no
// journal) has nothing to report: an error, not a table of zeros.
func reportPlan(ctx context.Context, path string, rf reportFlags, stdout, stderr io.Writer) error {
	p, err := plan.Load(path)
	if err != nil {
		return err
	}
	steps, err := plan.Expand(p)
	if err != nil {
		return err
	}
	jpath := journalPath(p, rf.common.journal)
	if _, err := os.Stat(jpath); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no journal at %s: nothing was applied from here yet", jpath)
	}
	records, err := executor.ReadJournal(jpath)
	if err != nil {
		return err
	}
	rep := executor.AuditReportOf(records, steps)
	rep.Plan = p.Name
	if rf.reconcile {
		if err := reconcile(ctx, p, rf, rep, records, steps, stderr); err != nil {
			return err
		}
	}
	if err := executor.WriteReport(stdout, rep, rf.format); err != nil {
		return err
	}
	if rep.Drifting() > 0 {
		return errDrift
	}
	return nil
}

// reconcile connects to the plan's target (the plan reportPlan loaded)
// and fills the report's live balances.
func reconcile(ctx context.Context, p *plan.Plan, rf reportFlags, rep *executor.AuditReport,
	records []executor.Record, steps []*plan.Step, stderr io.Writer) error {
	log, err := rf.common.log.logger(stderr)
	if err != nil {
		return err
	}
	conn, err := dial(ctx, rf.common.target, p.Target, p.Dir, log)
	if err != nil {
		return err
	}
	defer hangUp(conn, log)
	return executor.Reconcile(ctx, conn.Client, rep, records, steps)
}
