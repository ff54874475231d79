package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"settle/executor"
	"settle/plan"
)

func init() { commands["report"] = runReport }

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

exit codes: 0 report printed, 1 error or invalid plan

flags:
`

// reportFlags are the flags of `settle report`.
type reportFlags struct {
	format    string
	reconcile bool
	common    commonFlags
}

// runReport is `settle report PLAN|JOURNAL`.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var rf reportFlags
	fs := newFlagSet("report", reportUsage, stderr)
	fs.StringVar(&rf.format, "format", "text", "text | csv | json")
	fs.BoolVar(&rf.reconcile, "reconcile", false, "compare with the live wallet balances (needs the PLAN and the target)")
	rf.common.register(fs)
	path, code, ok := parseOnePlan(fs, args, stderr)
	if !ok {
		return code
	}
	switch rf.format {
	case "text", "csv", "json":
	default:
		fmt.Fprintf(stderr, "settle report: --format %q: want text, csv or json\n", rf.format)
		return exitError
	}
	journal, err := isJournal(path)
	if err != nil {
		fmt.Fprintf(stderr, "settle report: %v\n", err)
		return exitError
	}
	if journal {
		return reportJournal(path, rf, stdout, stderr)
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
func reportJournal(path string, rf reportFlags, stdout, stderr io.Writer) int {
	if rf.reconcile {
		fmt.Fprintln(stderr, "settle report: --reconcile needs the PLAN (the journal does not say which wallets are settle's)")
		return exitError
	}
	records, err := executor.ReadJournal(path)
	if err != nil {
		fmt.Fprintf(stderr, "settle report: %v\n", err)
		return exitError
	}
	if len(records) == 0 {
		fmt.Fprintf(stderr, "settle report: %s: no journal records\n", path)
		return exitError
	}
	rep := executor.Report(records, nil)
	return writeReport(stdout, stderr, rep, rf.format)
}

// reportPlan reports from a plan and its journal, reconciling on demand.
func reportPlan(ctx context.Context, path string, rf reportFlags, stdout, stderr io.Writer) int {
	p, ok := loadPlan(path, stderr)
	if !ok {
		return exitError
	}
	steps, err := plan.Expand(p)
	if err != nil {
		fmt.Fprintf(stderr, "settle report: %v\n", err)
		return exitError
	}
	jpath := journalPath(p, rf.common.journal)
	records, err := executor.ReadJournal(jpath)
	if err != nil {
		fmt.Fprintf(stderr, "settle report: %v\n", err)
		return exitError
	}
	if len(records) == 0 {
		fmt.Fprintf(stderr, "settle report: no journal at %s: nothing was applied from here yet\n", jpath)
	}
	rep := executor.Report(records, steps)
	rep.Plan = p.Name
	if rf.reconcile {
		if code, ok := reconcile(ctx, path, rf, rep, records, steps, stderr); !ok {
			return code
		}
	}
	return writeReport(stdout, stderr, rep, rf.format)
}

// reconcile connects to the plan's target and fills the report's live
// balances.
func reconcile(ctx context.Context, path string, rf reportFlags, rep *executor.AuditReport,
	records []executor.Record, steps []*plan.Step, stderr io.Writer) (int, bool) {
	s, code, ok := openSession(ctx, path, rf.common, stderr)
	if !ok {
		return code, false
	}
	defer s.close(stderr)
	if err := executor.Reconcile(ctx, s.conn.Client, rep, records, steps); err != nil {
		return fail(ctx, stderr, "report", err), false
	}
	return exitOK, true
}

// writeReport writes the report in the chosen format.
func writeReport(stdout, stderr io.Writer, rep *executor.AuditReport, format string) int {
	if err := executor.WriteReport(stdout, rep, format); err != nil {
		fmt.Fprintf(stderr, "settle report: %v\n", err)
		return exitError
	}
	return exitOK
}
