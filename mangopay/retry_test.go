package mangopay_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// transferAll makes n transfers of 1000 from the payer to the project, each
// with its own key, and returns their ids.
func transferAll(t *testing.T, c *mangopay.Client, f flow, tag string, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		tr, err := c.Transfers.Create(context.Background(), &mangopay.TransferCreateParams{
			Params:   mangopay.Params{IdempotencyKey: fmt.Sprintf("%s-transfer-%04d", tag, i)},
			AuthorId: f.payer, DebitedWalletId: f.payerWallet, CreditedWalletId: f.ownerWallet,
			DebitedFunds: eur(1000), Fees: eur(0)})
		if err != nil {
			t.Fatalf("transfer %d: %v", i, err)
		}
		if tr.Status != mangopay.StatusSucceeded {
			t.Fatalf("transfer %d = %+v", i, tr)
		}
		ids = append(ids, tr.Id)
	}
	return ids
}

// checkTransfers checks that the project wallet holds exactly the given
// transfers, once each, and the matching balance.
func checkTransfers(t *testing.T, c *mangopay.Client, f flow, ids []string) {
	t.Helper()
	ctx := context.Background()
	txs, err := mangopay.Collect(c.Transactions.ListByWallet(ctx, f.ownerWallet, &mangopay.ListOptions{Type: []string{"TRANSFER"}}))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, tx := range txs {
		seen[tx.Id]++
	}
	if len(txs) != len(ids) {
		t.Errorf("project wallet holds %d transfers, want %d", len(txs), len(ids))
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("transfer %s appears %d times, want once", id, seen[id])
		}
	}
	w, err := c.Wallets.Get(ctx, f.ownerWallet)
	if err != nil || w.Balance.Amount != int64(1000*len(ids)) {
		t.Errorf("project balance = %+v, %v; want %d", w, err, 1000*len(ids))
	}
}

