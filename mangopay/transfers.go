package mangopay

import (
	"context"
	"iter"
)

// TransferService moves money between wallets and refunds transfers.
type TransferService struct{ c *Client }

// Create makes a transfer (POST /transfers). It is synchronous: the answer
// is SUCCEEDED or FAILED (e.g. ResultCode 001001 when the debited wallet
// is short), and a FAILED transfer is not an error.
func (s *TransferService) Create(ctx context.Context, p *TransferCreateParams) (*Transfer, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[Transfer](ctx, s.c, "/transfers", p, p.IdempotencyKey)
}

// Get reads a transfer (GET /transfers/{id}).
func (s *TransferService) Get(ctx context.Context, id string) (*Transfer, error) {
	return get[Transfer](ctx, s.c, pathf("/transfers/%s", id))
}

// Refund refunds a transfer, fully when p has no amounts
// (POST /transfers/{id}/refunds).
func (s *TransferService) Refund(ctx context.Context, transferID string, p *RefundCreateParams) (*Refund, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[Refund](ctx, s.c, pathf("/transfers/%s/refunds", transferID), p, p.IdempotencyKey)
}

// Refunds iterates over a transfer's refunds (GET /transfers/{id}/refunds).
func (s *TransferService) Refunds(ctx context.Context, transferID string, opts *ListOptions) iter.Seq2[Refund, error] {
	return listAll[Refund](ctx, s.c, pathf("/transfers/%s/refunds", transferID), opts)
}

// Transfer moves money between two wallets.
type Transfer struct {
	Transaction
	ScaContext        NullString         `json:"ScaContext"`
	PendingUserAction *PendingUserAction `json:"PendingUserAction"`
}

// TransferCreateParams creates a transfer between two wallets.
type TransferCreateParams struct {
	Params
	AuthorId         string `json:"AuthorId"`
	DebitedFunds     Money  `json:"DebitedFunds"`
	Fees             Money  `json:"Fees"`
	DebitedWalletId  string `json:"DebitedWalletId"`
	CreditedWalletId string `json:"CreditedWalletId"`
	ScaContext       string `json:"ScaContext,omitempty"`
	Tag              string `json:"Tag,omitempty"`
}
