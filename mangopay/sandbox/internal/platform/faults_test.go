package platform

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// statuses makes n GETs and returns their status codes.
func statuses(h *harness, n int) []int {
	out := make([]int, n)
	for i := range out {
		resp, _ := h.api("GET", "/ptest/items", "")
		out[i] = resp.StatusCode
	}
	return out
}

func TestFaultErrorRatioDeterministic(t *testing.T) {
	cfg := Config{Faults: Faults{Seed: 42, ErrorRatio: 0.5}}
	a := statuses(newHarness(t, cfg), 40)
	b := statuses(newHarness(t, cfg), 40)
	fails := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("seed 42 runs differ at %d: %v vs %v", i, a, b)
		}
		if a[i] == 500 {
			fails++
		}
	}
	if fails == 0 || fails == len(a) {
		t.Errorf("%d of %d requests failed with ratio 0.5, want some but not all", fails, len(a))
	}
	c := statuses(newHarness(t, Config{Faults: Faults{Seed: 7, ErrorRatio: 0.5}}), 40)
	if equalInts(a, c) {
		t.Errorf("seeds 42 and 7 gave the same faults %v", a)
	}
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestFaultErrorDoesNothing(t *testing.T) {
	h := newHarness(t, Config{Faults: Faults{ErrorRatio: 1}})
	resp, body := h.api("POST", "/ptest/items", "{}", "Idempotency-Key: fault-key-00000001")
	if resp.StatusCode != 500 {
		t.Fatalf("status = %d, want 500", resp.StatusCode)
	}
	platformtest.CheckErrorBody(t, body, "other", "Internal Server Error")
	if h.p.commits != 0 {
		t.Errorf("handler ran %d times, want 0", h.p.commits)
	}
	// The key was not consumed.
	if resp, _ := h.api("GET", "/responses/fault-key-00000001", ""); resp.StatusCode != 500 {
		t.Errorf("GET /responses status = %d, want 500 too (ratio 1)", resp.StatusCode)
	}
	h.a.SetFaults(Faults{})
	if resp, body := h.api("GET", "/responses/fault-key-00000001", ""); resp.StatusCode != 400 {
		t.Errorf("GET /responses status = %d, want 400 (%s)", resp.StatusCode, body)
	}
}

func TestFaultDropAfterCommit(t *testing.T) {
	h := newHarness(t, Config{Faults: Faults{DropAfterCommitRatio: 1}})
	req, _ := http.NewRequest("POST", h.ts.URL+"/v2.01/sandbox/ptest/items", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+h.tok)
	req.Header.Set("Idempotency-Key", "drop-key-000000001")
	resp, err := h.ts.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("POST got status %d, want a dropped connection", resp.StatusCode)
	}
	h.mu.Lock()
	commits, items := h.p.commits, len(h.p.items)
	h.mu.Unlock()
	if commits != 1 || items != 1 {
		t.Errorf("commits, items = %d, %d, want 1, 1", commits, items)
	}
	// GETs are not dropped, and the first outcome is readable.
	resp2, body := h.api("GET", "/responses/drop-key-000000001", "")
	if resp2.StatusCode != 200 || !strings.Contains(string(body), `"item_1"`) {
		t.Errorf("GET /responses = %d %s, want the committed item", resp2.StatusCode, body)
	}
}

func TestFaultLatency(t *testing.T) {
	h := newHarness(t, Config{Faults: Faults{Latency: time.Hour}})
	// A client that gives up during the latency: the POST never runs.
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", h.ts.URL+"/v2.01/sandbox/ptest/items", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+h.tok)
	go func() {
		// Cancel once the POST is inside the pipeline (the token call
		// was request 1).
		for h.a.RequestStats().Requests < 2 {
			runtime.Gosched()
		}
		cancel()
	}()
	if resp, err := h.ts.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("POST answered %d during an hour of latency", resp.StatusCode)
	}
	h.ts.Close() // waits for the server side of the request to end
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.p.commits != 0 {
		t.Errorf("handler ran %d times after the client gave up during latency, want 0", h.p.commits)
	}
}
