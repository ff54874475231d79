package executor_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// admin calls the sandbox's admin API.
func (e *env) admin(t *testing.T, path string) {
	t.Helper()
	resp, err := http.Post(e.ts.URL+path, "application/json", nil)
	if err != nil || resp.StatusCode >= 300 {
		t.Fatalf("POST %s: %v %v", path, err, resp)
	}
	resp.Body.Close()
}

// TestPendingThenDone: with a manual KYC verdict and manual payouts, the
// owner's document stays pending (the payout is skipped, waiting for it);
// once validated, the payout is made and stays pending until processed;
// a last run sees it SUCCEEDED. No run writes anything twice.
//
// The journal follows (issue 10, finding 1): once the payout is processed,
// `report` shows it paid out, as after a run that saw no wait at all.
func TestPendingThenDone(t *testing.T) {
	ref := newEnv(t, sandbox.Options{})
	rp := ref.load("../examples/succeeded-natural.yaml")
	ref.apply(context.Background(), ref.cfg("j.jsonl"), rp)
	want := ref.reportJSON(ref.cfg("j.jsonl"), rp)

	e := newEnv(t, sandbox.Options{ManualKYC: true, ManualPayouts: true})
	p := e.load("../examples/succeeded-natural.yaml")
	cfg := e.cfg("j.jsonl")
	cfg.Wait = 100 * time.Millisecond
	sum := e.apply(context.Background(), cfg, p)
	if sum.Pending != 1 || sum.Skipped != 1 || sum.Failed != 0 {
		t.Fatalf("run 1 = %s, want the KYC pending and the payout skipped", describe(sum))
	}
	kyc := result(sum, "kyc_document/ines-id")
	e.admin(t, "/sandbox/kyc/"+kyc.ID+"/validate")
	sum = e.apply(context.Background(), cfg, p)
	po := result(sum, "payout/oven-2026")
	if po == nil || po.State != executor.StatePending || sum.Money[0].PendingToOwnerBank != 11040 {
		t.Fatalf("run 2 = %s, want the payout pending", describe(sum))
	}
	e.admin(t, "/sandbox/payouts/process")
	before := e.writes()
	sum = e.apply(context.Background(), cfg, p)
	// Processed before the run, the payout reads SUCCEEDED: unchanged.
	if po := result(sum, "payout/oven-2026"); po.State != "" || sum.Failed+sum.Pending+sum.Skipped > 0 {
		t.Fatalf("run 3 = %s, want the payout succeeded", describe(sum))
	}
	if e.writes() != before {
		t.Errorf("run 3 made %d writes, want 0 (it only reads the payout)", e.writes()-before)
	}
	checkLedger(t, e.actual(cfg, p), expected(p))
	if got := e.reportJSON(cfg, p); got != want {
		t.Errorf("report after the payout was processed =\n%s\nwant (a run without waits)\n%s", got, want)
	}
}

func result(s *executor.Summary, key string) *executor.Result {
	for _, r := range s.Results {
		if r.Step.Key == key {
			return r
		}
	}
	return nil
}

// TestProductionTarget: on production, raw card numbers are blocked, and
// so is a payout whose owner is not KYC REGULAR yet, whatever the plan's
// documents say (a verdict takes hours).
func TestProductionTarget(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	p := e.load("../examples/succeeded-natural.yaml")
	cfg := e.cfg("j.jsonl")
	cfg.Target = "production"
	pv := e.diff(cfg, p)
	for _, c := range pv.Changes {
		switch {
		case strings.HasPrefix(c.Step.Key, "card/"):
			if c.Action != executor.Blocked || !strings.Contains(c.Reason, "raw card numbers") {
				t.Errorf("%s = %s %q, want blocked for its raw number", c.Step.Key, c.Action, c.Reason)
			}
		case strings.HasPrefix(c.Step.Key, "payin/"), strings.HasPrefix(c.Step.Key, "transfer/"), c.Step.Key == "payout/oven-2026":
			if c.Action != executor.Blocked {
				t.Errorf("%s = %s, want blocked (upstream)", c.Step.Key, c.Action)
			}
		default:
			if c.Action != executor.Create {
				t.Errorf("%s = %s %q, want create", c.Step.Key, c.Action, c.Reason)
			}
		}
	}
}

// TestFailFast: the first failure stops dispatching. Alice's first pay-in
// is of the sandbox's "do not honor" amount: the card is refused (101101),
// which no pre-flight can foresee.
func TestFailFast(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	path := "../examples/succeeded-natural.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "{key: alice-1, from: alice, amount: 5000,", "{key: alice-1, from: alice, amount: 33305,", 1)
	p, err := plan.Parse(path, []byte(edited))
	if err != nil {
		t.Fatalf("Parse(edited) error = %v", err)
	}
	cfg := e.cfg("j.jsonl")
	cfg.FailFast, cfg.Parallelism = true, 1
	sum := e.apply(context.Background(), cfg, p)
	if sum.Failed != 1 {
		t.Errorf("Apply(FailFast) failed %d steps, want 1: %s", sum.Failed, describe(sum))
	}
	notRun := 0
	for _, r := range sum.Results {
		if r.Err != nil && strings.Contains(r.Err.Error(), "fail-fast") {
			notRun++
		}
	}
	if notRun == 0 {
		t.Errorf("Apply(FailFast) = %s, want steps skipped by fail-fast", describe(sum))
	}
}

// TestApplyLocked: a second run of the same plan fails at once while the
// first holds the journal's lock.
func TestApplyLocked(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	p := e.load("../examples/succeeded-natural.yaml")
	cfg := e.cfg("j.jsonl")
	j, err := executor.OpenJournal(cfg.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if _, err := executor.Apply(context.Background(), cfg, p); !errors.Is(err, executor.ErrLocked) {
		t.Errorf("Apply() while locked error = %v, want ErrLocked", err)
	}
	if e.writes() != 0 {
		t.Errorf("Apply() while locked made %d writes, want 0", e.writes())
	}
}
