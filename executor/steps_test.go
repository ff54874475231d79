package executor_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// twoRuns applies p twice at once, each run with its own client and
// journal, every money POST of one run held until the other sends the
// same movement; then a third run converges. It returns the two
// concurrent runs' summaries.
func (a *env) twoRuns(t *testing.T, p *plan.Plan, journals [2]string) [2]*executor.Summary {
	t.Helper()
	b := newPairBarrier()
	a.setHook(b.hook)
	var wg sync.WaitGroup
	var sums [2]*executor.Summary
	var errs [2]error
	for i := range 2 {
		cfg := a.cfg(journals[i])
		cfg.Client = a.newClient()
		wg.Go(func() { sums[i], errs[i] = executor.Apply(context.Background(), cfg, p) })
	}
	wg.Wait()
	a.setHook(nil)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent Apply() #%d error = %v", i, err)
		}
	}
	if b.pairs() == 0 {
		t.Fatalf("no movement was sent by both runs at once: the barrier did not race them")
	}
	t.Logf("%d movements sent by both runs at once; run 1: %s; run 2: %s", b.pairs(), describe(sums[0]), describe(sums[1]))
	return sums
}

// TestTwoRunsDifferentJournals: two `settle apply` of one plan at
// once with different journal paths (so the per-journal flock does not
// keep them apart), each sending every movement while the other sends
// it too. The deterministic keys make MANGOPAY answer the second with
// 409 and the first outcome: nothing is moved twice.
func TestTwoRunsDifferentJournals(t *testing.T) {
	for _, path := range []string{"../examples/failed-to-card.yaml", "../examples/multi-campaign.yaml",
		"../examples/partial-refund.yaml"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			a := newEnv(t, sandbox.Options{})
			p := a.load(path)
			a.twoRuns(t, p, [2]string{"a.jsonl", "b.jsonl"})
			a.converged(t, p, "a.jsonl")
		})
	}
}

// converged re-applies p with journal j and checks the ledger is the
// plan's, with each movement once.
func (a *env) converged(t *testing.T, p *plan.Plan, j string) {
	t.Helper()
	cfg := a.cfg(j)
	sum := a.apply(context.Background(), cfg, p)
	if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
		t.Errorf("converging Apply() = %s", describe(sum))
	}
	checkLedger(t, a.actual(cfg, p), expected(p))
	a.noDuplicates(t, cfg, p)
	if err := a.srv.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() = %v", err)
	}
}

// waitFor is a short Wait for payouts.
const waitFor = 20 * time.Second

