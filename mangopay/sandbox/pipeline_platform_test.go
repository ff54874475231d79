package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/mangopay"
)

func TestIdempotency(t *testing.T) {
	h := newHarness(t, Options{})
	const key = "idem-key-0000000001"
	resp, first := h.api("POST", "/ptest/items", `{}`, "Idempotency-Key: "+key)
	if resp.StatusCode != 200 {
		t.Fatalf("first POST status = %d (%s)", resp.StatusCode, first)
	}
	resp, body := h.api("POST", "/ptest/items", `{"other":"body"}`, "Idempotency-Key: "+key)
	if resp.StatusCode != 409 {
		t.Fatalf("replay status = %d, want 409 (%s)", resp.StatusCode, body)
	}
	if m := checkErrorBody(t, body, "idempotent_creation_conflict", "A resource has already been created with this Idempotency Key"); m["errors"] != nil {
		t.Errorf("409 errors = %v, want null", m["errors"])
	}
	if h.p.commits != 1 {
		t.Errorf("handler ran %d times, want 1", h.p.commits)
	}
	resp, body = h.api("GET", "/responses/"+key, "")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /responses status = %d (%s)", resp.StatusCode, body)
	}
	var got mangopay.IdempotencyResponse
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	wantURL := h.ts.URL + "/v2.01/sandbox/ptest/items"
	if got.StatusCode != "200" || got.ContentLength != fmt.Sprint(len(first)) || got.ContentType != ctJSON ||
		got.RequestURL != wantURL || string(got.Resource) != string(first) {
		t.Errorf("GET /responses = %+v, want 200, %d, %s, %s, %s", got, len(first), ctJSON, wantURL, first)
	}
	if _, err := time.Parse(http.TimeFormat, got.Date); err != nil {
		t.Errorf("Date = %q is not an HTTP-date: %v", got.Date, err)
	}
	tests := []struct{ name, key, wantType string }{
		{"unknown key", "idem-key-unknown-01", "correlationid_not_found"},
	}
	for _, tt := range tests {
		resp, body = h.api("GET", "/responses/"+tt.key, "")
		if resp.StatusCode != 400 {
			t.Errorf("%s: status = %d, want 400", tt.name, resp.StatusCode)
		}
		checkErrorBody(t, body, tt.wantType, "")
	}
	// A malformed body burns the key too.
	resp, _ = h.api("POST", "/ptest/items", `{"x":`, "Idempotency-Key: idem-key-badjson-01")
	resp2, _ := h.api("POST", "/ptest/items", `{}`, "Idempotency-Key: idem-key-badjson-01")
	if resp.StatusCode != 400 || resp2.StatusCode != 409 {
		t.Errorf("malformed JSON then replay = %d, %d, want 400, 409", resp.StatusCode, resp2.StatusCode)
	}
	// A failed first call burns the key too.
	resp, _ = h.api("POST", "/ptest/items?status=400", `{}`, "Idempotency-Key: idem-key-failed-001")
	resp2, _ = h.api("POST", "/ptest/items", `{}`, "Idempotency-Key: idem-key-failed-001")
	if resp.StatusCode != 400 || resp2.StatusCode != 409 {
		t.Errorf("failed then replay = %d, %d, want 400, 409", resp.StatusCode, resp2.StatusCode)
	}
	// Keys expire after 24 h of sandbox clock.
	h.clock.Advance(24*time.Hour + time.Second)
	h.tok = h.token()
	if resp, body := h.api("GET", "/responses/"+key, ""); resp.StatusCode != 400 {
		t.Errorf("expired key GET /responses status = %d, want 400 (%s)", resp.StatusCode, body)
	}
	if resp, _ := h.api("POST", "/ptest/items", `{}`, "Idempotency-Key: "+key); resp.StatusCode != 200 {
		t.Errorf("expired key POST status = %d, want 200", resp.StatusCode)
	}
}

