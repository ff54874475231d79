package platform

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

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
	h := newHarness(t, Config{})
	const key = "idem-key-0000000001"
	resp, first := h.api("POST", "/ptest/items", `{}`, "Idempotency-Key: "+key)
	if resp.StatusCode != 200 {
		t.Fatalf("first POST status = %d (%s)", resp.StatusCode, first)
	}
	resp, body := h.api("POST", "/ptest/items", `{"other":"body"}`, "Idempotency-Key: "+key)
	if resp.StatusCode != 409 {
		t.Fatalf("replay status = %d, want 409 (%s)", resp.StatusCode, body)
	}
	if m := platformtest.CheckErrorBody(t, body, "idempotent_creation_conflict", "A resource has already been created with this Idempotency Key"); m["errors"] != nil {
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
		platformtest.CheckErrorBody(t, body, tt.wantType, "")
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
	h := newHarness(t, Config{})
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
			m := platformtest.CheckErrorBody(t, body, "param_error", MsgParamError)
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
	h := newHarness(t, Config{})
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
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.p.commits != 1 {
		t.Errorf("handler ran %d times, want 1", h.p.commits)
	}
}
