package mangopay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
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
// and says why. req is the request that was sent (nil when none could be).
//
//   - Transport errors and 5xx: retried for GET, and for POST only when it
//     carries an Idempotency-Key (the server may have acted; the key makes
//     a replay answer 409, which is resolved through /responses). PUT is not
//     retried: MANGOPAY's PUTs are state changes (submit a KYC document,
//     deactivate a card, finish a card registration) whose replay after a
//     lost answer fails with a 400 or an ERROR that would hide the success.
//   - 429: retried whatever the method, since MANGOPAY refused the call
//     before acting (within a budget of its own: see [Client.retryBudget]).
//   - Everything else (2xx, other 4xx, context cancellation) is final.
func shouldRetry(req *http.Request, resp *http.Response, err error) (bool, string) {
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
	}
	return false, why + " (" + req.Method + " is not retried)"
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

// do runs a call with retries and decodes a 2xx answer into out (when not
// nil). It returns the final answer's headers (for list paging).
//
// A POST with an Idempotency-Key that is answered 409
// idempotent_creation_conflict, whether on a retry or on the first attempt
// (the key was used by an earlier run that lost its answer), is resolved
// with GET /responses/{key}: the original resource is decoded into out, or,
// when the original answer was itself an error, that error is returned.
// This is how a caller resumes a write whose outcome it does not know.
func (c *Client) do(ctx context.Context, r request, out any) (http.Header, error) {
	op := r.method + " " + r.path
	if r.key != "" && !ValidIdempotencyKey(r.key) {
		return nil, fmt.Errorf("mangopay: %s: invalid Idempotency-Key %q: want 16 to 36 characters of [A-Za-z0-9-]", op, r.key)
	}
	var body []byte
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, fmt.Errorf("mangopay: %s: encoding the request: %w", op, err)
		}
		body = b
	}
	reauthed := false
	retries, limited := 0, 0
	for attempt := 1; ; attempt++ {
		req, res, err := c.send(ctx, &r, body, attempt)
		if res != nil && c.mustReauth(res, reauthed) {
			reauthed = true
			c.tokens.invalidate(res.authUp)
			continue
		}
		if res != nil && r.key != "" && r.method == http.MethodPost && isConflict(res) {
			return nil, c.resolveConflict(ctx, r, newError(res.http.StatusCode, res.body), out)
		}
		var hr *http.Response
		if res != nil {
			hr = res.http
		}
		retry, reason := shouldRetry(req, hr, err)
		if retry && !c.retryBudget(hr, &retries, &limited) {
			retry = false
		}
		if !retry {
			if ctx.Err() != nil && (err != nil || hr.StatusCode >= 500 || hr.StatusCode == 429) {
				return nil, fmt.Errorf("mangopay: %s: %w", op, ctx.Err())
			}
			return c.finish(op, res, err, out)
		}
		if err := c.waitRetry(ctx, &r, hr, attempt, retries+limited, reason); err != nil {
			return nil, fmt.Errorf("mangopay: %s: %w (after: %s)", op, err, reason)
		}
	}
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

// mustReauth reports a 401 invalid_credentials under OAuth that has not
// been retried yet: the token expired or was revoked early.
func (c *Client) mustReauth(res *response, reauthed bool) bool {
	if reauthed || c.auth != AuthOAuth || res.http.StatusCode != http.StatusUnauthorized {
		return false
	}
	e := newError(res.http.StatusCode, res.body)
	return e.Type == TypeInvalidCredentials || e.Type == ""
}

// isConflict reports a 409 idempotent_creation_conflict.
func isConflict(res *response) bool {
	if res.http.StatusCode != http.StatusConflict {
		return false
	}
	t := newError(res.http.StatusCode, res.body).Type
	return t == "" || t == TypeIdempotentCreationConflict
}

// finish turns the last attempt into the call's result.
func (c *Client) finish(op string, res *response, err error, out any) (http.Header, error) {
	if err != nil {
		return nil, fmt.Errorf("mangopay: %s: %w", op, err)
	}
	st := res.http.StatusCode
	if st < 200 || st > 299 {
		return res.http.Header, newError(st, res.body)
	}
	if out != nil && len(bytes.TrimSpace(res.body)) > 0 {
		if err := json.Unmarshal(res.body, out); err != nil {
			return res.http.Header, fmt.Errorf("mangopay: %s: decoding the answer: %w", op, err)
		}
	}
	return res.http.Header, nil
}

// resolveConflict reads the first answer given to r's Idempotency-Key and
// makes it this call's answer. MANGOPAY may not have stored it yet when
// the first request is still being processed (400 correlationid_not_found):
// that is retried with backoff like a 5xx.
func (c *Client) resolveConflict(ctx context.Context, r request, conflict *Error, out any) error {
	op := r.method + " " + r.path
	for n := 0; ; n++ {
		ir, err := c.Responses.Get(ctx, r.key)
		if err == nil {
			if n, ok := ctx.Value(replayKey{}).(*ReplayNotice); ok {
				n.replayed.Store(true)
			}
			c.log.LogAttrs(ctx, slog.LevelInfo, "mangopay idempotent replay",
				slog.String("method", r.method), slog.String("path", r.path),
				slog.String("idempotency_key", r.key), slog.String("stored_status", ir.StatusCode))
			return decodeStored(op, ir, out)
		}
		var e *Error
		if !errors.As(err, &e) || e.Type != TypeCorrelationIDNotFound || n >= c.retry.max {
			return fmt.Errorf("mangopay: %s: Idempotency-Key %s was used before: %w; its first answer could not be read: %w",
				op, r.key, conflict, err)
		}
		if err := sleepCtx(ctx, c.retry.backoff(n)); err != nil {
			return fmt.Errorf("mangopay: %s: %w", op, err)
		}
	}
}

// ReplayNotice learns whether a POST's answer was MANGOPAY's stored first
// answer to its Idempotency-Key (a 409 resolved through GET /responses)
// rather than the outcome of this request. A caller that gets a replayed
// definitive failure (a 4xx, a FAILED transaction) knows that the request
// it meant to send was refused under that key, so nothing happened: it
// may send it again under the next key. A fresh failure says nothing of
// the kind about an earlier attempt. Safe for concurrent use.
type ReplayNotice struct{ replayed atomic.Bool }

// Replayed reports whether a call made with the notice's context was
// answered with a stored first answer.
func (n *ReplayNotice) Replayed() bool { return n.replayed.Load() }

type replayKey struct{}

// WithReplayNotice returns a context whose POSTs record in n whether their
// answer was a replay of an earlier request's.
func WithReplayNotice(ctx context.Context, n *ReplayNotice) context.Context {
	return context.WithValue(ctx, replayKey{}, n)
}

// decodeStored decodes a stored first answer: a 2xx resource into out, or
// the stored error.
func decodeStored(op string, ir *IdempotencyResponse, out any) error {
	status := ir.Status()
	res := strings.TrimSpace(string(ir.Resource))
	if status < 200 || status > 299 {
		if status == 0 {
			return fmt.Errorf("mangopay: %s: the stored answer has no usable StatusCode %q", op, ir.StatusCode)
		}
		return newError(status, ir.Resource)
	}
	if out == nil || res == "" || res == "null" {
		return nil
	}
	if err := json.Unmarshal(ir.Resource, out); err != nil {
		return fmt.Errorf("mangopay: %s: decoding the stored answer: %w", op, err)
	}
	return nil
}
