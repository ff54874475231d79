package executor_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// TestDryRunFidelity: the steps a dry run blocks are exactly the steps that
// do not succeed when applied; root causes fail, the rest are skipped.
func TestDryRunFidelity(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	p := e.load("testdata/blocked.yaml")
	// Refund part of the adopted transfer outside settle, so the plan's
	// full refund exceeds what is left.
	x := p.Campaigns["cinema"].Contributions[0]
	tr, err := e.c.Transfers.Get(context.Background(), x.Transfer.ID)
	if err != nil {
		t.Fatalf("Transfers.Get() error = %v", err)
	}
	if _, err := e.c.Transfers.Refund(context.Background(), tr.Id, &mangopay.RefundCreateParams{AuthorId: tr.AuthorId,
		DebitedFunds: &mangopay.Money{Currency: "EUR", Amount: 1000}, Fees: &mangopay.Money{Currency: "EUR"}}); err != nil {
		t.Fatalf("outside refund error = %v", err)
	}
	cfg := e.cfg("j.jsonl")
	for run := 1; run <= 2; run++ {
		pv := e.diff(cfg, p)
		roots, upstream := map[string]bool{}, map[string]bool{}
		for _, c := range pv.Changes {
			if c.Action == executor.Blocked {
				if strings.HasPrefix(c.Reason, "upstream blocked") {
					upstream[c.Step.Key] = true
				} else {
					roots[c.Step.Key] = true
				}
			}
		}
		before := e.writes()
		sum := e.apply(context.Background(), cfg, p)
		failed, skipped := map[string]bool{}, map[string]bool{}
		for _, r := range sum.Results {
			switch r.State {
			case executor.StateFailed:
				failed[r.Step.Key] = true
			case executor.StateSkipped:
				skipped[r.Step.Key] = true
			case executor.StateSucceeded, "":
			default:
				t.Errorf("run %d: %s is %s: %v", run, r.Step.Key, r.State, r.Err)
			}
		}
		if got, want := keys(failed), keys(roots); got != want {
			t.Errorf("run %d: failed steps = %s, want (blocked by the dry run) %s", run, got, want)
		}
		if got, want := keys(skipped), keys(upstream); got != want {
			t.Errorf("run %d: skipped steps = %s, want (blocked upstream) %s", run, got, want)
		}
		want := "kyc_document/olga-id transfer/bakery/ben-1 transfer_refund/cinema/cid-1"
		if got := keys(roots); got != want {
			t.Errorf("run %d: blocked = %s, want %s", run, got, want)
		}
		if run == 2 && e.writes()-before != 2 {
			// A re-run retries the short transfer and the over-refund,
			// each with its next key generation, and both fail again;
			// the REFUSED document is not filed again.
			t.Errorf("run 2 made %d writes, want 2", e.writes()-before)
		}
	}
	if err := e.srv.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() = %v", err)
	}
}

func keys(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}
