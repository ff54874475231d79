package mangopay

import (
	"context"
	"iter"
)

// PayInService creates and reads card direct pay-ins and refunds them.
type PayInService struct{ c *Client }

// CreateCardDirect charges a registered card into a wallet
// (POST /payins/card/direct). A declined card is not an error: the pay-in
// comes back with Status FAILED and a ResultCode.
func (s *PayInService) CreateCardDirect(ctx context.Context, p *PayInCardDirectCreateParams) (*PayIn, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[PayIn](ctx, s.c, "/payins/card/direct", p, p.IdempotencyKey)
}

// Get reads a pay-in (GET /payins/{id}).
func (s *PayInService) Get(ctx context.Context, id string) (*PayIn, error) {
	return get[PayIn](ctx, s.c, pathf("/payins/%s", id))
}

// Refund refunds a pay-in to the card, fully when p has no amounts
// (POST /payins/{id}/refunds). The refund's Type is PAYOUT.
func (s *PayInService) Refund(ctx context.Context, payinID string, p *RefundCreateParams) (*Refund, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[Refund](ctx, s.c, pathf("/payins/%s/refunds", payinID), p, p.IdempotencyKey)
}

// Refunds iterates over a pay-in's refunds (GET /payins/{id}/refunds).
func (s *PayInService) Refunds(ctx context.Context, payinID string, opts *ListOptions) iter.Seq2[Refund, error] {
	return listAll[Refund](ctx, s.c, pathf("/payins/%s/refunds", payinID), opts)
}