// refuseOnce answers the first POST carrying tag with a 400, as MANGOPAY
// does for a refusal the operator can fix (a blocked user, a missing
// field), then lets everything through.
func refuseOnce(tag string) func(w http.ResponseWriter, r *http.Request, body []byte) bool {
	var once sync.Once
	return func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.Method != http.MethodPost || tagOf(body) != tag {
			return false
		}
		refused := false
		once.Do(func() {
			refused = true
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"Message":"One or several required parameters are missing or incorrect.","Type":"param_error","Id":"x#0","Date":0,"errors":{"AuthorId":"refused for the test"}}`))
		})
		return refused
	}
}

// journalledID is the MANGOPAY Id a journal holds for a step.
func journalledID(t *testing.T, cfg executor.Config, key string) string {
	t.Helper()
	recs, err := executor.ReadJournal(cfg.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	if h := executor.Fold(recs)[key]; h != nil && h.ID != "" {
		return h.ID
	}
	t.Fatalf("no Id for %s in %s", key, cfg.JournalPath)
	return ""
}

// stepID is the MANGOPAY Id of a step, from a Diff without a journal (a
// card its pay-ins prove made is not read, so it has none there).
func (a *env) stepID(t *testing.T, p *plan.Plan, key string) string {
	t.Helper()
	for _, c := range a.diff(a.cfg("ids.jsonl"), p).Changes {
		if c.Step.Key == key && c.ID != "" {
			return c.ID
		}
	}
	t.Fatalf("no Id for %s", key)
	return ""
}

// TestTwoRunsAfterRefusal: a transfer refused once with a 400 is
// journalled as a definitive failure by run A. Then A (same journal) and
// B (another journal, say CI's) apply at once. The key's generation must
// not depend on which journal a run reads, or A and B send the same
// transfer under two keys and MANGOPAY executes both. The contributor's
// wallet holds an extra 40 EUR so that the second transfer is not saved
// by a short balance.
func TestTwoRunsAfterRefusal(t *testing.T) {
	a := newEnv(t, sandbox.Options{})
	p := a.load("../examples/failed-to-card.yaml")
	step := "transfer/tour-2026/diane-1"
	a.setHook(refuseOnce("settle:" + p.Name + "/" + step))
	cfg := a.cfg("a.jsonl")
	cfg.Client = a.quick
	first := a.apply(context.Background(), cfg, p)
	if first.Failed != 1 {
		t.Fatalf("first Apply() = %s, want the refused transfer failed", describe(first))
	}
	a.setHook(nil)
	extra := &mangopay.PayInCardDirectCreateParams{AuthorId: a.stepID(t, p, "user/diane"),
		CreditedWalletId: a.stepID(t, p, "wallet/diane"), DebitedFunds: mangopay.Money{Currency: "EUR", Amount: 4000},
		Fees: mangopay.Money{Currency: "EUR"}, CardId: journalledID(t, cfg, "card/diane-visa"),
		SecureModeReturnURL: "https://example.org/3ds", SecureMode: "DEFAULT", IpAddress: "192.0.2.1",
		BrowserInfo: &mangopay.BrowserInfo{AcceptHeader: "*/*", Language: "en", ColorDepth: 24, ScreenHeight: 1,
			ScreenWidth: 1, UserAgent: "test", JavascriptEnabled: true}}
	if pi, err := a.c.PayIns.CreateCardDirect(context.Background(), extra); err != nil || pi.Status != mangopay.StatusSucceeded {
		t.Fatalf("extra pay-in = %v, %v", pi, err)
	}
	a.twoRuns(t, p, [2]string{"a.jsonl", "b.jsonl"})
	cfg = a.cfg("a.jsonl")
	a.apply(context.Background(), cfg, p)
	a.noDuplicates(t, cfg, p)
}

// burnOnce sends the first POST carrying tag to the sandbox with its
// amount's currency spoilt, so MANGOPAY refuses it with a 400 and keeps
// that 400 as the first answer to its Idempotency-Key, as it does for any
// refusal the operator fixes afterwards.
func (a *env) burnOnce(tag string) func(w http.ResponseWriter, r *http.Request, body []byte) bool {
	var once sync.Once
	return func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.Method != http.MethodPost || tagOf(body) != tag {
			return false
		}
		burnt := false
		once.Do(func() {
			burnt = true
			bad := strings.Replace(string(body), `"Currency":"EUR"`, `"Currency":"XXX"`, 1)
			r.Body = io.NopCloser(strings.NewReader(bad))
			r.ContentLength = int64(len(bad))
			a.srv.ServeHTTP(w, r)
		})
		return burnt
	}
}

// TestRefusedKeyWalk: a transfer's key is burnt by a 400 (kept by
// MANGOPAY for 24 h). Once the cause is fixed, a re-run must go on under
// a new key, whether it has the journal that saw the 400 or not (a lost
// journal, a CI machine), and two such runs at once must still send the
// transfer under one key.
func TestRefusedKeyWalk(t *testing.T) {
	for _, tc := range []struct {
		name     string
		journals [2]string
		together bool
	}{
		{"same-journal", [2]string{"a.jsonl"}, false},
		{"lost-journal", [2]string{"b.jsonl"}, false},
		{"two-runs-at-once", [2]string{"a.jsonl", "b.jsonl"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newEnv(t, sandbox.Options{})
			p := a.load("../examples/failed-to-card.yaml")
			a.setHook(a.burnOnce("settle:" + p.Name + "/transfer/tour-2026/diane-1"))
			cfg := a.cfg("a.jsonl")
			cfg.Client = a.quick
			if first := a.apply(context.Background(), cfg, p); first.Failed != 1 {
				t.Fatalf("first Apply() = %s, want the refused transfer failed", describe(first))
			}
			a.setHook(nil)
			if tc.together {
				a.twoRuns(t, p, tc.journals)
			} else {
				cfg := a.cfg(tc.journals[0])
				cfg.Client = a.quick
				if sum := a.apply(context.Background(), cfg, p); sum.Failed+sum.Skipped > 0 {
					t.Errorf("Apply() after the fix = %s, want the transfer made under a new key", describe(sum))
				}
			}
			a.converged(t, p, "a.jsonl")
		})
	}
}