// retryLogged gives the client enough retries to ride out a burst of
// injected faults and logs every attempt and retry into logs.
func retryLogged(logs *syncBuffer) func(*mangopay.Config) {
	return func(cfg *mangopay.Config) {
		cfg.MaxRetries = 12
		cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

func TestFault5xxBurst(t *testing.T) {
	logs := &syncBuffer{}
	c, _, e := newEmbedded(t, sandbox.Options{}, retryLogged(logs))
	f := newFlow(t, c)
	e.setFaults(t, map[string]any{"Seed": 7, "ErrorRatio": 0.4})
	ids := transferAll(t, c, f, "burst", 20)
	checkTransfers(t, c, f, ids)
	e.setFaults(t, map[string]any{})
	n := strings.Count(logs.String(), "server error 500")
	if n < 5 {
		t.Errorf("retries after a 500: %d, want a burst of at least 5", n)
	}
	t.Logf("20 transfers and their reads through %d injected 500s", n)
	e.checkLedger(t)
}

func TestFaultDropAfterCommit(t *testing.T) {
	logs := &syncBuffer{}
	c, _, e := newEmbedded(t, sandbox.Options{}, retryLogged(logs))
	f := newFlow(t, c)
	e.setFaults(t, map[string]any{"Seed": 3, "DropAfterCommitRatio": 0.5})
	ids := transferAll(t, c, f, "dropped", 10)
	e.setFaults(t, map[string]any{})
	checkTransfers(t, c, f, ids)
	out := logs.String()
	if !strings.Contains(out, "transport error") || !strings.Contains(out, "mangopay idempotent replay") {
		t.Errorf("no dropped transfer was resolved through /responses; logs:\n%s", out)
	}
	posts := e.sb.Stats().ByRoute["POST /transfers"]
	if posts <= 10 {
		t.Errorf("POST /transfers = %d, want more than 10 (retries after drops)", posts)
	}
	t.Logf("10 transfers: %d POSTs, %d answers dropped after commit, %d resolved through /responses",
		posts, strings.Count(out, "transport error"), strings.Count(out, "mangopay idempotent replay"))
	e.checkLedger(t)
}

// statusCounter wraps a handler and counts 429 answers.
type statusCounter struct {
	h       http.Handler
	mu      sync.Mutex
	tooMany int
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *statusCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: 200}
	s.h.ServeHTTP(sw, r)
	if sw.status == http.StatusTooManyRequests {
		s.mu.Lock()
		s.tooMany++
		s.mu.Unlock()
	}
}

// TestFaultSmallRateLimits runs 16 concurrent callers against the sandbox
// with windows of 5 calls per 2 s and 12 per 6 s: every call succeeds, the
// sandbox never answers 429, and the governor waits for the resets. The
// sandbox is served in process inside a synctest bubble, so the waits take
// virtual time only.
func TestFaultSmallRateLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sb, err := sandbox.New(sandbox.Options{RateLimits: []sandbox.RateWindow{
			{Period: 2 * time.Second, Limit: 5}, {Period: 6 * time.Second, Limit: 12}}})
		if err != nil {
			t.Fatal(err)
		}
		defer sb.Close()
		counter := &statusCounter{h: sb}
		c, err := mangopay.NewClient(mangopay.Config{ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey,
			BaseURL: "http://127.0.0.1", HTTPClient: &http.Client{Transport: mangopay.InProcessTransport(counter)}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		u, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: mangopay.CategoryPayer,
			FirstName: "R", LastName: "L", Email: "r@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		failed := 0
		for range 16 {
			wg.Go(func() {
				for range 4 {
					_, err := c.Users.Get(ctx, u.Id)
					mu.Lock()
					if err != nil {
						failed++
						t.Errorf("Users.Get() error = %v", err)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if failed != 0 || counter.tooMany != 0 {
			t.Errorf("failed %d, 429 answers %d; want 0 and 0", failed, counter.tooMany)
		}
		// 65 calls at 12 per 6 s need at least five resets of the long window.
		if d := time.Since(start); d < 5*6*time.Second {
			t.Errorf("virtual time %v: the governor did not wait for the resets", d)
		}
		st := c.RateLimit()
		if len(st.Windows) != 2 || st.InFlight != 0 {
			t.Errorf("RateLimit() = %+v, want 2 windows and none in flight", st)
		}
		for _, w := range st.Windows {
			if w.Remaining < 0 || w.Made > 12 {
				t.Errorf("window %+v out of bounds", w)
			}
		}
	})
}

// TestFaultLatencyInDoubt: a transfer whose caller gives up during the
// sandbox's injected latency is in doubt; sending it again with the same
// key once the latency is gone makes exactly one transfer.
func TestFaultLatencyInDoubt(t *testing.T) {
	c, _, e := newEmbedded(t, sandbox.Options{})
	f := newFlow(t, c)
	e.setFaults(t, map[string]any{"Latency": "1h"})
	p := &mangopay.TransferCreateParams{Params: mangopay.Params{IdempotencyKey: "in-doubt-transfer-01"},
		AuthorId: f.payer, DebitedWalletId: f.payerWallet, CreditedWalletId: f.ownerWallet, DebitedFunds: eur(1000), Fees: eur(0)}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Transfers.Create(ctx, p); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Create() under latency error = %v, want DeadlineExceeded", err)
	}
	e.setFaults(t, map[string]any{})
	tr, err := c.Transfers.Create(context.Background(), p)
	if err != nil || tr.Status != mangopay.StatusSucceeded {
		t.Fatalf("Create() again = %+v, %v", tr, err)
	}
	again, err := c.Transfers.Create(context.Background(), p)
	if err != nil || again.Id != tr.Id {
		t.Errorf("Create() a third time = %+v, %v; want the same transfer %s", again, err, tr.Id)
	}
	checkTransfers(t, c, f, []string{tr.Id})
}
