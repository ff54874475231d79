package executor_test

import (
	"context"
	"path/filepath"
	"testing"

	"settle/executor"
	"settle/mangopay/sandbox"
)

func examples(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	return files
}

// TestApplyExamples applies every example on a fresh sandbox, checks the
// final ledger against the plan, then checks that a second Apply makes no
// write and that Diff shows no change.
func TestApplyExamples(t *testing.T) {
	for _, path := range examples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			p := e.load(path)
			cfg := e.cfg("j.jsonl")
			sum := e.apply(context.Background(), cfg, p)
			if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 || sum.Interrupted {
				t.Fatalf("Apply() = %s", describe(sum))
			}
			checkLedger(t, e.actual(cfg, p), expected(p))
			if err := e.srv.CheckLedger(); err != nil {
				t.Errorf("CheckLedger() = %v", err)
			}
			before, reqs := e.writes(), e.reads()
			sum2 := e.apply(context.Background(), cfg, p)
			if w := e.writes() - before; w != 0 {
				t.Errorf("second Apply() made %d writes, want 0", w)
			}
			// Reads: at most one per object on average (list calls, not
			// a GET each), adopted objects one GET each.
			if r, n := e.reads()-reqs, len(sum2.Results); r > int64(n) {
				t.Errorf("second Apply() made %d reads for %d objects, want at most one each", r, n)
			} else {
				t.Logf("second Apply(): %d reads for %d objects", r, n)
			}
			if sum2.Done+sum2.Failed+sum2.Skipped > 0 {
				t.Errorf("second Apply() = %s, want all unchanged", describe(sum2))
			}
			if pv := e.diff(cfg, p); pv.HasChanges() {
				t.Errorf("Diff() after apply has changes: %s", changes(pv))
			}
		})
	}
}

// describe summarises a Summary for failure messages.
func describe(s *executor.Summary) string {
	out := ""
	for _, r := range s.Results {
		if r.State != executor.StateSucceeded && r.State != "" {
			out += "\n  " + r.Step.Key + " " + r.State
			if r.Err != nil {
				out += ": " + r.Err.Error()
			}
		}
	}
	return out
}

// changes lists a preview's changes.
func changes(pv *executor.Preview) string {
	out := ""
	for _, c := range pv.Changes {
		if c.Action != executor.Unchanged && c.Action != executor.Adopt {
			out += "\n  " + c.Action.String() + " " + c.Step.Key + " " + c.Reason
		}
	}
	return out
}
