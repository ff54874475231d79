package executor_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"settle/executor"
	"settle/internal/canonjson"
	"settle/mangopay/sandbox"
	"settle/plan"
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

// reportJSON is `settle report --format json` of the plan's journal, as
// one canonical document: arrays sorted, so that two runs that finished
// steps in another order compare equal, whatever the report's shape.
func (e *env) reportJSON(cfg executor.Config, p *plan.Plan) string {
	e.t.Helper()
	steps, err := plan.Expand(p)
	if err != nil {
		e.t.Fatal(err)
	}
	recs, err := executor.ReadJournal(cfg.JournalPath)
	if err != nil {
		e.t.Fatalf("ReadJournal() error = %v", err)
	}
	rep := executor.Report(recs, steps)
	rep.Plan = p.Name
	out, err := canonjson.Marshal(rep)
	if err != nil {
		e.t.Fatal(err)
	}
	return string(out)
}

// TestResumeJournalsWhatItLearns (issue 10, finding 1): every write
// committed on MANGOPAY, but the run died before journalling any answer,
// so the journal holds only "started" records and `report` shows steps in
// doubt. The next apply learns each outcome (by Tag, or by key through
// /responses) and journals it: `report` then equals the report of the
// uninterrupted run, and a further apply journals nothing more.
func TestResumeJournalsWhatItLearns(t *testing.T) {
	for _, path := range []string{"../examples/multi-campaign.yaml", "../examples/failed-to-card.yaml",
		"../examples/succeeded-natural.yaml"} {
		t.Run(path[12:], func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			p := e.load(path)
			cfg := e.cfg("j.jsonl")
			e.apply(context.Background(), cfg, p)
			want := e.reportJSON(cfg, p)

			recs, err := executor.ReadJournal(cfg.JournalPath)
			if err != nil {
				t.Fatal(err)
			}
			var lines []byte
			for _, r := range recs {
				if r.State == executor.StateStarted {
					b, _ := json.Marshal(r)
					lines = append(append(lines, b...), '\n')
				}
			}
			if err := os.WriteFile(cfg.JournalPath, lines, 0o600); err != nil {
				t.Fatal(err)
			}
			if got := e.reportJSON(cfg, p); got == want {
				t.Fatalf("the report of the crashed journal equals the full one: the test proves nothing")
			}

			sum := e.apply(context.Background(), cfg, p)
			if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt+sum.Blocked > 0 {
				t.Fatalf("resumed Apply() = %s", describe(sum))
			}
			if got := e.reportJSON(cfg, p); got != want {
				t.Errorf("report after the resume =\n%s\nwant (uninterrupted run)\n%s", got, want)
			}
			checkLedger(t, e.actual(cfg, p), expected(p))
			e.noDuplicates(t, cfg, p)

			n := journalLen(t, cfg)
			e.apply(context.Background(), cfg, p)
			if got := journalLen(t, cfg); got != n {
				t.Errorf("a re-run of the finished plan journalled %d records, want 0", got-n)
			}
		})
	}
}

func journalLen(t *testing.T, cfg executor.Config) int {
	t.Helper()
	recs, err := executor.ReadJournal(cfg.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// TestApplyJournalFull (issue 10, finding 7): the disk fills up during an
// apply. The run stops, returns an error wrapping ErrJournal, and its
// summary counts in doubt every step whose outcome the journal may not
// hold: nothing it calls done or failed lacks its record, nothing the
// journal leaves started is called anything but in doubt. The next run
// (disk freed) finishes the plan, and its report is the uninterrupted
// run's.
func TestApplyJournalFull(t *testing.T) {
	const path = "../examples/failed-to-card.yaml"
	ref := newEnv(t, sandbox.Options{})
	rp := ref.load(path)
	rcfg := ref.cfg("j.jsonl")
	ref.apply(context.Background(), rcfg, rp)
	want := ref.reportJSON(rcfg, rp)
	for _, tc := range []struct {
		name    string
		records int
		syncToo bool
	}{{"write", 20, false}, {"write-and-sync", 20, true}, {"early", 3, true}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			p := e.load(path)
			cfg := e.cfg("j.jsonl")
			restore := executor.FailJournal(tc.records, tc.syncToo)
			sum, err := executor.Apply(context.Background(), cfg, p)
			restore()
			if !errors.Is(err, executor.ErrJournal) {
				t.Fatalf("Apply() on a full disk error = %v, want ErrJournal", err)
			}
			if sum == nil || sum.InDoubt == 0 || !sum.Stopped {
				t.Fatalf("Apply() on a full disk summary = %+v, want steps in doubt", sum)
			}
			recs, err := executor.ReadJournal(cfg.JournalPath)
			if err != nil {
				t.Fatalf("ReadJournal() after a full disk error = %v", err)
			}
			hist := executor.Fold(recs)
			byKey := map[string]*executor.Result{}
			for _, r := range sum.Results {
				byKey[r.Step.Key] = r
				switch r.State {
				case executor.StateSucceeded, executor.StateFailed, executor.StatePending:
					if h := hist[r.Step.Key]; h == nil || h.Last.State != r.State {
						t.Errorf("%s is %s in the summary, but the journal does not say so", r.Step.Key, r.State)
					}
				}
			}
			for key, h := range hist {
				if r := byKey[key]; h.InDoubt() && (r == nil || r.State != executor.StateInDoubt && r.State != executor.StateSkipped) {
					t.Errorf("%s is started in the journal but %v in the summary, want in doubt", key, r)
				}
			}
			t.Logf("stopped after %d records: %d results, %d done, %d in doubt", len(recs), len(sum.Results), sum.Done, sum.InDoubt)

			if sum := e.apply(context.Background(), cfg, p); sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
				t.Fatalf("resumed Apply() = %s", describe(sum))
			}
			if got := e.reportJSON(cfg, p); got != want {
				t.Errorf("report after the resume =\n%s\nwant (uninterrupted run)\n%s", got, want)
			}
			checkLedger(t, e.actual(cfg, p), expected(p))
			e.noDuplicates(t, cfg, p)
		})
	}
}
