package mangopay

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func rlHeader(lines map[string][]string) http.Header {
	h := http.Header{}
	for k, vs := range lines {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	return h
}

func TestParseRateLimit(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	at := func(s int64) time.Time { return time.Unix(s, 0) }
	w := func(made, left int, reset time.Time) rlWindow {
		return rlWindow{limit: made + left, used: made, reset: reset}
	}
	tests := []struct {
		name string
		h    http.Header
		want []rlWindow
	}{
		{"repeated lines", rlHeader(map[string][]string{
			"X-RateLimit":           {"6", "15", "100"},
			"X-RateLimit-Remaining": {"4494", "8785", "105500"},
			"X-RateLimit-Reset":     {"1700001740", "1700003540", "1700086400"}}),
			[]rlWindow{w(6, 4494, at(1700001740)), w(15, 8785, at(1700003540)), w(100, 105500, at(1700086400))}},
		{"comma merged", rlHeader(map[string][]string{
			"X-RateLimit":           {"2, 5, 9, 5280"},
			"X-RateLimit-Remaining": {"2298, 4495, 8791, 100320"},
			"X-RateLimit-Reset":     {"1700000900,1700001800,1700003600,1700086400"}}),
			[]rlWindow{w(2, 2298, at(1700000900)), w(5, 4495, at(1700001800)), w(9, 8791, at(1700003600)), w(5280, 100320, at(1700086400))}},
		{"mixed and relative reset", rlHeader(map[string][]string{
			"X-RateLimit":           {"1, 2", "3"},
			"X-RateLimit-Remaining": {"9", "8, 7"},
			"X-RateLimit-Reset":     {"60", "120", "1700086400"}}),
			[]rlWindow{w(1, 9, now.Add(time.Minute)), w(2, 8, now.Add(2*time.Minute)), w(3, 7, at(1700086400))}},
		{"negative remaining clamps", rlHeader(map[string][]string{
			"X-RateLimit": {"11"}, "X-RateLimit-Remaining": {"-1"}, "X-RateLimit-Reset": {"1700000900"}}),
			[]rlWindow{w(11, 0, at(1700000900))}},
		{"mismatched counts", rlHeader(map[string][]string{
			"X-RateLimit": {"1", "2"}, "X-RateLimit-Remaining": {"3"}, "X-RateLimit-Reset": {"4", "5"}}), nil},
		{"garbage", rlHeader(map[string][]string{
			"X-RateLimit": {"a"}, "X-RateLimit-Remaining": {"3"}, "X-RateLimit-Reset": {"4"}}), nil},
		{"absent", http.Header{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRateLimit(tt.h, now)
			if ok != (tt.want != nil) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseRateLimit() = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}

// windowHeader is the header of one window: made, remaining, reset.
func windowHeader(made, remaining int, reset time.Time) http.Header {
	h := http.Header{}
	h.Add("X-RateLimit", strconv.Itoa(made))
	h.Add("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Add("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	return h
}

func TestGovernorWaitsForReset(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	g := newGovernor()
	g.now, g.after = clock.Now, clock.After
	ctx := context.Background()
	release, err := g.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reset := clock.Now().Add(10 * time.Second)
	release(windowHeader(5, 0, reset), 200)
	if !g.limited() {
		t.Errorf("limited() = false with an exhausted window")
	}
	release, err = g.acquire(ctx)
	if err != nil {
		t.Fatalf("acquire() error = %v", err)
	}
	if now := clock.Now(); now.Before(reset) {
		t.Errorf("acquire() returned at %v, before the reset %v", now, reset)
	}
	st := g.state()
	if len(st.Windows) != 1 || st.Windows[0].Remaining != 4 || st.Windows[0].Made != 1 || st.InFlight != 1 {
		t.Errorf("state() = %+v, want the window restored to 5, one of them reserved", st)
	}
	release(nil, 0)
}

func TestGovernorPenalizes429(t *testing.T) {
	g := newGovernor()
	now := time.Now()
	g.known = true
	g.windows = []rlWindow{{limit: 11, used: 1, reset: now.Add(time.Hour)}, {limit: 11, used: 1, reset: now.Add(time.Minute)}}
	g.inflight = 1
	g.release(nil, http.StatusTooManyRequests)
	if g.windows[1].left() != 0 || g.windows[0].left() != 10 {
		t.Errorf("after a 429, windows = %+v; want the earliest-resetting one exhausted", g.windows)
	}
	if !g.limited() {
		t.Errorf("limited() = false after a 429")
	}
}

func TestGovernorOneProbeUntilLimitsKnown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGovernor()
		ctx := context.Background()
		first, err := g.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan func(http.Header, int))
		go func() {
			r, err := g.acquire(ctx)
			if err != nil {
				t.Error(err)
			}
			got <- r
		}()
		synctest.Wait()
		if st := g.state(); !st.Waiting || st.InFlight != 1 {
			t.Errorf("state() = %+v, want a waiter and 1 in flight", st)
		}
		first(windowHeader(1, 99, time.Now().Add(time.Minute)), 200)
		second := <-got
		second(nil, 0)
		if st := g.state(); st.Waiting || st.InFlight != 0 {
			t.Errorf("state() = %+v, want idle", st)
		}
	})
}

func TestGovernorCancelWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGovernor()
		first, _ := g.acquire(context.Background())
		first(windowHeader(5, 0, time.Now().Add(time.Hour)), 200)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, err := g.acquire(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("acquire() error = %v, want DeadlineExceeded", err)
		}
	})
}

