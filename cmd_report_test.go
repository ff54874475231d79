package main

import (
	"context"
	"path/filepath"
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
