package executor_test

import (
	"context"
	"strings"
	"testing"

	"settle/executor"
	"settle/mangopay/sandbox"
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
		t.Errorf("Diff() after the update has changes: %s", changes(pv))
	}
}
