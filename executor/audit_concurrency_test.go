package executor_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// twoRuns applies p twice at once, each run with its own client and
// journal, every money POST of one run held until the other sends the
// same movement; then a third run converges. It returns the two
// concurrent runs' summaries.
func (a *auditEnv) twoRuns(t *testing.T, p *plan.Plan, journals [2]string) [2]*executor.Summary {
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

// TestAuditTwoRunsDifferentJournals: two `settle apply` of one plan at
// once with different journal paths (so the per-journal flock does not
// keep them apart), each sending every movement while the other sends
// it too. The deterministic keys make MANGOPAY answer the second with
// 409 and the first outcome: nothing is moved twice.
func TestAuditTwoRunsDifferentJournals(t *testing.T) {
	for _, path := range []string{"../examples/failed-to-card.yaml", "../examples/multi-campaign.yaml",
		"../examples/partial-refund.yaml"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			a := newAuditEnv(t, sandbox.Options{})
			p := a.load(path)
			a.twoRuns(t, p, [2]string{"a.jsonl", "b.jsonl"})
			a.converged(t, p, "a.jsonl")
		})
	}
}

// converged re-applies p with journal j and checks the ledger is the
// plan's, with each movement once.
func (a *auditEnv) converged(t *testing.T, p *plan.Plan, j string) {
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
