package mangopay

// Request parameter types. Every POST params type embeds [Params] so a caller
// can set the Idempotency-Key that makes the call safe to retry. Fields that
// are unset are left out of the request body.

// Params holds what a POST may carry besides its body.
type Params struct {
	// IdempotencyKey is sent as the Idempotency-Key header of a POST: 16
	// to 36 characters of [A-Za-z0-9-]. A POST without one is not retried
	// after a transport error or a 5xx. PUTs (the Update methods, which
	// share NaturalUserParams and LegalUserParams with the creates) do not
	// send it.
	IdempotencyKey string `json:"-"`
}

// Bool returns a pointer to b, for optional boolean fields.
func Bool(b bool) *bool { return &b }

// Int64 returns a pointer to n, for optional integer fields.
func Int64(n int64) *int64 { return &n }

// AddressParams is an address in a request.
type AddressParams struct {
	AddressLine1 string `json:"AddressLine1,omitempty"`
	AddressLine2 string `json:"AddressLine2,omitempty"`
	City         string `json:"City,omitempty"`
	Region       string `json:"Region,omitempty"`
	PostalCode   string `json:"PostalCode,omitempty"`
	Country      string `json:"Country,omitempty"`
}

// NaturalUserParams creates (POST) or updates (PUT) a natural user.
// UserCategory and TermsAndConditionsAccepted are required on both.
type NaturalUserParams struct {
	Params
	UserCategory               string         `json:"UserCategory"`
	TermsAndConditionsAccepted bool           `json:"TermsAndConditionsAccepted"`
	FirstName                  string         `json:"FirstName,omitempty"`
	LastName                   string         `json:"LastName,omitempty"`
	Email                      string         `json:"Email,omitempty"`
	Birthday                   *int64         `json:"Birthday,omitempty"`
	Nationality                string         `json:"Nationality,omitempty"`
	CountryOfResidence         string         `json:"CountryOfResidence,omitempty"`
	Address                    *AddressParams `json:"Address,omitempty"`
	Occupation                 string         `json:"Occupation,omitempty"`
	IncomeRange                *int64         `json:"IncomeRange,omitempty"`
	Tag                        string         `json:"Tag,omitempty"`
	// PhoneNumber and PhoneNumberCountry (alpha-2) are asked for by the
	// /sca/users routes.
	PhoneNumber        string `json:"PhoneNumber,omitempty"`
	PhoneNumberCountry string `json:"PhoneNumberCountry,omitempty"`
}

// LegalUserParams creates (POST) or updates (PUT) a legal user.
type LegalUserParams struct {
	Params
	UserCategory                          string         `json:"UserCategory"`
	TermsAndConditionsAccepted            bool           `json:"TermsAndConditionsAccepted"`
	LegalPersonType                       string         `json:"LegalPersonType,omitempty"`
	Name                                  string         `json:"Name,omitempty"`
	Email                                 string         `json:"Email,omitempty"`
	HeadquartersAddress                   *AddressParams `json:"HeadquartersAddress,omitempty"`
	LegalRepresentativeFirstName          string         `json:"LegalRepresentativeFirstName,omitempty"`
	LegalRepresentativeLastName           string         `json:"LegalRepresentativeLastName,omitempty"`
	LegalRepresentativeEmail              string         `json:"LegalRepresentativeEmail,omitempty"`
	LegalRepresentativeBirthday           *int64         `json:"LegalRepresentativeBirthday,omitempty"`
	LegalRepresentativeNationality        string         `json:"LegalRepresentativeNationality,omitempty"`
	LegalRepresentativeCountryOfResidence string         `json:"LegalRepresentativeCountryOfResidence,omitempty"`
	LegalRepresentativeAddress            *AddressParams `json:"LegalRepresentativeAddress,omitempty"`
	CompanyNumber                         string         `json:"CompanyNumber,omitempty"`
	Tag                                   string         `json:"Tag,omitempty"`
	// PhoneNumber and PhoneNumberCountry (alpha-2) are asked for by the
	// /sca/users routes.
	PhoneNumber        string `json:"PhoneNumber,omitempty"`
	PhoneNumberCountry string `json:"PhoneNumberCountry,omitempty"`
}

// WalletCreateParams creates a wallet with exactly one owner.
type WalletCreateParams struct {
	Params
	Owners      []string `json:"Owners"`
	Description string   `json:"Description"`
	Currency    string   `json:"Currency"`
	Tag         string   `json:"Tag,omitempty"`
}

// WalletUpdateParams changes a wallet's Description or Tag.
type WalletUpdateParams struct {
	Description string `json:"Description,omitempty"`
	Tag         string `json:"Tag,omitempty"`
}

// BankAccountIBANCreateParams creates an IBAN bank account.
type BankAccountIBANCreateParams struct {
	Params
	OwnerName    string        `json:"OwnerName"`
	OwnerAddress AddressParams `json:"OwnerAddress"`
	IBAN         string        `json:"IBAN"`
	BIC          string        `json:"BIC,omitempty"`
	Tag          string        `json:"Tag,omitempty"`
}

// KYCDocumentCreateParams creates a KYC document.
type KYCDocumentCreateParams struct {
	Params
	Type string `json:"Type"`
	Tag  string `json:"Tag,omitempty"`
}

// CardRegistrationCreateParams starts a card registration.
type CardRegistrationCreateParams struct {
	Params
	UserId   string `json:"UserId"`
	Currency string `json:"Currency"`
	CardType string `json:"CardType,omitempty"`
	Tag      string `json:"Tag,omitempty"`
}

// CardRegistrationUpdateParams finishes a card registration with the
// tokenizer's answer, prefix included ("data=..." or "errorCode=...").
type CardRegistrationUpdateParams struct {
	RegistrationData string `json:"RegistrationData"`
	CardHolderName   string `json:"CardHolderName,omitempty"`
}

// CardUpdateParams deactivates a card (Active false, one way) or sets its
// holder name once.
type CardUpdateParams struct {
	Active         *bool  `json:"Active,omitempty"`
	CardHolderName string `json:"CardHolderName,omitempty"`
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

// RefundCreateParams refunds a transfer or a pay-in. DebitedFunds and Fees go
// together or not at all; without them the refund is full.
type RefundCreateParams struct {
	Params
	AuthorId     string `json:"AuthorId"`
	DebitedFunds *Money `json:"DebitedFunds,omitempty"`
	Fees         *Money `json:"Fees,omitempty"`
	Tag          string `json:"Tag,omitempty"`
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

// HookCreateParams subscribes a URL to one EventType.
type HookCreateParams struct {
	Params
	EventType string `json:"EventType"`
	Url       string `json:"Url"`
	Tag       string `json:"Tag,omitempty"`
}

// HookUpdateParams changes a hook.
type HookUpdateParams struct {
	Url      string `json:"Url,omitempty"`
	Status   string `json:"Status,omitempty"`
	Validity string `json:"Validity,omitempty"`
	Tag      string `json:"Tag,omitempty"`
}

// ListOptions are the query parameters of list calls. Zero values are left
// out; filters with several values are sent comma-separated.
type ListOptions struct {
	Page       int    // from 1
	PerPage    int    // 1 to 100
	Sort       string // "CreationDate:ASC" or "CreationDate:DESC"
	BeforeDate int64  // Unix seconds
	AfterDate  int64  // Unix seconds
	Status     []string
	Type       []string
	Nature     []string
	ResultCode []string
	Active     *bool
	EventType  string
}
