package mangopay

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimitWindow is one of MANGOPAY's rate-limit windows as the client
// last saw it.
type RateLimitWindow struct {
	// Made is how many calls the window has counted: the server's last
	// X-RateLimit, plus the calls sent since that the server may not have
	// counted yet.
	Made int
	// Remaining is how many calls it still allows, never below zero.
	Remaining int
	// Reset is when the window ends (X-RateLimit-Reset); zero when the
	// window rolled over and no answer has said when the next one ends.
	Reset time.Time
}

// RateLimitState is a snapshot of a client's rate-limit governor.
type RateLimitState struct {
	// Windows in the order MANGOPAY sends them (shortest first); empty
	// until an answer carried the headers.
	Windows []RateLimitWindow
	// InFlight is how many calls hold a reservation right now.
	InFlight int
	// Waiting is true while at least one caller waits for budget.
	Waiting bool
}

// governor keeps every goroutine of a client inside MANGOPAY's rate
// limits. A call reserves one unit in every window before it is sent, so a
// window's usage is counted by the client itself and concurrent callers
// cannot overdraw it. Answers only ever raise the count (the server's
// X-RateLimit also counts calls of other users of the same credentials).
// Calls sent close to a reset (within the margin) count in both the
// ending window and the next one, since the server's clock decides. When a
// window has nothing left, callers wait (raced with their context) for its
// reset; the last tenth of a window is paced, spread evenly over the time
// left. A 429 marks the window that resets first as exhausted.
//
// The margin is added to every reset because resets are whole seconds,
// maybe rounded down, and the clocks may differ a little: it is 1 s, or
// 1/64 of the window's length when that is shorter than 64 s, so that a
// scaled-down window (a test server's 3 s) is not idle for a third of its
// length after every reset. MANGOPAY's windows (15 min and more) always get
// the full second. A window's length is taken as the longest reset − now
// shown by the first answers of its successors: until the window has been
// seen to start again, its length is unknown and the margin is 1 s (a
// first answer may come late in a long window).
//
// Until the first answer has told the limits, calls go one at a time.
type governor struct {
	now   func() time.Time
	after func(time.Duration) <-chan time.Time // a timer; replaced in tests

	mu       sync.Mutex    // guards every field below
	known    bool          // an answer has arrived, with or without headers
	windows  []rlWindow    // nil when the server sends no headers
	inflight int           // reservations not yet released
	waiters  int           // callers blocked in acquire
	paced    int           // callers holding a reservation while they pace
	changed  chan struct{} // closed and replaced whenever the state changes
	next     time.Time     // earliest start of the next paced call
}

// rlWindow is one window. reset is zero after a roll-over until an answer
// tells when the new window ends.
type rlWindow struct {
	limit int           // made + remaining, as the server last said
	used  int           // calls counted in this window, an upper bound
	early int           // calls sent since reset-margin: they may count in the next window
	reset time.Time     // end of the window
	span  time.Duration // the window's length, 0 until it restarted once: the longest reset - now seen in a new window
}

// left is how many calls the window still allows.
func (w rlWindow) left() int { return max(w.limit-w.used, 0) }

// paceFraction: the last 1/paceFraction of a window's budget is paced.
const paceFraction = 10

// maxMargin is the most added to a reset (see marginOf): resets are whole
// seconds, maybe rounded down.
const maxMargin = time.Second

// marginFraction: a window's margin is at most 1/marginFraction of its
// length (and at most maxMargin).
const marginFraction = 64

// marginOf is how long after w's reset the governor takes it to be over.
func (g *governor) marginOf(w *rlWindow) time.Duration {
	if w.span <= 0 {
		return maxMargin
	}
	return min(maxMargin, w.span/marginFraction)
}

// end is when the governor takes w to be over.
func (g *governor) end(w *rlWindow) time.Time { return w.reset.Add(g.marginOf(w)) }

func newGovernor() *governor {
	return &governor{now: time.Now, after: time.After, changed: make(chan struct{})}
}

