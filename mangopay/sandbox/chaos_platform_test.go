package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestFaultsWithIdempotentRetries sends transfers from several goroutines
// through injected 500s and dropped connections, retrying each with its
// Idempotency-Key the way settle's client does (409 -> GET /responses/{key}).
// Every key must have executed exactly once and the money must add up.
func TestFaultsWithIdempotentRetries(t *testing.T) {
	h := newHarness(t, Options{})
	f := h.fund()
	h.s.faults.set(Faults{Seed: 1, ErrorRatio: 0.2, DropAfterCommitRatio: 0.3})
	const workers, perWorker = 4, 20
	body := fmt.Sprintf(`{"AuthorId":%q,"DebitedWalletId":%q,"CreditedWalletId":%q,"DebitedFunds":{"Currency":"EUR","Amount":1},"Fees":{"Currency":"EUR","Amount":0}}`,
		f.payer, f.wc, f.wp)
	ids := make(chan string, workers*perWorker)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				key := fmt.Sprintf("chaos-%02d-%04d-000000", w, i)
				id, err := transferWithRetries(h, body, key)
				if err != nil {
					t.Error(err)
					return
				}
				ids <- id
			}
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("transfer %s returned for two keys", id)
		}
		seen[id] = true
	}
	h.s.faults.set(Faults{})
	if got, want := h.walletBalance(f.wc), float64(9500-workers*perWorker); got != want {
		t.Errorf("contributor balance = %v, want %v (each key executed once)", got, want)
	}
	if err := h.s.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() = %v", err)
	}
}

// transferWithRetries POSTs body under key until the outcome is known and
// returns the transfer Id.
func transferWithRetries(h *harness, body, key string) (string, error) {
	for attempt := 0; attempt < 100; attempt++ {
		status, data, err := h.rawCall("POST", "/transfers", body, key)
		if err != nil || status == 500 {
			continue // dropped or injected failure: unknown outcome, retry
		}
		if status == 409 {
			if status, data, err = h.rawCall("GET", "/responses/"+key, "", ""); err != nil || status != 200 {
				continue
			}
			var stored struct{ Resource map[string]any }
			if err := json.Unmarshal(data, &stored); err != nil {
				return "", err
			}
			return stored.Resource["Id"].(string), nil
		}
		var tr map[string]any
		if err := json.Unmarshal(data, &tr); err != nil || status != 200 || tr["Status"] != "SUCCEEDED" {
			return "", fmt.Errorf("key %s: %d %s", key, status, data)
		}
		return tr["Id"].(string), nil
	}
	return "", fmt.Errorf("key %s: no answer after 100 attempts", key)
}

// rawCall is an API call that reports transport errors instead of failing.
func (h *harness) rawCall(method, path, body, key string) (int, []byte, error) {
	req, err := http.NewRequest(method, h.ts.URL+"/v2.01/sandbox"+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+h.tok)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}
