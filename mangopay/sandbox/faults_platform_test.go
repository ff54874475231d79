package sandbox

import (
	"context"
	"encoding/json"
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
	opts := Options{Faults: Faults{Seed: 42, ErrorRatio: 0.5}}
	a := statuses(newHarness(t, opts), 40)
	b := statuses(newHarness(t, opts), 40)
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
	c := statuses(newHarness(t, Options{Faults: Faults{Seed: 7, ErrorRatio: 0.5}}), 40)
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
	h := newHarness(t, Options{Faults: Faults{ErrorRatio: 1}})
	resp, body := h.api("POST", "/ptest/items", "{}", "Idempotency-Key: fault-key-00000001")
	if resp.StatusCode != 500 {
		t.Fatalf("status = %d, want 500", resp.StatusCode)
	}
	checkErrorBody(t, body, "other", "Internal Server Error")
	if h.p.commits != 0 {
		t.Errorf("handler ran %d times, want 0", h.p.commits)
	}
	// The key was not consumed.
	if resp, _ := h.api("GET", "/responses/fault-key-00000001", ""); resp.StatusCode != 500 {
		t.Errorf("GET /responses status = %d, want 500 too (ratio 1)", resp.StatusCode)
	}
	h.s.faults.set(Faults{})
	if resp, body := h.api("GET", "/responses/fault-key-00000001", ""); resp.StatusCode != 400 {
		t.Errorf("GET /responses status = %d, want 400 (%s)", resp.StatusCode, body)
	}
}

func TestFaultDropAfterCommit(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{DropAfterCommitRatio: 1}})
	req, _ := http.NewRequest("POST", h.ts.URL+"/v2.01/sandbox/ptest/items", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+h.tok)
	req.Header.Set("Idempotency-Key", "drop-key-000000001")
	resp, err := h.ts.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("POST got status %d, want a dropped connection", resp.StatusCode)
	}
	h.s.mu.Lock()
	commits, items := h.p.commits, len(h.p.items)
	h.s.mu.Unlock()
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
	h := newHarness(t, Options{Faults: Faults{Latency: time.Hour}})
	// A client that gives up during the latency: the POST never runs.
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", h.ts.URL+"/v2.01/sandbox/ptest/items", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+h.tok)
	go func() {
		// Cancel once the POST is inside the pipeline (the token call
		// was request 1).
		for h.s.Stats().Requests < 2 {
			runtime.Gosched()
		}
		cancel()
	}()
	if resp, err := h.ts.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("POST answered %d during an hour of latency", resp.StatusCode)
	}
	h.ts.Close() // waits for the server side of the request to end
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if h.p.commits != 0 {
		t.Errorf("handler ran %d times after the client gave up during latency, want 0", h.p.commits)
	}
}

func TestAdminAPI(t *testing.T) {
	h := newHarness(t, Options{})
	before := h.clock.Now().Unix()
	resp, body := h.api("POST", "/sandbox/clock/advance?by=2h", "")
	var clock clockDoc
	if err := json.Unmarshal(body, &clock); resp.StatusCode != 200 || err != nil || clock.Now != before+7200 || clock.Offset != "2h0m0s" {
		t.Errorf("clock/advance = %d %s, want Now %d, Offset 2h0m0s", resp.StatusCode, body, before+7200)
	}
	if h.s.now().Unix() != before+7200 {
		t.Errorf("now() = %d, want %d", h.s.now().Unix(), before+7200)
	}
	for _, bad := range []string{"", "?by=-1h", "?by=soon"} {
		if resp, _ := h.api("POST", "/sandbox/clock/advance"+bad, ""); resp.StatusCode != 400 {
			t.Errorf("clock/advance%s status = %d, want 400", bad, resp.StatusCode)
		}
	}
	put := `{"Seed":3,"Latency":"1ms","ErrorRatio":0.25,"DropAfterCommitRatio":0.5,"RateLimits":[{"Period":"1m","Limit":100}]}`
	resp, body = h.api("PUT", "/sandbox/faults", put)
	if resp.StatusCode != 200 {
		t.Fatalf("PUT faults = %d %s", resp.StatusCode, body)
	}
	_, body = h.api("GET", "/sandbox/faults", "")
	if want := strings.Replace(put, `"1m"`, `"1m0s"`, 1); strings.TrimSpace(string(body)) != want {
		t.Errorf("GET faults = %s, want %s", body, want)
	}
	if f := h.s.faults.get(); f.Seed != 3 || f.Latency != time.Millisecond || f.ErrorRatio != 0.25 {
		t.Errorf("faults = %+v", f)
	}
	for _, bad := range []string{`{"ErrorRatio":2}`, `{"Latency":"x"}`, `{"RateLimits":[{"Period":"0s","Limit":1}]}`, `nope`} {
		if resp, _ := h.api("PUT", "/sandbox/faults", bad); resp.StatusCode != 400 {
			t.Errorf("PUT faults %s status = %d, want 400", bad, resp.StatusCode)
		}
	}
	h.api("PUT", "/sandbox/faults", `{}`)
	for path, want := range map[string]int{"/sandbox/state": 200, "/sandbox/ledger": 200, "/sandbox/clock": 200} {
		if resp, body := h.api("GET", path, ""); resp.StatusCode != want || !json.Valid(body) {
			t.Errorf("GET %s = %d %s, want %d JSON", path, resp.StatusCode, body, want)
		}
	}
	resp, body = h.api("POST", "/sandbox/payouts/process", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"Processed":0`) {
		t.Errorf("payouts/process = %d %s", resp.StatusCode, body)
	}
}

func TestStats(t *testing.T) {
	h := newHarness(t, Options{})
	h.api("DELETE", "/sandbox/stats", "")
	h.api("POST", "/ptest/items", "{}")
	h.api("POST", "/ptest/items/", "{}")
	h.api("GET", "/ptest/items", "")
	h.api("GET", "/nothing", "")
	st := h.s.Stats()
	if st.Requests != 4 || st.Writes != 2 || st.ByMethod["POST"] != 2 || st.ByRoute["POST /ptest/items"] != 2 || st.ByRoute["GET (no route)"] != 1 {
		t.Errorf("Stats() = %+v", st)
	}
	_, body := h.api("GET", "/sandbox/stats", "")
	var got Stats
	if err := json.Unmarshal(body, &got); err != nil || got.Requests != 4 || got.Writes != 2 {
		t.Errorf("GET /sandbox/stats = %s (%v)", body, err)
	}
}
