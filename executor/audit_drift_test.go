package executor_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"settle/executor"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// TestAuditEditedAmountIsNotDone: a partial refund made for 42 EUR, then
// the plan edited to 30 EUR. The refund found under its Tag is not the
// plan's: it must not be reported unchanged (done), and no second refund
// is sent.
func TestAuditEditedAmountIsNotDone(t *testing.T) {
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
			t.Errorf("Diff() of %s = %s (%s), want blocked: MANGOPAY refunded 4200, the plan says 3000",
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
