package executor

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"settle/plan"
)

// reportSteps is a failed campaign refunded to a card and a succeeded one
// with a fee on the payout.
func reportSteps() []*plan.Step {
	w := func(key string) *plan.Step { return &plan.Step{Key: "wallet/" + key, Kind: plan.KindWallet} }
	return []*plan.Step{
		w("alice"), w("project"), w("other"),
		{Key: "wallet/adopted", Kind: plan.KindWallet, AdoptedID: "wlt_adopted"},
		{Key: "payin/fail/a1", Kind: plan.KindPayIn, Campaign: "fail", Credited: "wallet/alice", Amount: 5000, Currency: "EUR"},
		{Key: "transfer/fail/a1", Kind: plan.KindTransfer, Campaign: "fail", Debited: "wallet/alice", Credited: "wallet/project", Amount: 5000, Fees: 100, Currency: "EUR"},
		{Key: "transfer_refund/fail/a1", Kind: plan.KindTransferRefund, Campaign: "fail", Debited: "wallet/project", Credited: "wallet/alice", Amount: 4900, Fees: -100, Currency: "EUR"},
		{Key: "payin_refund/fail/a1", Kind: plan.KindPayInRefund, Campaign: "fail", Debited: "wallet/alice", Amount: 5000, Currency: "EUR"},
		{Key: "payin/ok/b1", Kind: plan.KindPayIn, Campaign: "ok", Credited: "wallet/adopted", AdoptedID: "payin_adopted", Amount: 3000, Currency: "EUR"},
		{Key: "transfer/ok/b1", Kind: plan.KindTransfer, Campaign: "ok", Debited: "wallet/adopted", Credited: "wallet/other", Amount: 3000, Currency: "EUR"},
		{Key: "transfer/ok/b2", Kind: plan.KindTransfer, Campaign: "ok", Debited: "wallet/alice", Credited: "wallet/other", Amount: 700, Currency: "EUR"},
		{Key: "payout/ok", Kind: plan.KindPayOut, Campaign: "ok", Debited: "wallet/other", Amount: 3000, Fees: 240, Currency: "EUR"},
	}
}

// reportRecords journals the steps of reportSteps: every money step
// succeeded except transfer/ok/b2 (failed) and the payout (pending). Its
// records carry no fees, as journals written before fees were journalled.
func reportRecords() []Record {
	rec := func(step, kind, campaign, state, status string, amount int64) Record {
		return Record{Step: step, Kind: kind, Campaign: campaign, State: state, Status: status, Amount: amount, Currency: "EUR"}
	}
	return []Record{
		{Step: "wallet/alice", Kind: "wallet", State: StateSucceeded, ID: "wlt_1"},
		rec("payin/fail/a1", "payin", "fail", StateStarted, "", 5000),
		rec("payin/fail/a1", "payin", "fail", StateSucceeded, "SUCCEEDED", 5000),
		rec("transfer/fail/a1", "transfer", "fail", StateSucceeded, "SUCCEEDED", 5000),
		rec("transfer_refund/fail/a1", "transfer_refund", "fail", StateSucceeded, "SUCCEEDED", 4900),
		rec("payin_refund/fail/a1", "payin_refund", "fail", StateSucceeded, "SUCCEEDED", 5000),
		rec("transfer/ok/b1", "transfer", "ok", StateSucceeded, "SUCCEEDED", 3000),
		rec("transfer/ok/b2", "transfer", "ok", StateFailed, "FAILED", 700),
		rec("payout/ok", "payout", "ok", StatePending, "CREATED", 3000),
	}
}

// withFees gives the records of reportRecords the fees of reportSteps, as
// settle journals them now.
func withFees(records []Record) []Record {
	fees := map[string]int64{}
	for _, s := range reportSteps() {
		fees[s.Key] = s.Fees
	}
	out := make([]Record, len(records))
	for i, r := range records {
		if f, ok := fees[r.Step]; ok && r.Kind != "wallet" {
			r.Fees = &f
		}
		out[i] = r
	}
	return out
}