func TestIdempotencyKeyFormat(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		key  string
		want int
	}{
		{"short-key", 400},
		{strings.Repeat("a", 37), 400},
		{"has_underscore_0001", 400},
		{strings.Repeat("a", 16), 200},
		{"123e4567-e89b-12d3-a456-426614174000", 200},
	}
	for _, tt := range tests {
		resp, body := h.api("POST", "/ptest/items", `{}`, "Idempotency-Key: "+tt.key)
		if resp.StatusCode != tt.want {
			t.Errorf("key %q: status = %d, want %d (%s)", tt.key, resp.StatusCode, tt.want, body)
		}
		if tt.want == 400 {
			m := checkErrorBody(t, body, "param_error", msgParamError)
			if _, ok := m["errors"].(map[string]any)["IdempotencyKey"]; !ok {
				t.Errorf("key %q: errors = %v, want IdempotencyKey", tt.key, m["errors"])
			}
		}
	}
	// GET ignores the header.
	if resp, _ := h.api("GET", "/ptest/items", "", "Idempotency-Key: x"); resp.StatusCode != 200 {
		t.Errorf("GET with bad key status = %d, want 200", resp.StatusCode)
	}
}

func TestIdempotencyConcurrent(t *testing.T) {
	h := newHarness(t, Options{})
	const n = 16
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", h.ts.URL+"/v2.01/sandbox/ptest/items", strings.NewReader("{}"))
			req.Header.Set("Authorization", "Bearer "+h.tok)
			req.Header.Set("Idempotency-Key", "concurrent-key-000001")
			resp, err := h.ts.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if count[200] != 1 || count[409] != n-1 {
		t.Errorf("statuses = %v, want one 200 and %d 409", count, n-1)
	}
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if h.p.commits != 1 {
		t.Errorf("handler ran %d times, want 1", h.p.commits)
	}
}

func TestRateLimit(t *testing.T) {
	h := newHarness(t, Options{RateLimits: []RateWindow{{Period: time.Minute, Limit: 3}, {Period: time.Hour, Limit: 5}}})
	now := h.clock.Now().Unix()
	for i := 1; i <= 3; i++ {
		resp, _ := h.api("GET", "/ptest/items", "")
		if resp.StatusCode != 200 {
			t.Fatalf("call %d status = %d, want 200", i, resp.StatusCode)
		}
		wantMade := []string{fmt.Sprint(i), fmt.Sprint(i)}
		wantRem := []string{fmt.Sprint(3 - i), fmt.Sprint(5 - i)}
		wantReset := []string{fmt.Sprint(now + 60), fmt.Sprint(now + 3600)}
		checkValues(t, resp.Header, "X-RateLimit", wantMade)
		checkValues(t, resp.Header, "X-RateLimit-Remaining", wantRem)
		checkValues(t, resp.Header, "X-RateLimit-Reset", wantReset)
	}
	resp, body := h.api("POST", "/ptest/items", "{}")
	if resp.StatusCode != 429 {
		t.Fatalf("4th call status = %d, want 429", resp.StatusCode)
	}
	if m := checkErrorBody(t, body, "rate_limit", "Rate limit exceeded. Please contact support for more assistance"); m["errors"] != nil {
		t.Errorf("429 errors = %v, want null", m["errors"])
	}
	if resp.Header.Get("Retry-After") != "" || h.p.commits != 0 {
		t.Errorf("429: Retry-After = %q, commits = %d, want none", resp.Header.Get("Retry-After"), h.p.commits)
	}
	checkValues(t, resp.Header, "X-RateLimit-Remaining", []string{"0", "2"})
	h.clock.Advance(time.Minute)
	if resp, _ := h.api("GET", "/ptest/items", ""); resp.StatusCode != 200 {
		t.Errorf("after the minute window status = %d, want 200", resp.StatusCode)
	} else {
		checkValues(t, resp.Header, "X-RateLimit", []string{"1", "4"})
	}
	// Token calls are not counted.
	h.token()
	resp, _ = h.api("GET", "/ptest/items", "")
	checkValues(t, resp.Header, "X-RateLimit", []string{"2", "5"})
}

func TestRateLimitDefaultWindows(t *testing.T) {
	h := newHarness(t, Options{})
	resp, _ := h.api("GET", "/ptest/items", "")
	checkValues(t, resp.Header, "X-RateLimit", []string{"1", "1", "1", "1"})
	checkValues(t, resp.Header, "X-RateLimit-Remaining", []string{"2299", "4499", "8799", "105599"})
}

// checkValues compares the header lines of key (one integer per line).
func checkValues(t *testing.T, h http.Header, key string, want []string) {
	t.Helper()
	got := h.Values(key)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s lines = %q, want %q", key, got, want)
	}
}
