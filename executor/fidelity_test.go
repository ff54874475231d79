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

// TestApplyObeysPreflight (issue 10, finding 5): ann pays 30.00 into her
// wallet for her first contribution; her second has no pay-in, so it can
// only be paid from what the first leaves: nothing. The two transfers do
// not depend on each other, so without the pre-flight either could go
// first and MANGOPAY would fail one of them. The pre-flight replays them
// in graph order on the read balances and blocks the second (a short
// balance computed from the first): apply sends the first, never the
// second, and MANGOPAY records no FAILED transaction.
func TestApplyObeysPreflight(t *testing.T) {
	const src = `version: 1
name: preflight-order
currency: EUR
users:
  olga: {type: natural, category: owner, first_name: Olga, last_name: O, email: o@example.org, birthday: 1980-01-01, nationality: FR, country_of_residence: FR, address: {line1: a, city: Paris, postal_code: "75001", country: FR}, terms_accepted: true}
  ann: {type: natural, category: payer, first_name: Ann, last_name: A, email: a@example.org}
wallets:
  project: {owner: olga, description: Project}
  ann: {owner: ann, description: Ann}
cards:
  ann-visa: {user: ann, number: "4970107111111119", expiry: "12/39", cvx: "123"}
campaigns:
  c:
    wallet: project
    outcome: open
    contributions:
      - {key: ann-1, from: ann, amount: 3000, payin: {card: ann-visa}}
      - {key: ann-2, from: ann, amount: 2000}
`
	p, err := plan.Parse("preflight-order.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, par := range []int{1, 8} {
		e := newEnv(t, sandbox.Options{})
		cfg := e.cfg("j.jsonl")
		cfg.Parallelism = par
		pv := e.diff(cfg, p)
		if c := change(pv, "transfer/c/ann-2"); c == nil || c.Action != executor.Blocked || !strings.Contains(c.Reason, "short balance") {
			t.Fatalf("Diff() of transfer/c/ann-2 = %+v, want blocked for a short balance", c)
		}
		sum := e.apply(context.Background(), cfg, p)
		if r := result(sum, "transfer/c/ann-2"); r == nil || r.State != executor.StateBlocked {
			t.Errorf("parallelism %d: transfer/c/ann-2 = %+v, want blocked", par, r)
		}
		if r := result(sum, "transfer/c/ann-1"); r == nil || r.State != executor.StateSucceeded {
			t.Errorf("parallelism %d: transfer/c/ann-1 = %+v, want succeeded", par, r)
		}
		if sum.Blocked != 1 || sum.Failed != 0 {
			t.Errorf("parallelism %d: Apply() = %s, want one blocked, none failed", par, describe(sum))
		}
		if n := e.srv.Stats().ByRoute["POST /transfers"]; n != 1 {
			t.Errorf("parallelism %d: %d transfers sent, want 1", par, n)
		}
		if n := e.failedTransactions(t, cfg, p); n != 0 {
			t.Errorf("parallelism %d: MANGOPAY holds %d FAILED transactions, want 0", par, n)
		}
		recs, err := executor.ReadJournal(cfg.JournalPath)
		if err != nil {
			t.Fatal(err)
		}
		if h := executor.Fold(recs)["transfer/c/ann-2"]; h == nil || h.Last.State != executor.StateBlocked || h.Last.Error == "" {
			t.Errorf("parallelism %d: journal of transfer/c/ann-2 = %+v, want blocked with the reason", par, h)
		}
	}
}
