package mangopay

import "context"

// PayOutService sends money from a wallet to a bank account.
type PayOutService struct{ c *Client }

// CreateBankWire creates a bank-wire payout (POST /payouts/bankwire). The
// answer is always CREATED; the payout becomes SUCCEEDED or FAILED later,
// so poll [PayOutService.Get].
func (s *PayOutService) CreateBankWire(ctx context.Context, p *PayOutBankWireCreateParams) (*PayOut, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[PayOut](ctx, s.c, "/payouts/bankwire", p, p.IdempotencyKey)
}

// Get reads a payout (GET /payouts/{id}).
func (s *PayOutService) Get(ctx context.Context, id string) (*PayOut, error) {
	return get[PayOut](ctx, s.c, pathf("/payouts/%s", id))
}

// GetBankWire reads a payout with its applied mode
// (GET /payouts/bankwire/{id}).
func (s *PayOutService) GetBankWire(ctx context.Context, id string) (*PayOut, error) {
	return get[PayOut](ctx, s.c, pathf("/payouts/bankwire/%s", id))
}

// PayOut is a bank-wire payout.
type PayOut struct {
	Transaction
	PaymentType    string      `json:"PaymentType"`
	BankAccountId  string      `json:"BankAccountId"`
	BankWireRef    NullString  `json:"BankWireRef"`
	ModeRequested  NullString  `json:"ModeRequested"`
	ModeApplied    NullString  `json:"ModeApplied"`
	FallbackReason NullString  `json:"FallbackReason"`
	EndToEndId     NullString  `json:"EndToEndId"`
	PaymentRef     *PaymentRef `json:"PaymentRef"`
}

// PaymentRef links a payout to the bank-wire pay-in it refunds.
type PaymentRef struct {
	ReasonType  string `json:"ReasonType"`
	ReferenceId string `json:"ReferenceId"`
}

// PayOutBankWireCreateParams creates a bank-wire payout.
type PayOutBankWireCreateParams struct {
	Params
	AuthorId            string `json:"AuthorId"`
	DebitedFunds        Money  `json:"DebitedFunds"`
	Fees                Money  `json:"Fees"`
	DebitedWalletId     string `json:"DebitedWalletId"`
	BankAccountId       string `json:"BankAccountId"`
	BankWireRef         string `json:"BankWireRef,omitempty"`
	PayoutModeRequested string `json:"PayoutModeRequested,omitempty"`
	Tag                 string `json:"Tag,omitempty"`
}
