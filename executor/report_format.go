package executor

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// moneyColumn is one column of the money tables: the summary's, the
// report's (text and CSV), and the JSON fields of [CampaignTotals], which
// carry the same names (docs/report.md).
type moneyColumn struct {
	name  string // CSV header and JSON field
	value func(CampaignTotals) int64
	count bool // a number of steps, not an amount
	fees  bool // the platform fees: unknown without fees (AuditReport.FeesKnown)
}

// moneyColumns are the money columns, in order; their text headers are
// their names with spaces, over two lines.
var moneyColumns = []moneyColumn{
	{name: "collected_from_payers", value: func(t CampaignTotals) int64 { return t.CollectedFromPayers }},
	{name: "moved_to_project", value: func(t CampaignTotals) int64 { return t.MovedToProject }},
	{name: "platform_fees", value: func(t CampaignTotals) int64 { return t.PlatformFees }, fees: true},
	{name: "sent_to_owner_bank", value: func(t CampaignTotals) int64 { return t.SentToOwnerBank }},
	{name: "pending_to_owner_bank", value: func(t CampaignTotals) int64 { return t.PendingToOwnerBank }},
	{name: "returned_to_payer_wallets", value: func(t CampaignTotals) int64 { return t.ReturnedToPayerWallets }},
	{name: "returned_to_payer_cards", value: func(t CampaignTotals) int64 { return t.ReturnedToPayerCards }},
	{name: "failed_steps", value: func(t CampaignTotals) int64 { return int64(t.FailedSteps) }, count: true},
	{name: "in_doubt_steps", value: func(t CampaignTotals) int64 { return int64(t.InDoubtSteps) }, count: true},
}

// totalLabel names the total lines of the text tables; it cannot be a
// campaign key (plan keys have no spaces).
const totalLabel = "all campaigns"

// textHeader splits a column name over two lines at the word nearest to
// its middle: "collected_from_payers" is "collected" / "from payers".
func textHeader(name string) [2]string {
	words := strings.Split(name, "_")
	best, cut := len(name), 1
	for i := 1; i < len(words); i++ {
		top := len(strings.Join(words[:i], " "))
		bottom := len(strings.Join(words[i:], " "))
		if w := max(top, bottom); w < best {
			best, cut = w, i
		}
	}
	return [2]string{strings.Join(words[:cut], " "), strings.Join(words[cut:], " ")}
}

// writeMoneyTable writes one line per campaign and a total line per
// currency, amounts as decimals of their currency, right-aligned.
func writeMoneyTable(ew *errWriter, campaigns []CampaignTotals, feesKnown bool) {
	top, bottom := []string{"campaign", "currency"}, []string{"", ""}
	for _, col := range moneyColumns {
		h := textHeader(col.name)
		top, bottom = append(top, h[0]), append(bottom, h[1])
	}
	rows := [][]string{top, bottom}
	line := func(label string, t CampaignTotals) []string {
		row := []string{label, t.Currency}
		for _, col := range moneyColumns {
			switch v := col.value(t); {
			case col.fees && !feesKnown:
				row = append(row, "n/a")
			case col.count:
				row = append(row, strconv.FormatInt(v, 10))
			default:
				row = append(row, FormatAmount(v, t.Currency))
			}
		}
		return row
	}
	for _, c := range campaigns {
		rows = append(rows, line(c.Campaign, c))
	}
	for _, t := range SumByCurrency(campaigns) {
		rows = append(rows, line(totalLabel, t))
	}
	writeTable(ew, rows, 2)
}

// WriteReport writes r as "text", "csv" or "json". CSV holds one table:
// the campaigns and their total lines or, when r is reconciled, the
// wallets' reconciliation.
func WriteReport(w io.Writer, r *AuditReport, format string) error {
	switch format {
	case "text", "":
		return writeReportText(w, r)
	case "csv":
		if r.Reconciled {
			return writeReconcileCSV(w, r)
		}
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
	writeMoneyTable(ew, r.Campaigns, r.FeesKnown)
	if !r.FeesKnown {
		ew.printf("\nThis journal predates journalled fees: platform fees are unknown and amounts are before fees.\n" +
			"Give the plan instead of the journal to see them.\n")
	}
	if r.Reconciled {
		writeReconcileText(ew, r)
	}
	if len(r.Warnings) > 0 {
		ew.printf("\nWarnings:\n")
		for _, w := range r.Warnings {
			ew.printf("  ! %s\n", w)
		}
	}
	return ew.err
}

// writeReconcileText writes the expected and live balances.
func writeReconcileText(ew *errWriter, r *AuditReport) {
	ew.printf("\nReconciliation (live balances):\n")
	rows := [][]string{{"wallet", "currency", "expected", "actual", "drift"}}
	for _, wr := range r.Wallets {
		rows = append(rows, []string{wr.Wallet, wr.Currency, FormatAmount(wr.Expected, wr.Currency),
			FormatAmount(wr.Actual, wr.Currency), FormatAmount(wr.Drift, wr.Currency)})
	}
	writeTable(ew, rows, 2)
	drifts := r.Drifting()
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

// writeReportCSV writes one row per campaign and one total row per
// currency, amounts in minor units (no formatting, for spreadsheets and
// scripts); the first column says which ("campaign" or "total").
func writeReportCSV(w io.Writer, r *AuditReport) error {
	cw := csv.NewWriter(w)
	head := []string{"record", "campaign", "currency"}
	for _, col := range moneyColumns {
		head = append(head, col.name)
	}
	cw.Write(head)
	row := func(record string, t CampaignTotals) []string {
		out := []string{record, t.Campaign, t.Currency}
		for _, col := range moneyColumns {
			if col.fees && !r.FeesKnown {
				out = append(out, "")
				continue
			}
			out = append(out, strconv.FormatInt(col.value(t), 10))
		}
		return out
	}
	for _, c := range r.Campaigns {
		cw.Write(row("campaign", c))
	}
	for _, t := range r.Totals {
		cw.Write(row("total", t))
	}
	cw.Flush()
	return cw.Error()
}

// writeReconcileCSV writes one row per reconciled wallet, amounts in minor
// units.
func writeReconcileCSV(w io.Writer, r *AuditReport) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"record", "wallet", "currency", "id", "expected", "actual", "drift"})
	for _, wr := range r.Wallets {
		cw.Write([]string{"wallet", wr.Wallet, wr.Currency, wr.ID, strconv.FormatInt(wr.Expected, 10),
			strconv.FormatInt(wr.Actual, 10), strconv.FormatInt(wr.Drift, 10)})
	}
	cw.Flush()
	return cw.Error()
}
