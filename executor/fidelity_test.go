package executor_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// TestDryRunFidelity: the steps a dry run blocks are exactly the steps that
// do not succeed when applied, and none of them is sent (DESIGN §13): root
// causes are reported blocked with the dry run's reason, the rest skipped;
// MANGOPAY records no FAILED transaction, run after run.
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
			case executor.StateBlocked:
				failed[r.Step.Key] = true
				if c := change(pv, r.Step.Key); r.Err == nil || c == nil || r.Err.Error() != c.Reason {
					t.Errorf("run %d: %s blocked with %v, want the dry run's reason", run, r.Step.Key, r.Err)
				}
			case executor.StateSkipped:
				skipped[r.Step.Key] = true
			case executor.StateSucceeded, "":
			default:
				t.Errorf("run %d: %s is %s: %v", run, r.Step.Key, r.State, r.Err)
			}
		}
		if got, want := keys(failed), keys(roots); got != want {
			t.Errorf("run %d: blocked steps = %s, want (blocked by the dry run) %s", run, got, want)
		}
		if got, want := keys(skipped), keys(upstream); got != want {
			t.Errorf("run %d: skipped steps = %s, want (blocked upstream) %s", run, got, want)
		}
		want := "kyc_document/olga-id transfer/bakery/ben-1 transfer_refund/cinema/cid-1"
		if got := keys(roots); got != want {
			t.Errorf("run %d: blocked = %s, want %s", run, got, want)
		}
		if sum.Blocked != 3 || sum.Failed != 0 {
			t.Errorf("run %d: Apply() = %d blocked, %d failed, want 3 and 0", run, sum.Blocked, sum.Failed)
		}
		if run == 2 && e.writes()-before != 0 {
			// Nothing changed since run 1: what is still blocked is
			// still not sent.
			t.Errorf("run 2 made %d writes, want 0", e.writes()-before)
		}
		if n := e.failedTransactions(t, cfg, p); n != 0 {
			t.Errorf("run %d: MANGOPAY holds %d FAILED transactions, want 0 (blocked steps are never sent)", run, n)
		}
	}
	if err := e.srv.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() = %v", err)
	}
}

// change is a step's change in a preview.
func change(pv *executor.Preview, key string) *executor.Change {
	for _, c := range pv.Changes {
		if c.Step.Key == key {
			return c
		}
	}
	return nil
}

// failedTransactions counts the FAILED transactions of the plan's wallets.
func (e *env) failedTransactions(t *testing.T, cfg executor.Config, p *plan.Plan) int {
	t.Helper()
	seen := map[string]bool{}
	for _, w := range e.diff(cfg, p).Wallets {
		if w.ID == "" || strings.HasPrefix(w.Key, "FEES_") {
			continue
		}
		txs, err := mangopay.Collect(e.c.Transactions.ListByWallet(context.Background(), w.ID, &mangopay.ListOptions{PerPage: 100}))
		if err != nil {
			t.Fatalf("listing %s: %v", w.Key, err)
		}
		for _, tx := range txs {
			if tx.Status == mangopay.StatusFailed && !seen[tx.Id] {
				seen[tx.Id] = true
			}
		}
	}
	return len(seen)
}

func keys(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}
