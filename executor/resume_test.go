package executor_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// noDuplicates fails the test if two live (not FAILED) transactions carry
// the same settle Tag, or if a managed money step's Tag is missing.
func (e *env) noDuplicates(t *testing.T, cfg executor.Config, p *plan.Plan) {
	t.Helper()
	pv := e.diff(cfg, p)
	seen := map[string]bool{}
	tags := map[string]int{}
	for _, w := range pv.Wallets {
		if w.ID == "" || strings.HasPrefix(w.Key, "FEES_") {
			continue
		}
		txs, err := mangopay.Collect(e.c.Transactions.ListByWallet(context.Background(), w.ID, &mangopay.ListOptions{PerPage: 100}))
		if err != nil {
			t.Fatalf("listing %s: %v", w.Key, err)
		}
		for _, tx := range txs {
			if seen[tx.Id] || tx.Status == mangopay.StatusFailed || !strings.HasPrefix(string(tx.Tag), "settle:") {
				continue
			}
			seen[tx.Id] = true
			tags[string(tx.Tag)]++
		}
	}
	for _, c := range pv.Changes {
		s := c.Step
		if s.AdoptedID != "" || !isMoney(s.Kind) {
			continue
		}
		if n := tags[s.Tag]; n != 1 {
			t.Errorf("transactions tagged %s = %d, want 1", s.Tag, n)
		}
	}
}

func isMoney(k plan.Kind) bool {
	switch k {
	case plan.KindPayIn, plan.KindTransfer, plan.KindTransferRefund, plan.KindPayInRefund, plan.KindPayOut:
		return true
	}
	return false
}

// interrupted applies p with a context cancelled once n steps are done.
func (e *env) interrupted(cfg executor.Config, p *plan.Plan, n int) *executor.Summary {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.Progress = func(pr executor.Progress) {
		if pr.Phase == executor.PhaseApplying && pr.Done >= n {
			cancel()
		}
	}
	sum, err := executor.Apply(ctx, cfg, p)
	if err != nil {
		e.t.Fatalf("interrupted Apply() error = %v", err)
	}
	return sum
}

// TestResumeAfterCancel cancels an apply after n steps, for many n, then
// applies again: the ledger is the plan's and no movement is duplicated.
func TestResumeAfterCancel(t *testing.T) {
	for _, path := range []string{"../examples/multi-campaign.yaml", "../examples/failed-to-card.yaml"} {
		for _, n := range []int{1, 4, 9, 15, 22, 30} {
			t.Run(fmt.Sprintf("%s/after-%d", path[12:], n), func(t *testing.T) {
				e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Latency: 2 * time.Millisecond}})
				p := e.load(path)
				cfg := e.cfg("j.jsonl")
				first := e.interrupted(cfg, p, n)
				sum := e.apply(context.Background(), cfg, p)
				if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
					t.Fatalf("resumed Apply() = %s", describe(sum))
				}
				t.Logf("first run: interrupted=%v done=%d in_doubt=%d; resumed: done=%d unchanged=%d",
					first.Interrupted, first.Done, first.InDoubt, sum.Done, sum.Unchanged)
				checkLedger(t, e.actual(cfg, p), expected(p))
				e.noDuplicates(t, cfg, p)
				if err := e.srv.CheckLedger(); err != nil {
					t.Errorf("CheckLedger() = %v", err)
				}
			})
		}
	}
}

// TestLostJournal: without its journal, a run finds everything by Tag and
// creates nothing twice, whether the first run finished or was cut short.
func TestLostJournal(t *testing.T) {
	for _, n := range []int{0, 6, 14} {
		t.Run(fmt.Sprintf("after-%d", n), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Latency: time.Millisecond}})
			p := e.load("../examples/multi-campaign.yaml")
			cfg := e.cfg("j.jsonl")
			if n == 0 {
				e.apply(context.Background(), cfg, p)
			} else {
				e.interrupted(cfg, p, n)
			}
			if err := os.Remove(cfg.JournalPath); err != nil {
				t.Fatal(err)
			}
			before := e.writes()
			sum := e.apply(context.Background(), cfg, p)
			if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
				t.Fatalf("Apply() without journal = %s", describe(sum))
			}
			if n == 0 && e.writes() != before {
				t.Errorf("Apply() of a finished plan without journal made %d writes, want 0", e.writes()-before)
			}
			checkLedger(t, e.actual(cfg, p), expected(p))
			e.noDuplicates(t, cfg, p)
			if pv := e.diff(cfg, p); pv.HasChanges() {
				t.Errorf("Diff() has changes: %s", changes(pv))
			}
		})
	}
}
