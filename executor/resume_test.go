package executor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
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
		if s.AdoptedID != "" || !executor.IsMoney(s.Kind) {
			continue
		}
		if n := tags[s.Tag]; n != 1 {
			t.Errorf("transactions tagged %s = %d, want 1", s.Tag, n)
		}
	}
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
				t.Errorf("PreviewOf() has changes: %s", changes(pv))
			}
		})
	}
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

// lateCommit holds the first POST carrying tag: the runner that sent it
// gives up (it is interrupted), and the request reaches MANGOPAY only when
// the next POST with that tag arrives, just before it, as a request still
// in flight from a killed process would.
type lateCommit struct {
	a       *env
	tag     string
	mu      sync.Mutex
	held    []byte
	heldReq *http.Request
	arrived chan struct{}
}

func (l *lateCommit) hook(w http.ResponseWriter, r *http.Request, body []byte) bool {
	if r.Method != http.MethodPost || tagOf(body) != l.tag {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.heldReq == nil {
		l.held, l.heldReq = body, r.Clone(context.Background())
		close(l.arrived)
		l.mu.Unlock()
		<-r.Context().Done()
		l.mu.Lock()
		return true
	}
	if l.held != nil {
		late := l.heldReq
		late.Body = nopBody(l.held)
		l.a.srv.ServeHTTP(httptest.NewRecorder(), late)
		l.held = nil
	}
	return false
}

// TestResumeReusesKey: a partial refund is sent, the run is
// interrupted before the answer, and the operator edits the refund amount
// before the next run. The first request reaches MANGOPAY late, after the
// next run read the state. The next run must resume with the key it
// journalled, so that MANGOPAY answers with the first refund instead of
// making a second one.
func TestResumeReusesKey(t *testing.T) {
	a := newEnv(t, sandbox.Options{})
	path := "../examples/partial-refund.yaml"
	p := a.load(path)
	step := "transfer_refund/fest-2026/olivier-1"
	l := &lateCommit{a: a, tag: "settle:" + p.Name + "/" + step, arrived: make(chan struct{})}
	a.setHook(l.hook)
	cfg := a.cfg("j.jsonl")
	cfg.Client = a.quick
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-l.arrived; cancel() }()
	first, err := executor.Apply(ctx, cfg, p)
	if err != nil {
		t.Fatalf("interrupted Apply() error = %v", err)
	}
	if !first.Interrupted {
		t.Fatalf("first Apply() = %s, want interrupted", describe(first))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	q, err := plan.Parse(path, []byte(strings.Replace(string(data), "refund_amount: 4200", "refund_amount: 500", 1)))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Client = a.newClient()
	a.apply(context.Background(), cfg, q)
	a.setHook(nil)
	var refunds int
	tr := a.stepID(t, q, "transfer/fest-2026/olivier-1")
	for rf, err := range a.c.Transfers.Refunds(context.Background(), tr, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if rf.Status == "SUCCEEDED" {
			refunds++
		}
	}
	if refunds != 1 {
		t.Errorf("refunds of %s = %d, want 1 (the in-doubt one, resumed under its key)", tr, refunds)
	}
}

func nopBody(b []byte) *readCloser { return &readCloser{bytes.NewReader(b)} }

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// TestInDoubtAfterKeyExpiry: a refund (or payout) is made but its
// answer is lost, so the step stays in doubt; the next run comes 25 h
// later, when MANGOPAY has forgotten the key (and its same-day 005407
// guard for pay-in refunds no longer applies). It must find the movement
// by Tag and not refund or pay out twice, with or without its journal.
func TestInDoubtAfterKeyExpiry(t *testing.T) {
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
				a := newEnv(t, sandbox.Options{})
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
				cfg.Client = a.quick
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

// TestInDoubtResolution makes every POST's outcome unknown to a client
// that never retries, either committed then dropped or refused before
// running, so each run leaves the steps it starts in doubt. The next runs
// resolve them (Tag search, then the same key again) and the plan ends
// applied exactly once.
func TestInDoubtResolution(t *testing.T) {
	for _, fault := range []int32{faultDrop, faultFail} {
		t.Run(fmt.Sprint("fault-", fault), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			p := e.load("../examples/succeeded-natural.yaml")
			cfg := e.cfg("j.jsonl")
			cfg.Client = nil
			c, err := mangopay.NewClient(mangopay.Config{ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey,
				BaseURL: e.ts.URL, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			cfg.Client = c
			inDoubt := 0
			for run := 0; run < 12; run++ {
				e.postFault.Store(fault)
				sum := e.apply(context.Background(), cfg, p)
				inDoubt += sum.InDoubt
			}
			if inDoubt == 0 {
				t.Fatalf("no step was ever in doubt")
			}
			e.postFault.Store(faultNone)
			cfg.Client = e.c
			sum := e.apply(context.Background(), cfg, p)
			if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
				t.Fatalf("final Apply() = %s", describe(sum))
			}
			checkLedger(t, e.actual(cfg, p), expected(p))
			e.noDuplicates(t, cfg, p)
			e.oneOfEach(t, cfg, p)
		})
	}
}
