package executor_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
)

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
