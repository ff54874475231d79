package executor

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// RenderSummary writes the human summary of an apply: the counts, then the
// failed steps with their root causes, the skipped, pending and in-doubt
// steps, and the money moved per campaign.
func RenderSummary(w io.Writer, s *Summary, opts RenderOptions) error {
	ew := &errWriter{w: w}
	head := "Apply complete"
	if s.Interrupted {
		head = "Apply interrupted"
	}
	if s.Stopped {
		head = "Apply stopped (journal write failed)"
	}
	ew.printf("%s: %d done, %d failed, %d skipped, %d pending, %d in doubt, %d unchanged.\n",
		opts.paint(ansiBold, head), s.Done, s.Failed, s.Skipped, s.Pending, s.InDoubt, s.Unchanged)
	renderResults(ew, s, StateFailed, "Failed", opts.paint(ansiRed, "!"))
	renderResults(ew, s, StateBlocked, "Blocked (not sent)", opts.paint(ansiRed, "!"))
	renderResults(ew, s, StateSkipped, "Skipped", opts.paint(ansiDim, "-"))
	renderResults(ew, s, StatePending, "Pending", opts.paint(ansiYellow, "…"))
	renderResults(ew, s, StateInDoubt, "In doubt (resolved on the next run)", opts.paint(ansiMagenta, "?"))
	renderMoney(ew, s.Money)
	renderWarnings(ew, s, opts)
	return ew.err
}

// renderResults lists the results in one state, with their error or
// MANGOPAY status.
func renderResults(ew *errWriter, s *Summary, state, title, symbol string) {
	var lines []string
	for _, r := range s.Results {
		if r.State != state || r.Step == nil {
			continue
		}
		line := fmt.Sprintf("  %s %s", symbol, r.Step.Key)
		if why := resultReason(r); why != "" {
			line += ": " + why
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return
	}
	ew.printf("\n%s:\n%s\n", title, strings.Join(lines, "\n"))
}

// renderWarnings lists the steps that carry a warning (a recipient's
// Verification of Payee result other than MATCH), by step key, last, as
// `settle report` does.
func renderWarnings(ew *errWriter, s *Summary, opts RenderOptions) {
	var lines []string
	for _, r := range s.Results {
		if r.Warning != "" && r.Step != nil {
			lines = append(lines, fmt.Sprintf("  %s %s: %s", opts.paint(ansiYellow, "!"), r.Step.Key, r.Warning))
		}
	}
	if len(lines) > 0 {
		slices.Sort(lines)
		ew.printf("\nWarnings:\n%s\n", strings.Join(lines, "\n"))
	}
}

// resultReason is one line saying why a result is what it is.
func resultReason(r *Result) string {
	if r.Err != nil {
		return oneLine(r.Err.Error())
	}
	var parts []string
	if r.Status != "" {
		parts = append(parts, r.Status)
	}
	if r.ResultCode != "" {
		parts = append(parts, r.ResultCode)
	}
	if r.ResultMessage != "" {
		parts = append(parts, r.ResultMessage)
	}
	return strings.Join(parts, " ")
}

// oneLine folds a multi-line message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// renderMoney writes every campaign's money as the run left it.
func renderMoney(ew *errWriter, money []CampaignTotals) {
	if len(money) == 0 {
		return
	}
	ew.printf("\nMoney per campaign:\n")
	writeMoneyTable(ew, money, true)
}
