package executor_test

import (
	"context"
	"os"
	"testing"

	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// TestTagSearchBeyondFirstPage: after a finished run, 130 more
// movements (60 of them FAILED for want of balance) land on a
// contributor's wallet, so the tagged ones are no longer on the first page
// of 100. Without its journal, a re-run must still find every movement by
// Tag and count no FAILED stranger as its own: no write at all.
func TestTagSearchBeyondFirstPage(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	p := e.load("../examples/failed-to-card.yaml")
	cfg := e.cfg("j.jsonl")
	if sum := e.apply(context.Background(), cfg, p); sum.Failed+sum.Skipped > 0 {
		t.Fatalf("Apply() = %s", describe(sum))
	}
	ids := map[string]string{}
	for _, c := range e.diff(cfg, p).Changes {
		ids[c.Step.Key] = c.ID
	}
	ctx := context.Background()
	eur := func(n int64) mangopay.Money { return mangopay.Money{Currency: "EUR", Amount: n} }
	for i := 0; i < 70; i++ {
		pi := &mangopay.PayInCardDirectCreateParams{AuthorId: ids["user/diane"], CreditedWalletId: ids["wallet/diane"],
			DebitedFunds: eur(1), Fees: eur(0), CardId: ids["card/diane-visa"], SecureModeReturnURL: "https://example.org/3ds",
			SecureMode: "DEFAULT", IpAddress: "192.0.2.1", BrowserInfo: &mangopay.BrowserInfo{AcceptHeader: "*/*",
				Language: "en", ColorDepth: 24, ScreenHeight: 1, ScreenWidth: 1, UserAgent: "test", JavascriptEnabled: true}}
		if _, err := e.c.PayIns.CreateCardDirect(ctx, pi); err != nil {
			t.Fatalf("pay-in %d: %v", i, err)
		}
	}
	for i := 0; i < 60; i++ {
		tr := &mangopay.TransferCreateParams{AuthorId: ids["user/diane"], DebitedFunds: eur(1_000_000), Fees: eur(0),
			DebitedWalletId: ids["wallet/diane"], CreditedWalletId: ids["wallet/emile"]}
		if r, err := e.c.Transfers.Create(ctx, tr); err != nil || r.Status != mangopay.StatusFailed {
			t.Fatalf("short transfer %d = %v, %v; want FAILED", i, r, err)
		}
	}
	if err := os.Remove(cfg.JournalPath); err != nil {
		t.Fatal(err)
	}
	pv := e.diff(cfg, p)
	for _, c := range pv.Changes {
		if c.Step.Wallet == nil && c.Action.Name() != "unchanged" && c.Step.AdoptedID == "" {
			t.Errorf("PreviewOf() %s = %s (%s), want unchanged", c.Step.Key, c.Action.Name(), c.Reason)
		}
	}
	before := e.writes()
	e.apply(ctx, cfg, p)
	if n := e.writes() - before; n != 0 {
		t.Errorf("re-run without journal made %d writes, want 0", n)
	}
}
