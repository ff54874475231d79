package executor_test

import (
	"context"
	"testing"
	"time"

	"settle/mangopay/sandbox"
)

// TestRateLimited applies a plan that needs several windows' worth of calls
// under a scaled-down rate limit: the client's governor waits for resets,
// so no call is refused with 429 and the plan applies exactly.
func TestRateLimited(t *testing.T) {
	e := newEnv(t, sandbox.Options{RateLimits: []sandbox.RateWindow{{Period: 2 * time.Second, Limit: 20}}})
	p := e.load("../examples/failed-to-card.yaml")
	cfg := e.cfg("j.jsonl")
	sum := e.apply(context.Background(), cfg, p)
	if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
		t.Fatalf("Apply() = %s", describe(sum))
	}
	if n := e.tooMany.Load(); n != 0 {
		t.Errorf("%d calls answered 429, want 0", n)
	}
	if req := e.srv.Stats().Requests; req <= 20 {
		t.Fatalf("the plan took %d calls, want more than one window's budget", req)
	}
	checkLedger(t, e.actual(cfg, p), expected(p))
}
