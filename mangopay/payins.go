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

// PayIn is a card pay-in: direct (ExecutionType DIRECT) or through
// MANGOPAY's hosted payment page (WEB).
type PayIn struct {
	Transaction
	PaymentType                  string           `json:"PaymentType"`
	ExecutionType                string           `json:"ExecutionType"`
	SecureMode                   string           `json:"SecureMode"`
	CardId                       string           `json:"CardId"`
	SecureModeReturnURL          string           `json:"SecureModeReturnURL"`
	SecureModeRedirectURL        NullString       `json:"SecureModeRedirectURL"`
	SecureModeNeeded             bool             `json:"SecureModeNeeded"`
	Culture                      NullString       `json:"Culture"`
	SecurityInfo                 *SecurityInfo    `json:"SecurityInfo"`
	StatementDescriptor          NullString       `json:"StatementDescriptor"`
	BrowserInfo                  *BrowserInfo     `json:"BrowserInfo"`
	IpAddress                    NullString       `json:"IpAddress"`
	Billing                      *BillingShipping `json:"Billing"`
	Shipping                     *BillingShipping `json:"Shipping"`
	Requested3DSVersion          NullString       `json:"Requested3DSVersion"`
	Applied3DSVersion            NullString       `json:"Applied3DSVersion"`
	RecurringPayinRegistrationId NullString       `json:"RecurringPayinRegistrationId"`
	PreferredCardNetwork         NullString       `json:"PreferredCardNetwork"`
	PaymentCategory              NullString       `json:"PaymentCategory"`
	CardInfo                     *CardInfo        `json:"CardInfo"`
	// RedirectURL, ReturnURL, TemplateURL and CardType are those of a card
	// web pay-in (ExecutionType WEB): the hosted payment page, where it
	// sends the payer back, and the card type offered. Absent for DIRECT.
	RedirectURL NullString `json:"RedirectURL,omitempty"`
	ReturnURL   NullString `json:"ReturnURL,omitempty"`
	TemplateURL NullString `json:"TemplateURL,omitempty"`
	CardType    NullString `json:"CardType,omitempty"`
}

// BrowserInfo is the 3DS2 browser data a card pay-in requires.
type BrowserInfo struct {
	AcceptHeader      string  `json:"AcceptHeader"`
	JavaEnabled       bool    `json:"JavaEnabled"`
	Language          string  `json:"Language"`
	ColorDepth        int     `json:"ColorDepth"`
	ScreenHeight      int     `json:"ScreenHeight"`
	ScreenWidth       int     `json:"ScreenWidth"`
	TimeZoneOffset    FlexInt `json:"TimeZoneOffset"`
	UserAgent         string  `json:"UserAgent"`
	JavascriptEnabled bool    `json:"JavascriptEnabled"`
}

// BillingShipping is the Billing or Shipping block of a pay-in.
type BillingShipping struct {
	FirstName string  `json:"FirstName"`
	LastName  string  `json:"LastName"`
	Address   Address `json:"Address"`
}

// SecurityInfo is the AVS result of a card pay-in.
type SecurityInfo struct {
	AVSResult string `json:"AVSResult"`
}

// CardInfo describes the card used by a pay-in.
type CardInfo struct {
	BIN               string     `json:"BIN"`
	IssuingBank       string     `json:"IssuingBank"`
	IssuerCountryCode string     `json:"IssuerCountryCode"`
	Type              string     `json:"Type"`
	Brand             string     `json:"Brand"`
	SubType           NullString `json:"SubType"`
}

// PayInCardDirectCreateParams creates a card direct pay-in.
type PayInCardDirectCreateParams struct {
	Params
	AuthorId             string           `json:"AuthorId"`
	CreditedUserId       string           `json:"CreditedUserId,omitempty"`
	CreditedWalletId     string           `json:"CreditedWalletId"`
	DebitedFunds         Money            `json:"DebitedFunds"`
	Fees                 Money            `json:"Fees"`
	CardId               string           `json:"CardId"`
	SecureModeReturnURL  string           `json:"SecureModeReturnURL"`
	SecureMode           string           `json:"SecureMode,omitempty"`
	BrowserInfo          *BrowserInfo     `json:"BrowserInfo,omitempty"`
	IpAddress            string           `json:"IpAddress,omitempty"`
	StatementDescriptor  string           `json:"StatementDescriptor,omitempty"`
	Culture              string           `json:"Culture,omitempty"`
	Billing              *BillingShipping `json:"Billing,omitempty"`
	Shipping             *BillingShipping `json:"Shipping,omitempty"`
	PreferredCardNetwork string           `json:"PreferredCardNetwork,omitempty"`
	PaymentCategory      string           `json:"PaymentCategory,omitempty"`
	Tag                  string           `json:"Tag,omitempty"`
}
