package platform

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	h := newHarness(t, Config{RateLimits: []RateWindow{{Period: time.Minute, Limit: 3}, {Period: time.Hour, Limit: 5}}})
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
	if m := platformtest.CheckErrorBody(t, body, "rate_limit", "Rate limit exceeded. Please contact support for more assistance"); m["errors"] != nil {
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
	h := newHarness(t, Config{})
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

func TestRateUsage(t *testing.T) {
	h := newHarness(t, Config{RateLimits: []RateWindow{{Period: time.Minute, Limit: 3}, {Period: time.Hour, Limit: 5}}})
	if got := h.a.RateUsage(h.clock.Now()); len(got) != 0 {
		t.Fatalf("before any call RateUsage = %v, want none", got)
	}
	h.api("GET", "/ptest/items", "")
	h.api("GET", "/ptest/items", "")
	start := h.clock.Now()
	got := h.a.RateUsage(start)
	if len(got) != 2 || got[0].Count != 2 || got[0].Limit != 3 || got[0].Period != time.Minute ||
		!got[0].Reset.Equal(start.Add(time.Minute)) || got[1].Count != 2 || got[1].Period != time.Hour {
		t.Fatalf("RateUsage = %+v, want the minute and hour windows with 2 calls", got)
	}
	h.clock.Advance(time.Minute)
	if got := h.a.RateUsage(h.clock.Now()); len(got) != 1 || got[0].Period != time.Hour {
		t.Errorf("after a minute RateUsage = %+v, want the hour window only", got)
	}
}