// acquire reserves one unit from every window, waiting as needed. The
// returned func must be called exactly once, with the answer's headers and
// status (nil, 0 when there was no answer).
func (g *governor) acquire(ctx context.Context) (func(http.Header, int), error) {
	g.mu.Lock()
	for {
		now := g.now()
		g.rollLocked(now)
		until, blocked := g.blockedLocked(now)
		if !blocked {
			break
		}
		ch := g.changed
		g.waiters++
		g.mu.Unlock()
		err := g.wait(ctx, ch, until.Sub(now))
		g.mu.Lock()
		g.waiters--
		if err != nil {
			g.mu.Unlock()
			return nil, fmt.Errorf("mangopay: waiting for rate-limit budget: %w", err)
		}
	}
	pace := g.reserveLocked(g.now())
	g.mu.Unlock()
	var once sync.Once
	release := func(h http.Header, status int) { once.Do(func() { g.release(h, status) }) }
	if pace > 0 {
		err := g.wait(ctx, nil, pace)
		g.mu.Lock()
		g.paced--
		g.mu.Unlock()
		if err != nil {
			release(nil, 0)
			return nil, fmt.Errorf("mangopay: pacing for the rate limit: %w", err)
		}
	}
	return release, nil
}

// reserveLocked counts one call in every window and returns how long it
// must pace.
func (g *governor) reserveLocked(now time.Time) time.Duration {
	g.inflight++
	for i := range g.windows {
		w := &g.windows[i]
		w.used++
		if !w.reset.IsZero() && !now.Before(w.reset.Add(-g.marginOf(w))) {
			w.early++
		}
	}
	pace := g.paceLocked(now)
	if pace > 0 {
		g.paced++
	}
	return pace
}

// wait blocks until ch is closed, d has passed (d > 0), or ctx ends.
func (g *governor) wait(ctx context.Context, ch <-chan struct{}, d time.Duration) error {
	var timer <-chan time.Time
	if d > 0 {
		timer = g.after(d)
	}
	select {
	case <-ch:
		return nil
	case <-timer:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// rollLocked starts a new window for every window whose reset has passed.
// Calls in flight or sent near the reset may land in it, so they count.
func (g *governor) rollLocked(now time.Time) {
	for i := range g.windows {
		w := &g.windows[i]
		if !w.reset.IsZero() && !now.Before(g.end(w)) {
			w.used, w.early, w.reset = w.early+g.inflight, 0, time.Time{}
			g.next = time.Time{}
		}
	}
}

// blockedLocked reports whether a new call must wait, and until when at
// most (a release also wakes it).
func (g *governor) blockedLocked(now time.Time) (time.Time, bool) {
	if !g.known {
		// One probe at a time until the limits are known.
		return now.Add(time.Second), g.inflight > 0
	}
	var until time.Time
	blocked := false
	for i := range g.windows {
		w := &g.windows[i]
		if w.left() > 0 {
			continue
		}
		blocked = true
		end := g.end(w)
		if w.reset.IsZero() {
			end = now.Add(time.Second)
		}
		if end.After(until) {
			until = end
		}
	}
	return until, blocked
}

// paceLocked returns how long the call just reserved should wait so that
// the last tenth of a window is spread evenly until its reset.
func (g *governor) paceLocked(now time.Time) time.Duration {
	var spacing time.Duration
	var end time.Time
	for i := range g.windows {
		w := &g.windows[i]
		units := w.left() + g.paced + 1 // what is left to spread, this call included
		if w.reset.IsZero() || w.limit <= 0 || units*paceFraction >= w.limit {
			continue
		}
		we := g.end(w)
		if s := we.Sub(now) / time.Duration(units); s > spacing {
			spacing, end = s, we
		}
	}
	if spacing <= 0 {
		return 0
	}
	start := now
	if g.next.After(start) {
		start = g.next
	}
	if start.After(end) {
		start = end
	}
	g.next = start.Add(spacing)
	return start.Sub(now)
}

// release gives back a reservation and learns from the answer.
func (g *governor) release(h http.Header, status int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	if h != nil {
		g.known = true
		g.updateLocked(h)
	}
	if status == http.StatusTooManyRequests {
		g.penalizeLocked()
	}
	g.broadcastLocked()
}

// observe learns from an answer that held no reservation (the token call).
func (g *governor) observe(h http.Header) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := parseRateLimit(h, g.now()); ok {
		g.known = true
		g.updateLocked(h)
		g.broadcastLocked()
	}
}

func (g *governor) broadcastLocked() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// updateLocked merges the server's counts. A report of a window that has
// already ended is stale (answers arrive out of order) and ignored; a later
// reset means the server started a new window before the client did: the
// calls sent near the reset and those in flight may count in it.
func (g *governor) updateLocked(h http.Header) {
	now := g.now()
	ws, ok := parseRateLimit(h, now)
	if !ok {
		return
	}
	if len(ws) != len(g.windows) {
		for i := range ws {
			ws[i].used += g.inflight
		}
		g.windows = ws
		return
	}
	for i, w := range ws {
		cur := &g.windows[i]
		switch {
		case !w.reset.After(now):
			// Stale: that window is over.
		case cur.reset.IsZero():
			cur.limit, cur.used, cur.reset = w.limit, max(cur.used, w.used), w.reset
			cur.span = max(cur.span, w.reset.Sub(now))
		case w.reset.After(cur.reset):
			cur.limit, cur.used, cur.early, cur.reset = w.limit, max(w.used, cur.early)+g.inflight, 0, w.reset
			cur.span = max(cur.span, w.reset.Sub(now))
		case w.reset.Equal(cur.reset):
			cur.limit, cur.used = w.limit, max(cur.used, w.used)
		}
	}
}

// penalizeLocked handles a 429: if no window is known to be exhausted, the
// one that resets first is treated as exhausted, so callers wait for it.
func (g *governor) penalizeLocked() {
	first := -1
	for i, w := range g.windows {
		if w.left() <= 0 {
			return
		}
		if !w.reset.IsZero() && (first < 0 || w.reset.Before(g.windows[first].reset)) {
			first = i
		}
	}
	if first >= 0 {
		g.windows[first].used = g.windows[first].limit
	}
}

// limited reports whether a window is exhausted, i.e. the next acquire
// will wait for a reset.
func (g *governor) limited() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, w := range g.windows {
		if w.left() <= 0 && !w.reset.IsZero() {
			return true
		}
	}
	return false
}

