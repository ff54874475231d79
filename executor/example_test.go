package executor_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// ExampleApply applies an example plan on an in-process sandbox, then
// applies it again: the second run finds everything, changes nothing, and
// reports the same money.
func ExampleApply() {
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client, err := mangopay.NewClient(mangopay.Config{ClientID: sandbox.DefaultClientID,
		APIKey: sandbox.DefaultAPIKey, BaseURL: ts.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plan.Load("../examples/succeeded-natural.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "settle-example")
	defer os.RemoveAll(dir)
	cfg := executor.Config{Client: client, Target: "embedded", JournalPath: filepath.Join(dir, "bakery.journal.jsonl")}

	for run := 1; run <= 2; run++ {
		sum, err := executor.Apply(context.Background(), cfg, p)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("run %d: %d done, %d unchanged, %d failed\n", run, sum.Done, sum.Unchanged, sum.Failed)
		for _, m := range sum.Money {
			fmt.Printf("  %s: moved to project %d, sent to owner's bank %d, platform fees %d %s\n", m.Campaign,
				m.MovedToProject, m.SentToOwnerBank, m.PlatformFees, m.Currency)
		}
	}
	// Output:
	// run 1: 22 done, 0 unchanged, 0 failed
	//   oven-2026: moved to project 12000, sent to owner's bank 11040, platform fees 960 EUR
	// run 2: 0 done, 22 unchanged, 0 failed
	//   oven-2026: moved to project 12000, sent to owner's bank 11040, platform fees 960 EUR
}
