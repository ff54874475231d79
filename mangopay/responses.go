package mangopay

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
)

// ResponseService reads the answers MANGOPAY keeps for 24 h per
// Idempotency-Key.
type ResponseService struct{ c *Client }

// Get reads the first answer given to a POST that carried key
// (GET /responses/{key}). An unknown or expired key answers 400
// correlationid_not_found. The client already does this by itself when a
// POST is answered 409 idempotent_creation_conflict.
func (s *ResponseService) Get(ctx context.Context, key string) (*IdempotencyResponse, error) {
	return s.c.storedAnswer(ctx, key, resourceCall)
}

// storedAnswer reads GET /responses/{key}; class is [resourceCall] for a
// caller's own read, [conflictLookup] after a 409 on key.
func (c *Client) storedAnswer(ctx context.Context, key string, class callClass) (*IdempotencyResponse, error) {
	return call[IdempotencyResponse](ctx, c, request{class: class, method: http.MethodGet, path: pathf("/responses/%s", key)})
}

// Decode decodes the stored Resource into v when the stored answer was a
// success, and returns the stored error otherwise.
func (r *IdempotencyResponse) Decode(v any) error {
	return decodeStored("GET /responses", r, v)
}

// Status returns the stored HTTP status (StatusCode is a string on the
// wire); 0 when it is not a number.
func (r *IdempotencyResponse) Status() int {
	var n int
	if _, err := fmt.Sscan(strings.TrimSpace(r.StatusCode), &n); err != nil {
		return 0
	}
	return n
}

// IdempotencyResponse is what GET /responses/{key} returns: the first
// response given to a POST carrying that Idempotency-Key.
type IdempotencyResponse struct {
	StatusCode    string          `json:"StatusCode"`
	ContentLength string          `json:"ContentLength"`
	ContentType   string          `json:"ContentType"`
	Date          string          `json:"Date"`
	RequestURL    string          `json:"RequestURL"`
	Resource      json.RawMessage `json:"Resource"`
}

// isConflict reports a 409 idempotent_creation_conflict.
func isConflict(res *response) bool {
	if res.http.StatusCode != http.StatusConflict {
		return false
	}
	t := newError(res.http.StatusCode, res.body).Type
	return t == "" || t == TypeIdempotentCreationConflict
}

// resolveConflict reads the first answer given to r's Idempotency-Key and
// makes it this call's answer. MANGOPAY may not have stored it yet when
// the first request is still being processed (400
// correlationid_not_found): the lookup is a [conflictLookup], which
// [Client.do] retries with backoff like a 5xx.
func (c *Client) resolveConflict(ctx context.Context, r request, conflict *Error, out any) error {
	op := r.method + " " + r.path
	ir, err := c.storedAnswer(ctx, r.key, conflictLookup)
	if err != nil {
		return fmt.Errorf("mangopay: %s: Idempotency-Key %s was used before: %w; its first answer could not be read: %w",
			op, r.key, conflict, err)
	}
	if notice, ok := ctx.Value(replayKey{}).(*ReplayNotice); ok {
		notice.replayed.Store(true)
	}
	c.log.LogAttrs(ctx, slog.LevelInfo, "mangopay idempotent replay",
		slog.String("method", r.method), slog.String("path", r.path),
		slog.String("idempotency_key", r.key), slog.String("stored_status", ir.StatusCode))
	return decodeStored(op, ir, out)
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
