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

// callClass says what a call is, for the two rules that differ by call:
// what may be sent again, and which answer means "not yet".
type callClass int

const (
	// resourceCall is a call under /v2.01/{ClientId}: the method, the
	// Idempotency-Key and the PUT's [putRepeat] decide.
	resourceCall callClass = iota
	// tokenCall is POST /v2.01/oauth/token: it has no side effect, so it
	// is retried like a GET. It holds no rate-limit reservation (the
	// governor only learns from its answer), so its 429s wait a backoff
	// and count in the ordinary budget.
	tokenCall
	// conflictLookup is GET /responses/{key} after a 409
	// idempotent_creation_conflict on that key: the key is known to be
	// used, so 400 correlationid_not_found means that MANGOPAY is still
	// processing the first request and has stored no answer yet, not
	// that the key is unknown. It is retried like a 5xx. A caller's own
	// [ResponseService.Get] is a resourceCall: there the 400 is final.
	conflictLookup
)

// attempt is one finished attempt of a call, as [retryPolicy.shouldRetry]
// sees it.
type attempt struct {
	class callClass
	req   *http.Request // as sent; nil when none could be (its context is the call's)
	res   *response     // nil when no answer was read
	err   error         // the transport error, when res is nil
	put   putRepeat     // for a PUT: whether it may be sent again
	// retries and limited are the retries already made from the
	// ordinary budget and from the 429 budget.
	retries, limited int
	// govWaits: a rate-limit window is exhausted, so the governor waits
	// for its reset before the next attempt (asked only after a 429).
	govWaits bool
}

// decision is what [retryPolicy.shouldRetry] returns.
type decision struct {
	retry  bool
	reason string        // why, also when not retried ("" for a plain answer)
	wait   time.Duration // before the next attempt, raced against the context
	// rateLimited: the retry counts against the 429 budget.
	rateLimited bool
}

// shouldRetry is the one place that decides whether an attempt is retried,
// why, and how long to wait first. [Client.do] is the one loop that
// follows it, for resource calls, the token request and the lookup of a
// conflict's stored answer alike.
//
//   - Transport errors and 5xx: retried for GET, and for POST only when it
//     carries an Idempotency-Key (the server may have acted; the key makes
//     a replay answer 409, which is resolved through /responses). A PUT is
//     retried only when sending it again cannot do twice what it did: an
//     update that sets the same values again, or a state change (submit a
//     KYC document, finish a card registration, deactivate a recipient)
//     that the client reads back before sending it again
//     ([putRepeat.safe]). Any other PUT's replay after a lost answer fails
//     with a 400 or an ERROR that would hide the success. The token
//     request is retried like a GET.
//   - 409 on such a PUT: retried like a 5xx (the object was busy; nothing
//     was changed). On a POST with a key it never reaches here: [Client.do]
//     resolves it through /responses.
//   - 400 correlationid_not_found on a [conflictLookup]: retried like a 5xx.
//   - 429: retried whatever the method, since MANGOPAY refused the call
//     before acting, within a budget of its own (rateLimitMax). MANGOPAY
//     sends no Retry-After: when a window is exhausted the governor waits
//     for its X-RateLimit-Reset at the next acquire, so there is no wait
//     here; otherwise (no usable headers, or the token request, which the
//     governor does not pace) the wait is the backoff.
//   - Everything else (2xx, other 4xx, context cancellation, a spent
//     budget) is final.
//
// Every other wait is the backoff of the retries made so far.
func (p retryPolicy) shouldRetry(a attempt) decision {
	why, ok := a.retryable()
	if !ok {
		return decision{reason: why}
	}
	spent := a.retries + a.limited
	if a.status() == http.StatusTooManyRequests && a.class != tokenCall {
		if a.limited >= p.rateLimitMax {
			return decision{reason: fmt.Sprintf("%s (%d retries of 429 spent)", why, a.limited)}
		}
		d := decision{retry: true, reason: why, rateLimited: true}
		if !a.govWaits {
			d.wait = p.backoff(spent)
		}
		return d
	}
	if a.retries >= p.max {
		return decision{reason: fmt.Sprintf("%s (%d retries spent)", why, a.retries)}
	}
	return decision{retry: true, reason: why, wait: p.backoff(spent)}
}

// retryable reports whether the attempt's failure may be sent again at
// all, budgets aside, and why.
func (a attempt) retryable() (string, bool) {
	if a.req != nil && a.req.Context().Err() != nil {
		return "context done", false
	}
	status := a.status()
	var why string
	switch {
	case status == http.StatusTooManyRequests:
		return "429 rate limited", true
	case a.err != nil:
		why = "transport error: " + a.err.Error()
	case status >= 500:
		why = fmt.Sprintf("server error %d", status)
	case status == http.StatusConflict && a.req != nil && a.req.Method == http.MethodPut:
		why = "409 conflict"
	case status == http.StatusBadRequest && a.class == conflictLookup &&
		newError(status, a.res.body).Type == TypeCorrelationIDNotFound:
		return "400 correlationid_not_found (the first request is still being processed)", true
	default:
		return "", false
	}
	if a.req == nil {
		return why, false
	}
	if a.class == tokenCall {
		return why + " (a token request has no side effect)", true
	}
	switch a.req.Method {
	case http.MethodGet, http.MethodHead:
		return why, true
	case http.MethodPost:
		if a.req.Header.Get("Idempotency-Key") != "" {
			return why, true
		}
		return why + " (POST without Idempotency-Key is not retried)", false
	case http.MethodPut:
		if a.put.safe() {
			return why + " (" + a.put.String() + ")", true
		}
		return why + " (a PUT that is neither idempotent nor read back is not retried)", false
	}
	return why + " (" + a.req.Method + " is not retried)", false
}

// status is the answer's HTTP status, 0 when there was none.
func (a attempt) status() int {
	if a.res == nil {
		return 0
	}
	return a.res.http.StatusCode
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

// waitRetry logs the retry, in the one shape every retry has, and waits
// as d says, or less if ctx ends first.
func (c *Client) waitRetry(ctx context.Context, r *request, attempt int, d decision) error {
	c.log.LogAttrs(ctx, slog.LevelWarn, "mangopay retry",
		slog.String("method", r.method), slog.String("path", r.path), slog.Int("attempt", attempt),
		slog.String("reason", d.reason), slog.Duration("wait", d.wait), slog.String("idempotency_key", r.key))
	return sleepCtx(ctx, d.wait)
}
