package mangopay

import "context"

// RefundService reads refunds of any kind.
type RefundService struct{ c *Client }

// Get reads a refund (GET /refunds/{id}).
func (s *RefundService) Get(ctx context.Context, id string) (*Refund, error) {
	return get[Refund](ctx, s.c, pathf("/refunds/%s", id))
}

// Refund is a transfer refund (Type TRANSFER) or a pay-in refund (Type PAYOUT).
type Refund struct {
	Transaction
	InitialTransactionId     string       `json:"InitialTransactionId"`
	InitialTransactionType   string       `json:"InitialTransactionType"`
	InitialTransactionNature string       `json:"InitialTransactionNature"`
	RefundReason             RefundReason `json:"RefundReason"`
}

// RefundReason says why a refund was made.
type RefundReason struct {
	RefundReasonMessage NullString `json:"RefundReasonMessage"`
	RefundReasonType    string     `json:"RefundReasonType"`
}

// RefundCreateParams refunds a transfer or a pay-in. DebitedFunds and Fees go
// together or not at all; without them the refund is full.
type RefundCreateParams struct {
	Params
	AuthorId     string `json:"AuthorId"`
	DebitedFunds *Money `json:"DebitedFunds,omitempty"`
	Fees         *Money `json:"Fees,omitempty"`
	Tag          string `json:"Tag,omitempty"`
}
