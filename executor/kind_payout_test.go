package executor_test

import (
	"context"
	"os"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"testing"
	"time"
)

// TestPayoutStillCreated: a payout whose answer was lost stays
// CREATED (MANGOPAY has not processed it) while its key expires; the
// next run, with or without its journal, must wait for it, not make a
// second one.
func TestPayoutStillCreated(t *testing.T) {
	for _, lose := range []bool{false, true} {
		t.Run(map[bool]string{false: "journal", true: "lost-journal"}[lose], func(t *testing.T) {
			a := newEnv(t, sandbox.Options{ManualPayouts: true})
			p := a.load("../examples/succeeded-natural.yaml")
			var step string
			for _, s := range a.diff(a.cfg("x.jsonl"), p).Changes {
				if s.Step.Kind == "payout" {
					step = s.Step.Key
				}
			}
			tag := "settle:" + p.Name + "/" + step
			a.setHook(a.commitThenFail(tag))
			cfg := a.cfg("j.jsonl")
			cfg.Client, cfg.Wait = a.quick, time.Millisecond
			a.apply(context.Background(), cfg, p)
			a.setHook(nil)
			a.advance(t, "25h")
			if lose {
				if err := os.Remove(cfg.JournalPath); err != nil {
					t.Fatal(err)
				}
			}
			for run := 0; run < 2; run++ {
				sum := a.apply(context.Background(), cfg, p)
				if sum.Pending != 1 || sum.Failed+sum.InDoubt > 0 {
					t.Errorf("re-run %d = %s, want the payout pending", run, describe(sum))
				}
			}
			n := 0
			for _, w := range a.diff(cfg, p).Wallets {
				if w.ID == "" {
					continue
				}
				txs, err := mangopay.Collect(a.c.Transactions.ListByWallet(context.Background(), w.ID, nil))
				if err != nil {
					t.Fatal(err)
				}
				for _, tx := range txs {
					if string(tx.Tag) == tag {
						n++
					}
				}
			}
			if n != 1 {
				t.Errorf("payouts tagged %s = %d, want 1", tag, n)
			}
		})
	}
}
