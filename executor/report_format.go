package executor

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// reportColumns are the money columns of the report, in order.
var reportColumns = []string{"contributions", "transferred", "fees", "paid_out", "refunded", "refunded_to_card", "pending"}

// reportRow returns a campaign's amounts in reportColumns order.
func reportRow(c CampaignReport) []int64 {
	return []int64{c.Contributions, c.Transferred, c.Fees, c.PaidOut, c.Refunded, c.RefundedCard, c.Pending}
}

// WriteReport writes r as "text", "csv" or "json".
func WriteReport(w io.Writer, r *AuditReport, format string) error {
	switch format {
	case "text", "":
		return writeReportText(w, r)
	case "csv":
		return writeReportCSV(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return fmt.Errorf("executor: report format %q: want text, csv or json", format)
}

// writeReportText writes the campaigns as an aligned table, then the
// reconciliation when there is one.
func writeReportText(w io.Writer, r *AuditReport) error {
	ew := &errWriter{w: w}
	if r.Plan != "" {
		ew.printf("Report for plan %s\n\n", r.Plan)
	}
	head := []string{"campaign", "currency"}
	for _, col := range reportColumns {
		head = append(head, strings.ReplaceAll(col, "_", " "))
	}
	head = append(head, "failed", "in doubt")
	rows := [][]string{head}
	for _, c := range r.Campaigns {
		row := []string{c.Campaign, c.Currency}
		for i, v := range reportRow(c) {
			if reportColumns[i] == "fees" && !r.FeesKnown {
				row = append(row, "n/a")
				continue
			}
			row = append(row, FormatAmount(v, c.Currency))
		}
		row = append(row, strconv.Itoa(c.Failed), strconv.Itoa(c.InDoubt))
		rows = append(rows, row)
	}
	writeTable(ew, rows, 2)
	if !r.FeesKnown {
		ew.printf("\nFees are declared in the plan: give the plan instead of the journal to see them.\n")
	}
	if r.Reconciled {
		writeReconcileText(ew, r)
	}
	return ew.err
}

// writeReconcileText writes the expected and live balances.
func writeReconcileText(ew *errWriter, r *AuditReport) {
	ew.printf("\nReconciliation (live balances):\n")
	rows := [][]string{{"wallet", "currency", "expected", "actual", "drift"}}
	drifts := 0
	for _, wr := range r.Wallets {
		rows = append(rows, []string{wr.Wallet, wr.Currency, FormatAmount(wr.Expected, wr.Currency),
			FormatAmount(wr.Actual, wr.Currency), FormatAmount(wr.Drift, wr.Currency)})
		if wr.Drift != 0 {
			drifts++
		}
	}
	writeTable(ew, rows, 2)
	if drifts == 0 {
		ew.printf("\nNo drift: every wallet holds what the journal says.\n")
		return
	}
	ew.printf("\n%d wallet(s) drift from the journal.\n", drifts)
}

// writeTable writes rows as columns indented by two spaces: the first
// left columns left-aligned, the others right-aligned.
func writeTable(ew *errWriter, rows [][]string, left int) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, cell := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			if i < left {
				fmt.Fprintf(&b, "%-*s", widths[i], cell)
				continue
			}
			fmt.Fprintf(&b, "%*s", widths[i], cell)
		}
		ew.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
}

// writeReportCSV writes one row per campaign, amounts in minor units (no
// formatting, for spreadsheets and scripts), then, when reconciled, one row
// per wallet with the record type in the first column.
func writeReportCSV(w io.Writer, r *AuditReport) error {
	cw := csv.NewWriter(w)
	head := append([]string{"record", "campaign", "currency"}, reportColumns...)
	head = append(head, "failed_steps", "in_doubt_steps")
	cw.Write(head)
	for _, c := range r.Campaigns {
		row := []string{"campaign", c.Campaign, c.Currency}
		for i, v := range reportRow(c) {
			if reportColumns[i] == "fees" && !r.FeesKnown {
				row = append(row, "")
				continue
			}
			row = append(row, strconv.FormatInt(v, 10))
		}
		cw.Write(append(row, strconv.Itoa(c.Failed), strconv.Itoa(c.InDoubt)))
	}
	if r.Reconciled {
		cw.Write([]string{"record", "wallet", "currency", "id", "expected", "actual", "drift"})
		for _, wr := range r.Wallets {
			cw.Write([]string{"wallet", wr.Wallet, wr.Currency, wr.ID, strconv.FormatInt(wr.Expected, 10),
				strconv.FormatInt(wr.Actual, 10), strconv.FormatInt(wr.Drift, 10)})
		}
	}
	cw.Flush()
	return cw.Error()
}
