package mangopay

import (
	"encoding/json"
	"strconv"
	"strings"
)

// This file holds the JSON wire types of MANGOPAY v2.01 that both the client
// and the embedded sandbox (package sandbox) use. Field names and JSON types
// follow shared/mangopay-api.md exactly. Response objects marshal empty
// nullable strings as null, as MANGOPAY does; request parameter types omit
// what is unset.

// NullString is a string that is null on the wire when empty.
type NullString string

// MarshalJSON writes null for the empty string.
func (s NullString) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// UnmarshalJSON reads null as the empty string.
func (s *NullString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = NullString(v)
	return nil
}

// FlexInt is an integer that is also accepted as a JSON string ("6", "+60"),
// because the official SDKs send IncomeRange and TimeZoneOffset either way.
type FlexInt int64

// UnmarshalJSON accepts a number, a numeric string or null.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*n = 0
		return nil
	}
	s = strings.Trim(s, `"`)
	s = strings.TrimPrefix(s, "+")
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return err
		}
		v = int64(f)
	}
	*n = FlexInt(v)
	return nil
}

// Money is an amount in the currency's minor unit.
type Money struct {
	Currency string `json:"Currency"`
	Amount   int64  `json:"Amount"`
}

// Address is MANGOPAY's postal address. Every field is null on the wire when
// empty, and responses always carry the object.
type Address struct {
	AddressLine1 NullString `json:"AddressLine1"`
	AddressLine2 NullString `json:"AddressLine2"`
	City         NullString `json:"City"`
	Region       NullString `json:"Region"`
	PostalCode   NullString `json:"PostalCode"`
	Country      NullString `json:"Country"`
}

// IsZero reports whether no field of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// Person types, user categories, KYC levels and statuses.
const (
	PersonNatural = "NATURAL"
	PersonLegal   = "LEGAL"

	CategoryOwner = "OWNER"
	CategoryPayer = "PAYER"

	KYCLight   = "LIGHT"
	KYCRegular = "REGULAR"

	StatusCreated   = "CREATED"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"

	ResultSuccess = "000000"

	// UserActive is the UserStatus of a usable user; UserPendingAction that
	// of an OWNER whose SCA enrolment is not complete.
	UserActive        = "ACTIVE"
	UserPendingAction = "PENDING_USER_ACTION"
)

// UserSummary is the shape of GET /users list items; every user object
// begins with these fields.
type UserSummary struct {
	Id                             string     `json:"Id"`
	Tag                            NullString `json:"Tag"`
	CreationDate                   int64      `json:"CreationDate"`
	PersonType                     string     `json:"PersonType"`
	Email                          string     `json:"Email"`
	KYCLevel                       string     `json:"KYCLevel"`
	TermsAndConditionsAccepted     bool       `json:"TermsAndConditionsAccepted"`
	TermsAndConditionsAcceptedDate *int64     `json:"TermsAndConditionsAcceptedDate"`
	UserCategory                   string     `json:"UserCategory"`
	UserStatus                     string     `json:"UserStatus"`
}

// NaturalUser is a natural person.
type NaturalUser struct {
	Address            Address    `json:"Address"`
	FirstName          string     `json:"FirstName"`
	LastName           string     `json:"LastName"`
	Birthday           *int64     `json:"Birthday"`
	Nationality        NullString `json:"Nationality"`
	CountryOfResidence NullString `json:"CountryOfResidence"`
	Occupation         NullString `json:"Occupation"`
	IncomeRange        *int64     `json:"IncomeRange"`
	ProofOfIdentity    NullString `json:"ProofOfIdentity"`
	ProofOfAddress     NullString `json:"ProofOfAddress"`
	Capacity           string     `json:"Capacity"`
	PhoneNumber        NullString `json:"PhoneNumber"`
	PhoneNumberCountry NullString `json:"PhoneNumberCountry"`
	// PendingUserAction is set while an OWNER created through the /sca/
	// routes has to complete its SCA enrolment (UserStatus
	// PENDING_USER_ACTION); absent from legacy responses.
	PendingUserAction *PendingUserAction `json:"PendingUserAction,omitempty"`
	UserSummary
}

