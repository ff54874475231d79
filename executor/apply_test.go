package executor_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay"
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
				t.Errorf("PreviewOf() after apply has changes: %s", changes(pv))
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
			// Which steps are in doubt depends on what was in flight when
			// the disk filled: a step whose "started" record is the one that
			// failed was never sent (skipped), so a run can stop with none in
			// doubt. The loops below check each step against the journal.
			if sum == nil || sum.InDoubt+sum.Skipped == 0 || !sum.Stopped {
				t.Fatalf("Apply() on a full disk summary = %+v, want a stopped run with steps in doubt or not sent", sum)
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

// TestApplyObeysPreflight (issue 10, finding 5): ann pays 30.00 into her
// wallet for her first contribution; her second has no pay-in, so it can
// only be paid from what the first leaves: nothing. The two transfers do
// not depend on each other, so without the pre-flight either could go
// first and MANGOPAY would fail one of them. The pre-flight replays them
// in graph order on the read balances and blocks the second (a short
// balance computed from the first): apply sends the first, never the
// second, and MANGOPAY records no FAILED transaction.
func TestApplyObeysPreflight(t *testing.T) {
	const src = `version: 1
name: preflight-order
currency: EUR
users:
  olga: {type: natural, category: owner, first_name: Olga, last_name: O, email: o@example.org, birthday: 1980-01-01, nationality: FR, country_of_residence: FR, address: {line1: a, city: Paris, postal_code: "75001", country: FR}, terms_accepted: true}
  ann: {type: natural, category: payer, first_name: Ann, last_name: A, email: a@example.org}
wallets:
  project: {owner: olga, description: Project}
  ann: {owner: ann, description: Ann}
cards:
  ann-visa: {user: ann, number: "4970107111111119", expiry: "12/39", cvx: "123"}
campaigns:
  c:
    wallet: project
    outcome: open
    contributions:
      - {key: ann-1, from: ann, amount: 3000, payin: {card: ann-visa}}
      - {key: ann-2, from: ann, amount: 2000}
`
	p, err := plan.Parse("preflight-order.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, par := range []int{1, 8} {
		e := newEnv(t, sandbox.Options{})
		cfg := e.cfg("j.jsonl")
		cfg.Parallelism = par
		pv := e.diff(cfg, p)
		if c := change(pv, "transfer/c/ann-2"); c == nil || c.Action != executor.Blocked || !strings.Contains(c.Reason, "short balance") {
			t.Fatalf("PreviewOf() of transfer/c/ann-2 = %+v, want blocked for a short balance", c)
		}
		sum := e.apply(context.Background(), cfg, p)
		if r := result(sum, "transfer/c/ann-2"); r == nil || r.State != executor.StateBlocked {
			t.Errorf("parallelism %d: transfer/c/ann-2 = %+v, want blocked", par, r)
		}
		if r := result(sum, "transfer/c/ann-1"); r == nil || r.State != executor.StateSucceeded {
			t.Errorf("parallelism %d: transfer/c/ann-1 = %+v, want succeeded", par, r)
		}
		if sum.Blocked != 1 || sum.Failed != 0 {
			t.Errorf("parallelism %d: Apply() = %s, want one blocked, none failed", par, describe(sum))
		}
		if n := e.srv.Stats().ByRoute["POST /transfers"]; n != 1 {
			t.Errorf("parallelism %d: %d transfers sent, want 1", par, n)
		}
		if n := e.failedTransactions(t, cfg, p); n != 0 {
			t.Errorf("parallelism %d: MANGOPAY holds %d FAILED transactions, want 0", par, n)
		}
		recs, err := executor.ReadJournal(cfg.JournalPath)
		if err != nil {
			t.Fatal(err)
		}
		if h := executor.Fold(recs)["transfer/c/ann-2"]; h == nil || h.Last.State != executor.StateBlocked || h.Last.Error == "" {
			t.Errorf("parallelism %d: journal of transfer/c/ann-2 = %+v, want blocked with the reason", par, h)
		}
	}
}

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

// TestFaults applies with the sandbox answering 500s and dropping
// connections after committing POSTs: the client's retries (same keys,
// 409 then GET /responses) and, when they run out, the next run's in-doubt
// resolution end with the plan's exact ledger.
func TestFaults(t *testing.T) {
	for _, path := range []string{"../examples/multi-campaign.yaml", "../examples/failed-to-card.yaml", "../examples/legal-owner.yaml"} {
		t.Run(path[12:], func(t *testing.T) {
			e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Seed: 7, ErrorRatio: 0.15, DropAfterCommitRatio: 0.15}})
			p := e.load(path)
			cfg := e.cfg("j.jsonl")
			var sum *executor.Summary
			for run := 1; run <= 5; run++ {
				var err error
				if sum, err = executor.Apply(context.Background(), cfg, p); err != nil {
					t.Logf("run %d: Apply() error = %v", run, err)
					continue
				}
				if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt == 0 {
					break
				}
				t.Logf("run %d: %s", run, describe(sum))
			}
			if sum == nil || sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
				t.Fatalf("no clean run in 5")
			}
			checkLedger(t, e.actual(cfg, p), expected(p))
			e.noDuplicates(t, cfg, p)
			if err := e.srv.CheckLedger(); err != nil {
				t.Errorf("CheckLedger() = %v", err)
			}
		})
	}
}

// oneOfEach checks that the objects without money (users, wallets, bank
// accounts, cards, KYC documents) exist exactly once.
func (e *env) oneOfEach(t *testing.T, cfg executor.Config, p interface{}) {
	t.Helper()
	ctx := context.Background()
	users, err := mangopay.Collect(e.c.Users.List(ctx, &mangopay.ListOptions{PerPage: 100}))
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]int{}
	for _, u := range users {
		tags[string(u.Tag)]++
		ws, _ := mangopay.Collect(e.c.Wallets.ListByUser(ctx, u.Id, nil))
		for _, w := range ws {
			tags[string(w.Tag)]++
		}
		cs, _ := mangopay.Collect(e.c.Cards.ListByUser(ctx, u.Id, nil))
		for _, c := range cs {
			tags[string(c.Tag)]++
		}
		bs, _ := mangopay.Collect(e.c.BankAccounts.ListByUser(ctx, u.Id, nil))
		for _, b := range bs {
			tags[string(b.Tag)]++
		}
		ds, _ := mangopay.Collect(e.c.KYC.ListByUser(ctx, u.Id, nil))
		for _, d := range ds {
			tags[u.Id+"/"+d.Type]++
		}
	}
	for tag, n := range tags {
		if n != 1 {
			t.Errorf("%d objects for %s, want 1", n, tag)
		}
	}
}

// TestParallelismBound counts the API requests in flight at the server
// (each step makes its requests one at a time) and checks that they never
// exceed Config.Parallelism.
func TestParallelismBound(t *testing.T) {
	for _, par := range []int{1, 3} {
		t.Run(fmt.Sprint("parallelism-", par), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Latency: 3 * time.Millisecond}})
			p := e.load("../examples/multi-campaign.yaml")
			cfg := e.cfg("j.jsonl")
			cfg.Parallelism = par
			e.apply(context.Background(), cfg, p)
			if got := e.maxIn.Load(); got > int64(par) {
				t.Errorf("requests in flight peaked at %d, want <= %d", got, par)
			}
			t.Logf("peak in flight: %d of %d", e.maxIn.Load(), par)
		})
	}
}

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