// TestReport: the "fail" campaign's payer got everything back on the card
// (the transfer fee was handed back); "ok" has an adopted pay-in, a failed
// transfer and a pending payout (3000 less a 240 fee will reach the bank).
func TestReport(t *testing.T) {
	tests := []struct {
		name      string
		records   []Record
		steps     []*plan.Step
		feesKnown bool
		want      []CampaignTotals
	}{
		{"with the plan", reportRecords(), reportSteps(), true, []CampaignTotals{
			{Campaign: "fail", Currency: "EUR", CollectedFromPayers: 5000, MovedToProject: 4900, PlatformFees: 0,
				ReturnedToPayerWallets: 0, ReturnedToPayerCards: 5000},
			{Campaign: "ok", Currency: "EUR", CollectedFromPayers: 3000, MovedToProject: 3000, PendingToOwnerBank: 2760, FailedSteps: 1},
		}},
		{"journal alone, with fees", withFees(reportRecords()), nil, true, []CampaignTotals{
			{Campaign: "fail", Currency: "EUR", CollectedFromPayers: 5000, MovedToProject: 4900, PlatformFees: 0,
				ReturnedToPayerWallets: 0, ReturnedToPayerCards: 5000},
			{Campaign: "ok", Currency: "EUR", MovedToProject: 3000, PendingToOwnerBank: 2760, FailedSteps: 1},
		}},
		// Fees unknown: amounts before fees, so the 100 the transfer
		// refund handed back is missing from the payer's wallet.
		{"journal alone, written before fees were journalled", reportRecords(), nil, false, []CampaignTotals{
			{Campaign: "fail", Currency: "EUR", CollectedFromPayers: 5000, MovedToProject: 5000,
				ReturnedToPayerWallets: -100, ReturnedToPayerCards: 5000},
			{Campaign: "ok", Currency: "EUR", MovedToProject: 3000, PendingToOwnerBank: 3000, FailedSteps: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AuditReportOf(tt.records, tt.steps)
			if got.FeesKnown != tt.feesKnown {
				t.Errorf("FeesKnown = %v, want %v", got.FeesKnown, tt.feesKnown)
			}
			if len(got.Campaigns) != len(tt.want) {
				t.Fatalf("AuditReportOf() has %d campaigns, want %d: %+v", len(got.Campaigns), len(tt.want), got.Campaigns)
			}
			for i := range tt.want {
				if got.Campaigns[i] != tt.want[i] {
					t.Errorf("AuditReportOf() campaign %d = %+v, want %+v", i, got.Campaigns[i], tt.want[i])
				}
			}
		})
	}
}

func TestReportPaidOutFees(t *testing.T) {
	records := append(reportRecords(), Record{Step: "payout/ok", Kind: "payout", Campaign: "ok",
		State: StateSucceeded, Status: "SUCCEEDED", Amount: 3000, Currency: "EUR"})
	got := AuditReportOf(records, reportSteps()).Campaigns[1]
	if got.SentToOwnerBank != 2760 || got.PendingToOwnerBank != 0 || got.PlatformFees != 240 {
		t.Errorf("after the payout succeeded: sent to owner's bank %d, pending %d, platform fees %d; want 2760, 0, 240",
			got.SentToOwnerBank, got.PendingToOwnerBank, got.PlatformFees)
	}
}

func TestExpectedBalances(t *testing.T) {
	got := ExpectedBalances(reportRecords(), reportSteps())
	// alice: +5000 payin, -5000 transfer, +5000 refund (4900 - -100), -5000 payin refund.
	// project: +4900 transfer (5000 - 100 fee), -4900 refund.
	// other: +3000 transfer; the payout is pending, so not debited.
	want := map[string]int64{"wallet/alice": 0, "wallet/project": 0, "wallet/other": 3000}
	if len(got) != len(want) {
		t.Errorf("ExpectedBalances() = %v, want %v (adopted wallets left out)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("ExpectedBalances()[%s] = %d, want %d", k, got[k], v)
		}
	}
}

func TestWriteReport(t *testing.T) {
	rep := AuditReportOf(reportRecords(), reportSteps())
	rep.Plan = "demo"
	rep.Reconciled = true
	rep.Wallets = []WalletReport{{Wallet: "other", ID: "wlt_3", Currency: "EUR", Expected: 3000, Actual: 2990, Drift: -10}}
	for _, format := range []string{"text", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteReport(&buf, rep, format); err != nil {
				t.Fatalf("WriteReport(%s) = %v", format, err)
			}
			checkGolden(t, "report."+format+".golden", buf.Bytes())
		})
	}
	// Without reconciliation, CSV holds the campaigns; with it, the
	// wallets (report.csv.golden): one table each.
	plain := *rep
	plain.Reconciled, plain.Wallets = false, nil
	var csvBuf bytes.Buffer
	if err := WriteReport(&csvBuf, &plain, "csv"); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "report-campaigns.csv.golden", csvBuf.Bytes())
	// A journal alone, written before fees were journalled: platform fees
	// are not known (n/a in text, empty in CSV).
	old := AuditReportOf(reportRecords(), nil)
	for format, ext := range map[string]string{"text": "text", "csv": "csv"} {
		var buf bytes.Buffer
		if err := WriteReport(&buf, old, format); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "report-fees-unknown."+ext+".golden", buf.Bytes())
	}
	var back AuditReport
	var buf bytes.Buffer
	if err := WriteReport(&buf, rep, "json"); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back.Campaigns) != 2 || back.Wallets[0].Drift != -10 {
		t.Errorf("JSON round trip = %+v, %v", back, err)
	}
	if err := WriteReport(&buf, rep, "xml"); err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("WriteReport(xml) = %v, want an error naming the format", err)
	}
}
