package mangopay

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// retryPolicy bounds retries and the backoff between them.
type retryPolicy struct {
	max      int // retries after the first attempt
	min, cap time.Duration
	// rateLimitMax bounds retries of 429s: the governor waits for the reset
	// before each, so these always make progress, but a server that keeps
	// answering 429 must not hold a caller forever.
	rateLimitMax int
}

// newRetryPolicy applies the defaults of Config's retry fields.
func newRetryPolicy(cfg Config) retryPolicy {
	p := retryPolicy{max: cfg.MaxRetries, min: cfg.MinBackoff, cap: cfg.MaxBackoff}
	switch {
	case p.max == 0:
		p.max = 4
	case p.max < 0:
		p.max = 0
	}
	if p.min <= 0 {
		p.min = 500 * time.Millisecond
	}
	if p.cap <= 0 {
		p.cap = 20 * time.Second
	}
	p.cap = max(p.cap, p.min)
	if cfg.MaxRetries >= 0 {
		p.rateLimitMax = max(p.max, 10)
	}
	return p
}

// backoff is the wait before retry n (from 0): min·2ⁿ capped, with
// "equal jitter" (half fixed, half random) so that callers that failed
// together do not come back together.
func (p retryPolicy) backoff(n int) time.Duration {
	d := p.cap
	if n < 30 && p.min<<n < p.cap {
		d = p.min << n
	}
	half := d / 2
	return half + rand.N(half+1)
}

// sleepCtx waits d, or less if ctx ends first. It never uses time.Sleep.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// shouldRetry is the one place that decides whether an attempt is retried,
// and says why. req is the request that was sent (nil when none could be);
// put says whether a PUT may be sent again (see [putRepeat]).
//
//   - Transport errors and 5xx: retried for GET, and for POST only when it
//     carries an Idempotency-Key (the server may have acted; the key makes
//     a replay answer 409, which is resolved through /responses). A PUT is
//     retried only when sending it again cannot do twice what it did: an
//     update that sets the same values again, or a state change (submit a
//     KYC document, finish a card registration, deactivate a recipient)
//     that the client reads back before sending it again
//     ([putRepeat.safe]). Any other PUT's replay after a lost answer fails
//     with a 400 or an ERROR that would hide the success.
//   - 409 on such a PUT: retried like a 5xx (the object was busy; nothing
//     was changed). On a POST with a key it never reaches here: [Client.do]
//     resolves it through /responses.
//   - 429: retried whatever the method, since MANGOPAY refused the call
//     before acting (within a budget of its own: see [Client.retryBudget]).
//   - Everything else (2xx, other 4xx, context cancellation) is final.
func shouldRetry(req *http.Request, resp *http.Response, err error, put putRepeat) (bool, string) {
	if req != nil && req.Context().Err() != nil {
		return false, "context done"
	}
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		return true, "429 rate limited"
	}
	var why string
	switch {
	case err != nil:
		why = "transport error: " + err.Error()
	case resp != nil && resp.StatusCode >= 500:
		why = fmt.Sprintf("server error %d", resp.StatusCode)
	case resp != nil && resp.StatusCode == http.StatusConflict && req != nil && req.Method == http.MethodPut:
		why = "409 conflict"
	default:
		return false, ""
	}
	if req == nil {
		return false, why
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead:
		return true, why
	case http.MethodPost:
		if req.Header.Get("Idempotency-Key") != "" {
			return true, why
		}
		return false, why + " (POST without Idempotency-Key is not retried)"
	case http.MethodPut:
		if put.safe() {
			return true, why + " (" + put.String() + ")"
		}
		return false, why + " (a PUT that is neither idempotent nor read back is not retried)"
	}
	return false, why + " (" + req.Method + " is not retried)"
}

// putRepeat says whether a PUT may be sent again after an answer that
// leaves its outcome unknown. The zero value: it may not.
type putRepeat struct {
	// idempotent marks a PUT that sets fields to values (an update of a
	// user, a wallet, a hook): sent again, it sets the same values again.
	idempotent bool
	// readBack, for a state change, reads the object after a failed
	// attempt and reports whether the change took effect, decoding the
	// object into out when it did: the call then succeeds with it, and the
	// PUT is sent again only when the change did not happen. See [readBack].
	readBack func(ctx context.Context, c *Client, out any) bool
}

// safe reports whether the PUT may be sent again.
func (p putRepeat) safe() bool { return p.idempotent || p.readBack != nil }

// String names the reason a PUT may be sent again.
func (p putRepeat) String() string {
	switch {
	case p.idempotent:
		return "idempotent PUT"
	case p.readBack != nil:
		return "PUT read back first"
	}
	return "PUT not repeatable"
}

// idempotentPut marks an update that may be sent again as it is.
var idempotentPut = putRepeat{idempotent: true}

// readBack returns the [putRepeat] of a state change whose effect shows on
// the object at path: done reports that the change took effect.
func readBack[T any](path string, done func(*T) bool) putRepeat {
	return putRepeat{readBack: func(ctx context.Context, c *Client, out any) bool {
		v, err := get[T](ctx, c, path)
		if err != nil || !done(v) {
			return false
		}
		if o, ok := out.(*T); ok {
			*o = *v
		}
		return true
	}}
}

// ValidIdempotencyKey reports whether key fits MANGOPAY's rule: 16 to 36
// characters of [A-Za-z0-9-].
func ValidIdempotencyKey(key string) bool {
	if len(key) < 16 || len(key) > 36 {
		return false
	}
	for _, r := range key {
		ok := r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

// retryBudget counts a retry and reports whether one is left; 429s have a
// budget of their own.
func (c *Client) retryBudget(hr *http.Response, retries, limited *int) bool {
	if hr != nil && hr.StatusCode == http.StatusTooManyRequests {
		*limited++
		return *limited <= c.retry.rateLimitMax
	}
	*retries++
	return *retries <= c.retry.max
}

// waitRetry logs the retry and waits: for a 429 the governor waits for the
// earliest reset at the next acquire, so only a 429 without usable headers
// gets a backoff here.
func (c *Client) waitRetry(ctx context.Context, r *request, hr *http.Response, attempt, n int, reason string) error {
	var wait time.Duration
	if hr != nil && hr.StatusCode == http.StatusTooManyRequests {
		if !c.gov.limited() {
			wait = c.retry.backoff(n - 1)
		}
	} else {
		wait = c.retry.backoff(n - 1)
	}
	c.log.LogAttrs(ctx, slog.LevelWarn, "mangopay retry",
		slog.String("method", r.method), slog.String("path", r.path), slog.Int("attempt", attempt),
		slog.String("reason", reason), slog.Duration("wait", wait), slog.String("idempotency_key", r.key))
	return sleepCtx(ctx, wait)
}
