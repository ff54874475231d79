package platform

import (
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// rateLimiter counts API calls per client in the configured windows. Each
// window opens at the first call after the previous one ended and lasts its
// Period, so X-RateLimit-Reset (the window's end) is always at most one
// Period ahead, which is what the SDKs use to tell the windows apart. Calls
// refused with 429 are not counted; OAuth token calls are not counted and
// carry no rate-limit headers.
type rateLimiter struct {
	limits []RateWindow
	mu     sync.Mutex
	state  map[string][]windowState // client -> one per limit; guarded by mu
}

// DefaultRateLimits are MANGOPAY's four documented windows, what a nil
// Config.RateLimits means.
var DefaultRateLimits = []RateWindow{
	{Period: 15 * time.Minute, Limit: 2300},
	{Period: 30 * time.Minute, Limit: 4500},
	{Period: time.Hour, Limit: 8800},
	{Period: 24 * time.Hour, Limit: 105600},
}

// RateWindow is one rate-limit window.
type RateWindow struct {
	Period time.Duration
	Limit  int
}

type windowState struct {
	end   time.Time // zero: not open
	count int
}

// rateStatus is what the headers report, one entry per window.
type rateStatus struct {
	ok        bool
	made      []int
	remaining []int
	reset     []int64
}

func newRateLimiter(limits []RateWindow) *rateLimiter {
	return &rateLimiter{limits: limits, state: map[string][]windowState{}}
}

// setLimits replaces the windows and forgets the counts.
func (l *rateLimiter) setLimits(limits []RateWindow) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.limits = limits
	l.state = map[string][]windowState{}
}

// windows returns the current limits.
func (l *rateLimiter) windows() []RateWindow {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]RateWindow(nil), l.limits...)
}

// take counts one call for client unless a window is exhausted.
func (l *rateLimiter) take(client string, now time.Time) rateStatus {
	return l.apply(client, now, true)
}

// peek reports the windows without counting (used on 401 answers).
func (l *rateLimiter) peek(client string, now time.Time) rateStatus {
	return l.apply(client, now, false)
}

func (l *rateLimiter) apply(client string, now time.Time, count bool) rateStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	ws := l.state[client]
	if len(ws) != len(l.limits) {
		ws = make([]windowState, len(l.limits))
		l.state[client] = ws
	}
	st := rateStatus{ok: true}
	for i, lim := range l.limits {
		if !now.Before(ws[i].end) {
			ws[i] = windowState{end: now.Add(lim.Period)}
		}
		if ws[i].count >= lim.Limit {
			st.ok = false
		}
	}
	for i, lim := range l.limits {
		if count && st.ok {
			ws[i].count++
		}
		st.made = append(st.made, ws[i].count)
		st.remaining = append(st.remaining, max(lim.Limit-ws[i].count, 0))
		st.reset = append(st.reset, ceilUnix(ws[i].end))
	}
	return st
}

// setHeaders adds X-RateLimit, X-RateLimit-Remaining and X-RateLimit-Reset
// as repeated header lines (the equivalent of Header.Add), one integer per
// window, in the same order: the JAVA SDK parses each line as one integer.
func (l *rateLimiter) setHeaders(h http.Header, st rateStatus) {
	// The keys are set verbatim (not canonicalized to "X-Ratelimit") to
	// match MANGOPAY's spelling for clients that look headers up by case.
	for i := range st.made {
		h["X-RateLimit"] = append(h["X-RateLimit"], strconv.Itoa(st.made[i]))
		h["X-RateLimit-Remaining"] = append(h["X-RateLimit-Remaining"], strconv.Itoa(st.remaining[i]))
		h["X-RateLimit-Reset"] = append(h["X-RateLimit-Reset"], strconv.FormatInt(st.reset[i], 10))
	}
}

// ceilUnix rounds up to a whole second, so that a client waiting until
// X-RateLimit-Reset always finds the window over.
func ceilUnix(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

// RateUse is one open rate-limit window of one client: the calls counted
// in it, its limit and when it ends.
type RateUse struct {
	Client string
	Period time.Duration
	Limit  int
	Count  int
	Reset  time.Time
}

// RateUsage lists the windows open at now (those whose end is after now),
// by client then window order; it counts nothing.
func (a *API) RateUsage(now time.Time) []RateUse {
	l := a.limiter
	l.mu.Lock()
	defer l.mu.Unlock()
	clients := make([]string, 0, len(l.state))
	for c := range l.state {
		clients = append(clients, c)
	}
	sort.Strings(clients)
	var out []RateUse
	for _, c := range clients {
		for i, ws := range l.state[c] {
			if i < len(l.limits) && now.Before(ws.end) {
				out = append(out, RateUse{Client: c, Period: l.limits[i].Period, Limit: l.limits[i].Limit, Count: ws.count, Reset: ws.end})
			}
		}
	}
	return out
}
