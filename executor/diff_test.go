package executor_test

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// TestDrift: a declared field that MANGOPAY disagrees with shows as drift;
// on an adopted object it is only reported, on a managed user or wallet it
// is an update that the next apply makes (one PUT), after which the plan
// has no changes.
func TestDrift(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	p := e.load("../examples/multi-campaign.yaml")
	cfg := e.cfg("j.jsonl")
	e.apply(context.Background(), cfg, p)

	p.Users["paul"].Email = "paul@elsewhere.example"
	var managed string
	for k, u := range p.Users {
		if u.ID == "" && u.Category == "payer" {
			managed = k
			break
		}
	}
	p.Users[managed].Email = "new-" + managed + "@example.org"
	pv := e.diff(cfg, p)
	for _, c := range pv.Changes {
		switch c.Step.Key {
		case "user/paul":
			if c.Action != executor.Adopt || len(c.Drift) != 1 || !strings.Contains(c.Drift[0], "paul@elsewhere.example") {
				t.Errorf("user/paul = %s %v, want adopt with the Email drift", c.Action, c.Drift)
			}
		case "user/" + managed:
			if c.Action != executor.Update || len(c.Drift) != 1 {
				t.Errorf("user/%s = %s %v, want update with one drift", managed, c.Action, c.Drift)
			}
		default:
			if c.Action != executor.Unchanged && c.Action != executor.Adopt {
				t.Errorf("%s = %s, want no change", c.Step.Key, c.Action)
			}
		}
	}
	before := e.writes()
	e.apply(context.Background(), cfg, p)
	if w := e.writes() - before; w != 1 {
		t.Errorf("Apply() made %d writes, want 1 (the user update)", w)
	}
	p.Users["paul"].Email = ""
	if pv := e.diff(cfg, p); pv.HasChanges() {
		t.Errorf("PreviewOf() after the update has changes: %s", changes(pv))
	}
}

// TestEditedAmountIsNotDone: a partial refund made for 42 EUR, then
// the plan edited to 30 EUR. The refund found under its Tag is not the
// plan's: it must not be reported unchanged (done), and no second refund
// is sent.
func TestEditedAmountIsNotDone(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	path := "../examples/partial-refund.yaml"
	p := e.load(path)
	cfg := e.cfg("j.jsonl")
	if sum := e.apply(context.Background(), cfg, p); sum.Failed+sum.Skipped > 0 {
		t.Fatalf("Apply() = %s", describe(sum))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "refund_amount: 4200", "refund_amount: 3000", 1)
	q, err := plan.Parse(path, []byte(edited))
	if err != nil {
		t.Fatalf("Parse(edited) error = %v", err)
	}
	step := "transfer_refund/" + campaignOf(t, q) + "/olivier-1"
	for _, c := range e.diff(cfg, q).Changes {
		if c.Step.Key == step && c.Action != executor.Blocked {
			t.Errorf("PreviewOf() of %s = %s (%s), want blocked: MANGOPAY refunded 4200, the plan says 3000",
				step, c.Action.Name(), c.Reason)
		}
	}
	before := e.writes()
	sum := e.apply(context.Background(), cfg, q)
	if e.writes() != before {
		t.Errorf("Apply() of the edited plan made %d writes, want 0", e.writes()-before)
	}
	if sum.Blocked != 1 || sum.Failed != 0 {
		t.Errorf("Apply() of the edited plan = %s, want the drifted refund reported blocked", describe(sum))
	}
}

// campaignOf is the key of the plan's only campaign.
func campaignOf(t *testing.T, p *plan.Plan) string {
	t.Helper()
	for k := range p.Campaigns {
		return k
	}
	t.Fatal("no campaign")
	return ""
}

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