// state is the snapshot behind [Client.RateLimit].
func (g *governor) state() RateLimitState {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := RateLimitState{InFlight: g.inflight, Waiting: g.waiters > 0}
	for _, w := range g.windows {
		s.Windows = append(s.Windows, RateLimitWindow{Made: w.used, Remaining: w.left(), Reset: w.reset})
	}
	return s
}

// parseRateLimit reads X-RateLimit, X-RateLimit-Remaining and
// X-RateLimit-Reset, each as repeated header lines, comma-separated values,
// or both. The three must have the same number of values. A reset below
// 10⁸ (1973) is taken as seconds from now rather than a Unix time.
func parseRateLimit(h http.Header, now time.Time) ([]rlWindow, bool) {
	made := headerInts(h, "X-RateLimit")
	rem := headerInts(h, "X-RateLimit-Remaining")
	reset := headerInts(h, "X-RateLimit-Reset")
	if len(made) == 0 || len(made) != len(rem) || len(rem) != len(reset) {
		return nil, false
	}
	ws := make([]rlWindow, len(made))
	for i := range made {
		r := time.Unix(reset[i], 0)
		if reset[i] < 1e8 {
			r = now.Add(time.Duration(reset[i]) * time.Second)
		}
		m, left := int(max(made[i], 0)), int(max(rem[i], 0))
		ws[i] = rlWindow{limit: m + left, used: m, reset: r}
	}
	return ws, true
}

// headerInts splits every line of the header on commas; nil if any value
// is not an integer.
func headerInts(h http.Header, name string) []int64 {
	lines := h.Values(name)
	if len(lines) == 0 {
		return nil
	}
	out := make([]int64, 0, len(lines)+strings.Count(lines[0], ","))
	for _, line := range lines {
		for rest, more := line, true; more; {
			var part string
			part, rest, more = strings.Cut(rest, ",")
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			n, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return nil
			}
			out = append(out, n)
		}
	}
	return out
}
