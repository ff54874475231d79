package mangopay

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestGovernorMarginScalesWithWindow: the governor takes an exhausted
// window to be over 1 s after its reset until it has seen the window start
// again; from then on the margin is 1/64 of the window's length, capped at
// 1 s, so a scaled-down 3 s window is not idle a third of its length, and
// MANGOPAY's 15-minute window keeps the full second. The clock is fake:
// each wait moves it by exactly the time waited.
func TestGovernorMarginScalesWithWindow(t *testing.T) {
	for _, tc := range []struct {
		period, margin time.Duration
	}{
		{3 * time.Second, 3 * time.Second / marginFraction},
		{10 * time.Second, 10 * time.Second / marginFraction},
		{15 * time.Minute, time.Second},
	} {
		clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
		g := newGovernor()
		g.now, g.after = clock.Now, clock.After
		release := mustAcquire(t, g)
		reset := clock.Now().Add(tc.period)
		release(windowHeader(5, 0, reset), 200)
		release = mustAcquire(t, g)
		if got := clock.Now().Sub(reset); got != time.Second {
			t.Errorf("%v window, first reset: acquire() returned %v after it, want 1s (length unknown)", tc.period, got)
		}
		reset = clock.Now().Add(tc.period) // the new window's first answer
		release(windowHeader(5, 0, reset), 200)
		release = mustAcquire(t, g)
		if got := clock.Now().Sub(reset); got != tc.margin {
			t.Errorf("%v window, second reset: acquire() returned %v after it, want %v", tc.period, got, tc.margin)
		}
		release(nil, 0)
	}
}

// mustAcquire acquires or fails the test.
func mustAcquire(t *testing.T, g *governor) func(h http.Header, status int) {
	t.Helper()
	release, err := g.acquire(context.Background())
	if err != nil {
		t.Fatalf("acquire() error = %v", err)
	}
	return release
}
