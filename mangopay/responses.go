package mangopay

import (
	"context"
	"fmt"
	"strings"
)

// ResponseService reads the answers MANGOPAY keeps for 24 h per
// Idempotency-Key.
type ResponseService struct{ c *Client }

// Get reads the first answer given to a POST that carried key
// (GET /responses/{key}). An unknown or expired key answers 400
// correlationid_not_found. The client already does this by itself when a
// POST is answered 409 idempotent_creation_conflict.
func (s *ResponseService) Get(ctx context.Context, key string) (*IdempotencyResponse, error) {
	return get[IdempotencyResponse](ctx, s.c, pathf("/responses/%s", key))
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
