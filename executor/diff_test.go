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
