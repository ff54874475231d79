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
	// RecipientId is the recipient paid (null when BankAccountId was
	// sent); RecipientVerificationOfPayee is the payout's own VOP check,
	// run only for owners holding a User-Owned Virtual Account.
	RecipientId                  NullString                    `json:"RecipientId"`
	RecipientVerificationOfPayee *RecipientVerificationOfPayee `json:"RecipientVerificationOfPayee"`
	ChargeBearer                 NullString                    `json:"ChargeBearer,omitempty"`
}

// PaymentRef links a payout to the bank-wire pay-in it refunds.
type PaymentRef struct {
	ReasonType  string `json:"ReasonType"`
	ReferenceId string `json:"ReferenceId"`
}

// PayOutBankWireCreateParams creates a bank-wire payout to a recipient
// (RecipientId, what MANGOPAY asks of new integrations since 2026-01-27)
// or to a legacy bank account (BankAccountId; one created through the
// legacy endpoint after 2026-04-30 fails with 121018). Set one of them.
type PayOutBankWireCreateParams struct {
	Params
	AuthorId        string `json:"AuthorId"`
	DebitedFunds    Money  `json:"DebitedFunds"`
	Fees            Money  `json:"Fees"`
	DebitedWalletId string `json:"DebitedWalletId"`
	RecipientId     string `json:"RecipientId,omitempty"`
	BankAccountId   string `json:"BankAccountId,omitempty"`
	// ChargeBearer OUR makes the platform bear the SWIFT fees; by default
	// they are shared.
	ChargeBearer        string `json:"ChargeBearer,omitempty"`
	BankWireRef         string `json:"BankWireRef,omitempty"`
	PayoutModeRequested string `json:"PayoutModeRequested,omitempty"`
	Tag                 string `json:"Tag,omitempty"`
}

// Result codes of payouts that MANGOPAY added in 2025-2026. The payout is
// created, then FAILS with one of them; [PayoutRemedy] says what to do.
const (
	ResultNonSCABankAccount = "121018"
	ResultV2BankAccount     = "121019"
	ResultVOPFailed         = "121030"
)

// payoutRemedies holds, per result code of a FAILED payout, what the
// operator must do.
var payoutRemedies = map[string]string{
	ResultNonSCABankAccount: "the bank account was registered through the legacy bank-account endpoint after 2026-04-30, " +
		"which MANGOPAY no longer pays out to: register it as a Recipient (the owner approves it by SCA), " +
		"then pay out again to its RecipientId",
	ResultV2BankAccount: "the bank account was created on API v2, with an unstructured address: " +
		"register it again as a Recipient with a structured address, then pay out again to its RecipientId",
	ResultVOPFailed: "Verification of Payee did not match the holder name with the IBAN (NO_MATCH or MATCH_NOT_POSSIBLE): " +
		"register a new Recipient under the name the bank holds (check MATCH or CLOSE_MATCH) and pay out again, " +
		"or sign MANGOPAY's VOP amendment",
}

// PayoutRemedy returns what the operator must do about a payout that
// FAILED with resultCode, "" when the code has no known remedy.
func PayoutRemedy(resultCode string) string { return payoutRemedies[resultCode] }