// LegalUser is a legal person (company, partnership, organization, sole trader).
type LegalUser struct {
	HeadquartersAddress                   Address    `json:"HeadquartersAddress"`
	LegalPersonType                       string     `json:"LegalPersonType"`
	Name                                  string     `json:"Name"`
	LegalRepresentativeAddress            Address    `json:"LegalRepresentativeAddress"`
	LegalRepresentativeBirthday           *int64     `json:"LegalRepresentativeBirthday"`
	LegalRepresentativeCountryOfResidence NullString `json:"LegalRepresentativeCountryOfResidence"`
	LegalRepresentativeNationality        NullString `json:"LegalRepresentativeNationality"`
	LegalRepresentativeEmail              NullString `json:"LegalRepresentativeEmail"`
	LegalRepresentativeFirstName          string     `json:"LegalRepresentativeFirstName"`
	LegalRepresentativeLastName           string     `json:"LegalRepresentativeLastName"`
	CompanyNumber                         NullString `json:"CompanyNumber"`
	ProofOfRegistration                   NullString `json:"ProofOfRegistration"`
	ShareholderDeclaration                NullString `json:"ShareholderDeclaration"`
	Statute                               NullString `json:"Statute"`
	LegalRepresentativeProofOfIdentity    NullString `json:"LegalRepresentativeProofOfIdentity"`
	PhoneNumber                           NullString `json:"PhoneNumber"`
	PhoneNumberCountry                    NullString `json:"PhoneNumberCountry"`
	// PendingUserAction is set while an OWNER created through the /sca/
	// routes has to complete its SCA enrolment; absent from legacy responses.
	PendingUserAction *PendingUserAction `json:"PendingUserAction,omitempty"`
	// LegalRepresentative is the representative as one object, as the /sca/
	// user routes take and answer it; absent from legacy responses, which
	// carry the flat LegalRepresentative* fields.
	LegalRepresentative *LegalRepresentative `json:"LegalRepresentative,omitempty"`
	UserSummary
}

// LegalRepresentative is the legal representative object of the /sca/ user
// routes.
type LegalRepresentative struct {
	FirstName          string     `json:"FirstName"`
	LastName           string     `json:"LastName"`
	Email              NullString `json:"Email"`
	Birthday           *int64     `json:"Birthday"`
	Nationality        NullString `json:"Nationality"`
	CountryOfResidence NullString `json:"CountryOfResidence"`
	PhoneNumber        NullString `json:"PhoneNumber"`
	PhoneNumberCountry NullString `json:"PhoneNumberCountry"`
}

// User is what GET /users/{id} returns: exactly one of Natural and Legal is
// set, chosen by PersonType.
type User struct {
	Natural *NaturalUser
	Legal   *LegalUser
}

// Summary returns the fields common to both kinds of user.
func (u *User) Summary() UserSummary {
	switch {
	case u.Natural != nil:
		return u.Natural.UserSummary
	case u.Legal != nil:
		return u.Legal.UserSummary
	}
	return UserSummary{}
}

// UnmarshalJSON decodes by PersonType.
func (u *User) UnmarshalJSON(b []byte) error {
	var probe struct{ PersonType string }
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	*u = User{}
	if strings.EqualFold(probe.PersonType, PersonLegal) {
		u.Legal = new(LegalUser)
		return json.Unmarshal(b, u.Legal)
	}
	u.Natural = new(NaturalUser)
	return json.Unmarshal(b, u.Natural)
}

// MarshalJSON encodes whichever kind is set.
func (u User) MarshalJSON() ([]byte, error) {
	if u.Legal != nil {
		return json.Marshal(u.Legal)
	}
	return json.Marshal(u.Natural)
}

// Wallet is a user e-wallet or a client wallet (FEES_EUR, CREDIT_EUR), which
// has no Owners and no Description.
type Wallet struct {
	Description  string     `json:"Description,omitempty"`
	Owners       []string   `json:"Owners,omitempty"`
	Id           string     `json:"Id"`
	Balance      Money      `json:"Balance"`
	Currency     string     `json:"Currency"`
	FundsType    string     `json:"FundsType"`
	Tag          NullString `json:"Tag"`
	CreationDate int64      `json:"CreationDate"`
}

// BankAccount is an IBAN bank account.
type BankAccount struct {
	OwnerAddress Address    `json:"OwnerAddress"`
	IBAN         string     `json:"IBAN"`
	BIC          NullString `json:"BIC"`
	UserId       string     `json:"UserId"`
	OwnerName    string     `json:"OwnerName"`
	Type         string     `json:"Type"`
	Id           string     `json:"Id"`
	Tag          NullString `json:"Tag"`
	CreationDate int64      `json:"CreationDate"`
	Active       bool       `json:"Active"`
}

// KYC document types and statuses.
const (
	KYCIdentityProof          = "IDENTITY_PROOF"
	KYCRegistrationProof      = "REGISTRATION_PROOF"
	KYCArticlesOfAssociation  = "ARTICLES_OF_ASSOCIATION"
	KYCShareholderDeclaration = "SHAREHOLDER_DECLARATION"
	KYCAddressProof           = "ADDRESS_PROOF"

	KYCStatusCreated         = "CREATED"
	KYCStatusValidationAsked = "VALIDATION_ASKED"
	KYCStatusValidated       = "VALIDATED"
	KYCStatusRefused         = "REFUSED"
	KYCStatusOutOfDate       = "OUT_OF_DATE"
)

// KYCDocument is a KYC document.
type KYCDocument struct {
	Type                 string     `json:"Type"`
	UserId               string     `json:"UserId"`
	Flags                []string   `json:"Flags"`
	Id                   string     `json:"Id"`
	Tag                  NullString `json:"Tag"`
	CreationDate         int64      `json:"CreationDate"`
	ProcessedDate        *int64     `json:"ProcessedDate"`
	Status               string     `json:"Status"`
	RefusedReasonType    NullString `json:"RefusedReasonType"`
	RefusedReasonMessage NullString `json:"RefusedReasonMessage"`
}