// limitedAPI is a fake MANGOPAY with fixed rate-limit windows. It counts a
// call when it arrives and refuses it with 429 when a window has nothing
// left: a refused call is a window that would have gone below zero.
type limitedAPI struct {
	latency time.Duration

	mu      sync.Mutex // guards windows
	windows []*fakeWindow

	served, refused atomic.Int64
	inflight, peak  atomic.Int64
}

type fakeWindow struct {
	period      time.Duration
	limit, made int
	reset       time.Time
}

func (a *limitedAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := a.inflight.Add(1)
	defer a.inflight.Add(-1)
	for p := a.peak.Load(); n > p && !a.peak.CompareAndSwap(p, n); p = a.peak.Load() {
	}
	a.mu.Lock()
	now := time.Now()
	over := false
	for _, win := range a.windows {
		for !now.Before(win.reset) {
			win.made, win.reset = 0, win.reset.Add(win.period)
		}
		over = over || win.made >= win.limit
	}
	for _, win := range a.windows {
		if !over {
			win.made++
		}
		w.Header().Add("X-RateLimit", strconv.Itoa(win.made))
		w.Header().Add("X-RateLimit-Remaining", strconv.Itoa(win.limit-win.made))
		w.Header().Add("X-RateLimit-Reset", strconv.FormatInt(win.reset.Unix(), 10))
	}
	a.mu.Unlock()
	if over {
		a.refused.Add(1)
		writeJSON(w, 429, map[string]any{"Type": "rate_limit", "Message": "Rate limit exceeded."})
		return
	}
	time.Sleep(a.latency)
	a.served.Add(1)
	writeJSON(w, 200, Wallet{Id: "w1"})
}

// TestGovernor32Callers: 32 goroutines share one client against two small
// windows; no call ever finds a window at zero (no 429), every call
// succeeds, and the client's own view never goes below zero. Virtual time
// (testing/synctest) makes the waits for resets instant and deterministic.
func TestGovernor32Callers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		api := &limitedAPI{latency: 30 * time.Millisecond, windows: []*fakeWindow{
			{period: 10 * time.Second, limit: 40, reset: start.Add(10 * time.Second)},
			{period: time.Minute, limit: 150, reset: start.Add(time.Minute)},
		}}
		c, err := NewClient(Config{ClientID: "cid", APIKey: "key", BaseURL: "http://127.0.0.1", Auth: AuthBasic,
			HTTPClient: &http.Client{Transport: handlerTransport{api}}})
		if err != nil {
			t.Fatal(err)
		}
		const callers, each = 32, 15
		var failed, negative atomic.Int64
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				for range each {
					if _, err := c.Wallets.Get(context.Background(), "w1"); err != nil {
						failed.Add(1)
						t.Errorf("Get() error = %v", err)
					}
					for _, w := range c.RateLimit().Windows {
						if w.Remaining < 0 {
							negative.Add(1)
						}
					}
				}
			})
		}
		wg.Wait()
		if got := api.refused.Load(); got != 0 {
			t.Errorf("calls that found a window at zero = %d, want 0", got)
		}
		if got := api.served.Load(); got != callers*each || failed.Load() != 0 {
			t.Errorf("served %d, failed %d; want %d and 0", got, failed.Load(), callers*each)
		}
		if negative.Load() != 0 {
			t.Errorf("client saw a negative remaining %d times", negative.Load())
		}
		if api.peak.Load() < 2 {
			t.Errorf("peak concurrency %d: the test did not run calls in parallel", api.peak.Load())
		}
		// 480 calls at 150 per minute need at least three resets of the long window.
		waited := time.Since(start)
		if waited < 3*time.Minute {
			t.Errorf("virtual time %v: the governor did not wait for the resets", waited)
		}
		t.Logf("%d calls in %v of virtual time, peak %d in flight", api.served.Load(), waited, api.peak.Load())
	})
}

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
