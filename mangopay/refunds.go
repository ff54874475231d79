package mangopay

import "context"

// RefundService reads refunds of any kind.
type RefundService struct{ c *Client }

// Get reads a refund (GET /refunds/{id}).
func (s *RefundService) Get(ctx context.Context, id string) (*Refund, error) {
	return get[Refund](ctx, s.c, pathf("/refunds/%s", id))
}