// CardRegistration is the first step of registering a card.
type CardRegistration struct {
	Id                  string     `json:"Id"`
	Tag                 NullString `json:"Tag"`
	CreationDate        int64      `json:"CreationDate"`
	UserId              string     `json:"UserId"`
	AccessKey           string     `json:"AccessKey"`
	PreregistrationData string     `json:"PreregistrationData"`
	RegistrationData    NullString `json:"RegistrationData"`
	CardId              NullString `json:"CardId"`
	CardType            string     `json:"CardType"`
	CardRegistrationURL string     `json:"CardRegistrationURL"`
	ResultCode          NullString `json:"ResultCode"`
	ResultMessage       NullString `json:"ResultMessage"`
	Currency            string     `json:"Currency"`
	Status              string     `json:"Status"`
}

// Card is a registered card.
type Card struct {
	ExpirationDate string     `json:"ExpirationDate"`
	Alias          string     `json:"Alias"`
	CardType       string     `json:"CardType"`
	CardProvider   string     `json:"CardProvider"`
	Country        string     `json:"Country"`
	Product        string     `json:"Product"`
	BankCode       string     `json:"BankCode"`
	Active         bool       `json:"Active"`
	Currency       string     `json:"Currency"`
	Validity       string     `json:"Validity"`
	UserId         string     `json:"UserId"`
	Id             string     `json:"Id"`
	Tag            NullString `json:"Tag"`
	CreationDate   int64      `json:"CreationDate"`
	Fingerprint    string     `json:"Fingerprint"`
	CardHolderName NullString `json:"CardHolderName"`
}

// Transaction holds the fields every money movement carries. Items of the
// transaction lists are Transactions.
type Transaction struct {
	Id               string     `json:"Id"`
	Tag              NullString `json:"Tag"`
	CreationDate     int64      `json:"CreationDate"`
	AuthorId         string     `json:"AuthorId"`
	CreditedUserId   NullString `json:"CreditedUserId"`
	DebitedFunds     Money      `json:"DebitedFunds"`
	CreditedFunds    Money      `json:"CreditedFunds"`
	Fees             Money      `json:"Fees"`
	Status           string     `json:"Status"`
	ResultCode       NullString `json:"ResultCode"`
	ResultMessage    NullString `json:"ResultMessage"`
	ExecutionDate    *int64     `json:"ExecutionDate"`
	Type             string     `json:"Type"`
	Nature           string     `json:"Nature"`
	CreditedWalletId NullString `json:"CreditedWalletId"`
	DebitedWalletId  NullString `json:"DebitedWalletId"`
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

// PendingUserAction carries the SCA redirect of a transfer or a user that
// needs it.
type PendingUserAction struct {
	RedirectUrl string `json:"RedirectUrl"`
}

// Transfer moves money between two wallets.
type Transfer struct {
	Transaction
	ScaContext        NullString         `json:"ScaContext"`
	PendingUserAction *PendingUserAction `json:"PendingUserAction"`
}

// RefundReason says why a refund was made.
type RefundReason struct {
	RefundReasonMessage NullString `json:"RefundReasonMessage"`
	RefundReasonType    string     `json:"RefundReasonType"`
}

// Refund is a transfer refund (Type TRANSFER) or a pay-in refund (Type PAYOUT).
type Refund struct {
	Transaction
	InitialTransactionId     string       `json:"InitialTransactionId"`
	InitialTransactionType   string       `json:"InitialTransactionType"`
	InitialTransactionNature string       `json:"InitialTransactionNature"`
	RefundReason             RefundReason `json:"RefundReason"`
}

// PaymentRef links a payout to the bank-wire pay-in it refunds.
type PaymentRef struct {
	ReasonType  string `json:"ReasonType"`
	ReferenceId string `json:"ReferenceId"`
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
	// RecipientVerificationOfPayee is the Verification of Payee result of
	// the payout's recipient; null for a bank account without one.
	RecipientVerificationOfPayee *VerificationOfPayee `json:"RecipientVerificationOfPayee"`
}

// VerificationOfPayee is the result of a Verification of Payee check.
type VerificationOfPayee struct {
	RecipientVerificationId      NullString `json:"RecipientVerificationId"`
	RecipientVerificationCheck   string     `json:"RecipientVerificationCheck"`
	RecipientVerificationMessage NullString `json:"RecipientVerificationMessage"`
}

// Event is one entry of GET /events.
type Event struct {
	ResourceId string `json:"ResourceId"`
	EventType  string `json:"EventType"`
	Date       int64  `json:"Date"`
}

// Hook is a webhook subscription for one EventType.
type Hook struct {
	Url          string     `json:"Url"`
	Status       string     `json:"Status"`
	Validity     string     `json:"Validity"`
	EventType    string     `json:"EventType"`
	Id           string     `json:"Id"`
	Tag          NullString `json:"Tag"`
	CreationDate int64      `json:"CreationDate"`
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

// Token is the OAuth 2.0 token endpoint's answer.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}
