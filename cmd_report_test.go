package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"settle/executor"
	"settle/mangopay"
)

// TestReportReconcileDrift moves money behind settle's back after an apply
// (a payer's refunded money back to the project) and checks that
// `report --reconcile` shows the drift on both wallets.
func TestReportReconcileDrift(t *testing.T) {
	ctx := context.Background()
	s := newTestSandbox(t, testAPIKey, 0)
	chdir(t, workDir(t))
	t.Setenv("MANGOPAY_CLIENT_ID", testClientID)
	t.Setenv("MANGOPAY_API_KEY", testAPIKey)
	t.Setenv("MANGOPAY_API_KEY_FILE", "")
	t.Setenv("MANGOPAY_BASE_URL", s.url)
	const planFile = "examples/failed-to-wallet.yaml"
	if r := runInProcess(ctx, "apply", planFile); r.code != exitOK {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	records, err := executor.ReadJournal(filepath.Join("examples", ".settle", "skate-ramp.journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	h := executor.Fold(records)
	from, to := h["wallet/gaelle"].ID, h["wallet/skate-ramp"].ID
	tr, err := s.client(t, testAPIKey).Transfers.Create(ctx, &mangopay.TransferCreateParams{
		AuthorId: h["user/gaelle"].ID, DebitedWalletId: from, CreditedWalletId: to,
		DebitedFunds: mangopay.Money{Currency: "EUR", Amount: 1000}, Fees: mangopay.Money{Currency: "EUR"}})
	if err != nil || tr.Status != mangopay.StatusSucceeded {
		t.Fatalf("out-of-band transfer: %v %+v", err, tr)
	}
	r := runInProcess(ctx, "report", planFile, "--reconcile", "--format", "csv")
	if r.code != exitChanges {
		t.Fatalf("report --reconcile: exit %d, want %d (drift)\n%s", r.code, exitChanges, r.stderr)
	}
	for _, want := range []string{"wallet,gaelle,EUR," + from + ",5000,4000,-1000",
		"wallet,skate-ramp,EUR," + to + ",0,1000,1000", "wallet,henri,EUR,"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report --reconcile --format csv lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runInProcess(ctx, "report", planFile, "--reconcile")
	if r.code != exitChanges || !strings.Contains(r.stdout, "2 wallet(s) drift from the journal.") {
		t.Errorf("report --reconcile does not count 2 drifting wallets:\n%s", r.stdout)
	}
}

// TestMoneyAgreesOnEveryExample applies every examples/*.yaml through the
// CLI on the embedded target (seeding what it adopts, as the README says),
// then checks that the three places showing money agree: the apply
// summary's table is the `settle report` table, and `settle report
// --format json` and `settle plan --json` have the same campaigns and
// totals (adopted pay-ins of multi-campaign.yaml included).
func TestMoneyAgreesOnEveryExample(t *testing.T) {
	plans, err := filepath.Glob(filepath.Join("examples", "*.yaml"))
	if err != nil || len(plans) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	embeddedEnv(t)
	ctx := context.Background()
	for _, planFile := range plans {
		t.Run(filepath.Base(planFile), func(t *testing.T) {
			chdir(t, workDir(t))
			if _, err := os.Stat(seedFileOf(planFile)); err == nil {
				if r := runInProcess(ctx, "sandbox", "seed", seedFileOf(planFile), "--plan", planFile); r.code != exitOK {
					t.Fatalf("sandbox seed: exit %d\n%s", r.code, r.stderr)
				}
			}
			apply := runInProcess(ctx, "apply", planFile, "--yes")
			if apply.code != exitOK {
				t.Fatalf("apply: exit %d\n%s\n%s", apply.code, apply.stdout, apply.stderr)
			}
			text := runInProcess(ctx, "report", planFile)
			_, summaryTable, ok := strings.Cut(apply.stdout, "\nMoney per campaign:\n")
			_, reportTable, ok2 := strings.Cut(text.stdout, "\n\n")
			if !ok || !ok2 || summaryTable != reportTable {
				t.Errorf("apply summary table:\n%s\nreport table:\n%s", summaryTable, reportTable)
			}
			var rep executor.AuditReport
			var pv executor.PreviewJSON
			decode(t, runInProcess(ctx, "report", planFile, "--format", "json"), &rep)
			decode(t, runInProcess(ctx, "plan", planFile, "--json"), &pv)
			if len(rep.Campaigns) == 0 || !reflect.DeepEqual(rep.Campaigns, pv.Campaigns) || !reflect.DeepEqual(rep.Totals, pv.Totals) {
				t.Errorf("report --format json: %+v %+v\nplan --json: %+v %+v", rep.Campaigns, rep.Totals, pv.Campaigns, pv.Totals)
			}
		})
	}
}

// decode reads a command's JSON stdout into v.
func decode(t *testing.T, r captured, v any) {
	t.Helper()
	if r.code != exitOK && r.code != exitChanges {
		t.Fatalf("%v: exit %d\n%s", r.args, r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("%v: %v\n%s", r.args, err, r.stdout)
	}
}
