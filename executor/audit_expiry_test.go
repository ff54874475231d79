package executor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"settle/mangopay"
	"sync"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay/sandbox"
)

// commitThenFail runs the first POST carrying tag on the sandbox but
// answers it 503, and answers every later POST with that tag 503 without
// running it: the write happened, the runner never learns it, and its
// retries under the same key never reach MANGOPAY.
func (a *auditEnv) commitThenFail(tag string) func(w http.ResponseWriter, r *http.Request, body []byte) bool {
	var once sync.Once
	return func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.Method != http.MethodPost || tagOf(body) != tag {
			return false
		}
		once.Do(func() { a.srv.ServeHTTP(httptest.NewRecorder(), r) })
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"Message":"injected","Type":"other","Id":"x#0","Date":0,"errors":null}`))
		return true
	}
}

// advance moves the sandbox clock forward by d (a Go duration).
func (a *auditEnv) advance(t *testing.T, d string) {
	t.Helper()
	res, err := http.Post(a.ts.URL+"/sandbox/clock/advance?by="+d, "", nil)
	if err != nil {
		t.Fatalf("clock advance: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("clock advance: HTTP %d", res.StatusCode)
	}
}

// TestAuditInDoubtAfterKeyExpiry: a refund (or payout) is made but its
// answer is lost, so the step stays in doubt; the next run comes 25 h
// later, when MANGOPAY has forgotten the key (and its same-day 005407
// guard for pay-in refunds no longer applies). It must find the movement
// by Tag and not refund or pay out twice, with or without its journal.
func TestAuditInDoubtAfterKeyExpiry(t *testing.T) {
	for _, tc := range []struct{ plan, step string }{
		{"../examples/failed-to-card.yaml", "payin_refund/tour-2026/diane-1"},
		{"../examples/failed-to-card.yaml", "transfer_refund/tour-2026/emile-1"},
		{"../examples/partial-refund.yaml", "payin_refund/fest-2026/olivier-1"},
		{"../examples/succeeded-natural.yaml", ""},
	} {
		for _, lose := range []bool{false, true} {
			name := tc.plan[12:] + "/" + tc.step
			if lose {
				name += "/lost-journal"
			}
			t.Run(name, func(t *testing.T) {
				a := newAuditEnv(t, sandbox.Options{})
				p := a.load(tc.plan)
				step := tc.step
				if step == "" {
					for _, s := range a.diff(a.cfg("x.jsonl"), p).Changes {
						if s.Step.Kind == "payout" {
							step = s.Step.Key
						}
					}
				}
				a.setHook(a.commitThenFail("settle:" + p.Name + "/" + step))
				cfg := a.cfg("j.jsonl")
				cfg.Client = a.c
				first := a.apply(context.Background(), cfg, p)
				inDoubt := false
				for _, r := range first.Results {
					inDoubt = inDoubt || r.Step.Key == step && r.State == executor.StateInDoubt
				}
				if !inDoubt {
					t.Fatalf("first Apply() = %s, want %s in doubt", describe(first), step)
				}
				a.setHook(nil)
				a.advance(t, "25h")
				if lose {
					if err := os.Remove(cfg.JournalPath); err != nil {
						t.Fatal(err)
					}
				}
				a.converged(t, p, "j.jsonl")
			})
		}
	}
}

// TestAuditPayoutStillCreated: a payout whose answer was lost stays
// CREATED (MANGOPAY has not processed it) while its key expires; the
// next run, with or without its journal, must wait for it, not make a
// second one.
func TestAuditPayoutStillCreated(t *testing.T) {
	for _, lose := range []bool{false, true} {
		t.Run(map[bool]string{false: "journal", true: "lost-journal"}[lose], func(t *testing.T) {
			a := newAuditEnv(t, sandbox.Options{ManualPayouts: true})
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
			cfg.Client, cfg.Wait = a.c, time.Millisecond
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
				txs, err := mangopay.Collect(a.env.c.Transactions.ListByWallet(context.Background(), w.ID, nil))
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
