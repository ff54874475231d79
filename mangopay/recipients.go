package mangopay

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Recipient statuses. A PAYOUT recipient is created PENDING and becomes
// ACTIVE once its owner completed SCA (at PendingUserAction.RedirectUrl),
// or CANCELED when SCA was not completed in time: a new one must then be
// created. DEACTIVATED is permanent.
const (
	RecipientPending     = "PENDING"
	RecipientActive      = "ACTIVE"
	RecipientCanceled    = "CANCELED"
	RecipientDeactivated = "DEACTIVATED"
)

// Recipient payout methods, types and scopes.
const (
	// PayoutLocalBankTransfer receives only the country's local currency,
	// on the domestic rail (EUR by SEPA, GBP by FPS, ...).
	PayoutLocalBankTransfer = "LocalBankTransfer"
	// PayoutInternationalBankTransfer receives other currencies by SWIFT too.
	PayoutInternationalBankTransfer = "InternationalBankTransfer"

	RecipientIndividual = "Individual"
	RecipientBusiness   = "Business"

	// ScopePayout (the default) is usable for payouts; only an OWNER may
	// have one, and creating it always asks for SCA. ScopePayin is for
	// direct debits and refunds only.
	ScopePayout = "PAYOUT"
	ScopePayin  = "PAYIN"
)

// Verification of Payee results (EUR LocalBankTransfer recipients only).
const (
	VOPMatch            = "MATCH"
	VOPCloseMatch       = "CLOSE_MATCH"
	VOPNoMatch          = "NO_MATCH"
	VOPMatchNotPossible = "MATCH_NOT_POSSIBLE"
)

// RecipientService registers bank accounts as Recipients, the endpoints
// that replace the legacy bank accounts: a payout to a bank account
// created through POST /users/{id}/bankaccounts/iban after 2026-04-30
// fails with 121018.
type RecipientService struct{ c *Client }

// PayoutMethods lists the payout methods available for a currency and a
// destination country (GET /recipients/payout-methods).
func (s *RecipientService) PayoutMethods(ctx context.Context, currency, country string) (*PayoutMethods, error) {
	q := url.Values{"Currency": {currency}, "Country": {country}}
	return call[PayoutMethods](ctx, s.c, request{method: http.MethodGet, path: "/recipients/payout-methods", query: q})
}

// Schema reads what a recipient of this payout method, type, currency and
// country must hold, field by field (GET /recipients/schema).
func (s *RecipientService) Schema(ctx context.Context, p *RecipientSchemaParams) (RecipientSchema, error) {
	if p == nil {
		return nil, errNoParams
	}
	q := url.Values{"PayoutMethodType": {p.PayoutMethodType}, "RecipientType": {p.RecipientType},
		"Currency": {p.Currency}, "Country": {p.Country}}
	v, err := call[RecipientSchema](ctx, s.c, request{method: http.MethodGet, path: "/recipients/schema", query: q})
	if err != nil {
		return nil, err
	}
	return *v, nil
}

// Validate checks a recipient's data without creating it
// (POST /users/{id}/recipients/validate): nil when it is valid, else an
// [*Error] whose [Error.FieldErrors] name each field. It creates nothing,
// so p's Idempotency-Key is not sent (it belongs to the Create).
func (s *RecipientService) Validate(ctx context.Context, userID string, p *RecipientCreateParams) error {
	if p == nil {
		return errNoParams
	}
	_, err := s.c.do(ctx, request{method: http.MethodPost, path: pathf("/users/%s/recipients/validate", userID), body: p}, nil)
	return err
}

// Create registers a recipient for an OWNER (POST /users/{id}/recipients).
// It comes back PENDING, with a PendingUserAction.RedirectUrl when the
// owner must complete SCA; poll [RecipientService.Get] until ACTIVE.
func (s *RecipientService) Create(ctx context.Context, userID string, p *RecipientCreateParams) (*Recipient, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[Recipient](ctx, s.c, pathf("/users/%s/recipients", userID), p, p.IdempotencyKey)
}

// Get reads a recipient, or a migrated legacy bank account by its
// BankAccountId (GET /recipients/{id}).
func (s *RecipientService) Get(ctx context.Context, id string) (*Recipient, error) {
	return get[Recipient](ctx, s.c, pathf("/recipients/%s", id))
}

// ListByUser iterates over a user's recipients, in summary form (no
// account details); migrated bank accounts appear under their original
// Id. opts.RecipientScope PAYIN lists the pay-in ones instead
// (GET /users/{id}/recipients).
func (s *RecipientService) ListByUser(ctx context.Context, userID string, opts *ListOptions) iter.Seq2[Recipient, error] {
	return listAll[Recipient](ctx, s.c, pathf("/users/%s/recipients", userID), opts)
}

// ListByUserPage reads one page of a user's recipients.
func (s *RecipientService) ListByUserPage(ctx context.Context, userID string, opts *ListOptions) (*Page[Recipient], error) {
	return listPage[Recipient](ctx, s.c, pathf("/users/%s/recipients", userID), opts)
}

// Deactivate deactivates an ACTIVE recipient (or legacy bank account),
// which cannot be undone (PUT /recipients/{id} with Status DEACTIVATED).
// After a failed attempt the recipient is read back: one already
// DEACTIVATED is returned.
func (s *RecipientService) Deactivate(ctx context.Context, id string) (*Recipient, error) {
	off := func(r *Recipient) bool { return r.Status == RecipientDeactivated }
	return put[Recipient](ctx, s.c, pathf("/recipients/%s", id), map[string]string{"Status": RecipientDeactivated},
		readBack(pathf("/recipients/%s", id), off))
}

// RecipientCreateParams creates (or validates) a recipient. Exactly one of
// IndividualRecipient and BusinessRecipient, and one of LocalBankTransfer
// and InternationalBankTransfer, is set. DisplayName (1-50 characters,
// none of &,'/) and Tag cannot be changed later.
type RecipientCreateParams struct {
	Params
	DisplayName               string                     `json:"DisplayName"`
	PayoutMethodType          string                     `json:"PayoutMethodType"`
	RecipientType             string                     `json:"RecipientType"`
	Currency                  string                     `json:"Currency"`
	Country                   string                     `json:"Country"`
	RecipientScope            string                     `json:"RecipientScope,omitempty"`
	ScaContext                string                     `json:"ScaContext,omitempty"`
	Tag                       string                     `json:"Tag,omitempty"`
	IndividualRecipient       *IndividualRecipient       `json:"IndividualRecipient,omitempty"`
	BusinessRecipient         *BusinessRecipient         `json:"BusinessRecipient,omitempty"`
	LocalBankTransfer         LocalBankTransfer          `json:"LocalBankTransfer,omitempty"`
	InternationalBankTransfer *InternationalBankTransfer `json:"InternationalBankTransfer,omitempty"`
}

// RecipientSchemaParams chooses the schema to read; all four are required.
type RecipientSchemaParams struct {
	PayoutMethodType, RecipientType, Currency, Country string
}

// Recipient is a beneficiary and its account. List items carry no holder
// or account blocks; a migrated legacy account has a null DisplayName.
type Recipient struct {
	Id                           string                        `json:"Id"`
	Tag                          NullString                    `json:"Tag"`
	CreationDate                 int64                         `json:"CreationDate"`
	Status                       string                        `json:"Status"`
	DisplayName                  NullString                    `json:"DisplayName"`
	PayoutMethodType             string                        `json:"PayoutMethodType"`
	RecipientType                string                        `json:"RecipientType"`
	Currency                     string                        `json:"Currency"`
	Country                      NullString                    `json:"Country"`
	UserId                       string                        `json:"UserId"`
	RecipientScope               string                        `json:"RecipientScope"`
	ScaContext                   NullString                    `json:"ScaContext,omitempty"`
	IndividualRecipient          *IndividualRecipient          `json:"IndividualRecipient,omitempty"`
	BusinessRecipient            *BusinessRecipient            `json:"BusinessRecipient,omitempty"`
	LocalBankTransfer            LocalBankTransfer             `json:"LocalBankTransfer,omitempty"`
	InternationalBankTransfer    *InternationalBankTransfer    `json:"InternationalBankTransfer,omitempty"`
	PendingUserAction            *PendingUserAction            `json:"PendingUserAction"`
	RecipientVerificationOfPayee *RecipientVerificationOfPayee `json:"RecipientVerificationOfPayee"`
}

// IndividualRecipient is the holder block of an account held by a natural
// person: FirstName and LastName (1-255 characters, none of ()&,.:_/) and
// a structured Address (AddressLine1, City, PostalCode and Country
// required).
type IndividualRecipient struct {
	FirstName string         `json:"FirstName"`
	LastName  string         `json:"LastName"`
	Address   *AddressParams `json:"Address,omitempty"`
}

// BusinessRecipient is the holder block of an account held by a legal
// entity: BusinessName (1-255 characters, none of (),.:/) and a structured
// Address.
type BusinessRecipient struct {
	BusinessName string         `json:"BusinessName"`
	Address      *AddressParams `json:"Address,omitempty"`
}

// LocalBankTransfer holds the account for a domestic rail, keyed by its
// currency: {"EUR": {IBAN}} (also CHF, CZK, DKK, HUF, NOK, PLN, RON, SEK),
// {"GBP": {AccountNumber, SortCode}}, {"USD": {AccountNumber, ABA}},
// {"CAD": {AccountNumber, InstitutionNumber, BranchCode, BankName}}.
type LocalBankTransfer map[string]LocalBankAccount

// LocalBankAccount is one currency's account details; which fields apply
// depends on the currency (see [LocalBankTransfer]). BIC is returned,
// derived from the IBAN.
type LocalBankAccount struct {
	IBAN              string `json:"IBAN,omitempty"`
	BIC               string `json:"BIC,omitempty"`
	AccountNumber     string `json:"AccountNumber,omitempty"`
	SortCode          string `json:"SortCode,omitempty"`
	ABA               string `json:"ABA,omitempty"`
	FFC               string `json:"FFC,omitempty"`
	InstitutionNumber string `json:"InstitutionNumber,omitempty"`
	BranchCode        string `json:"BranchCode,omitempty"`
	BankName          string `json:"BankName,omitempty"`
}

// InternationalBankTransfer holds a SWIFT account: the IBAN as
// AccountNumber in IBAN countries (BIC then derived), else AccountNumber
// and BIC.
type InternationalBankTransfer struct {
	AccountNumber string `json:"AccountNumber"`
	BIC           string `json:"BIC,omitempty"`
}

// RecipientVerificationOfPayee is the Verification of Payee result of an
// EUR recipient (or payout): Check is one of the VOP* constants, Message
// is to be shown to the user. Anything but MATCH risks misdirected funds.
type RecipientVerificationOfPayee struct {
	RecipientVerificationId      NullString `json:"RecipientVerificationId"`
	RecipientVerificationCheck   string     `json:"RecipientVerificationCheck"`
	RecipientVerificationMessage string     `json:"RecipientVerificationMessage"`
}

// PayoutMethods is the answer of [RecipientService.PayoutMethods].
type PayoutMethods struct {
	AvailablePayoutMethods []string `json:"AvailablePayoutMethods"`
}

// RecipientSchemaField is what the schema says of one field.
type RecipientSchemaField struct {
	Required       bool     `json:"Required"`
	MaxLength      int      `json:"MaxLength,omitempty"`
	MinLength      int      `json:"MinLength,omitempty"`
	Pattern        string   `json:"Pattern,omitempty"`
	Label          string   `json:"Label,omitempty"`
	EndUserDisplay string   `json:"EndUserDisplay,omitempty"` // Show or Hide
	AllowedValues  []string `json:"AllowedValues,omitempty"`
}

// RecipientSchema maps each field of a recipient, by its dotted path
// ("IndividualRecipient.Address.City", "LocalBankTransfer.GBP.SortCode"),
// to its rules. On the wire the fields nest as in the recipient.
type RecipientSchema map[string]RecipientSchemaField

// schemaFieldKeys are the keys that mark an object of the schema as a
// field's rules rather than a block of fields.
var schemaFieldKeys = []string{"Required", "MaxLength", "MinLength", "Pattern", "Label", "EndUserDisplay", "AllowedValues"}

// UnmarshalJSON flattens the nested schema into dotted paths.
func (s *RecipientSchema) UnmarshalJSON(b []byte) error {
	out := RecipientSchema{}
	if err := out.flatten("", b); err != nil {
		return err
	}
	*s = out
	return nil
}

// flatten adds the fields of one block (or a field's rules) under prefix.
func (s RecipientSchema) flatten(prefix string, b []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		return nil // a scalar next to the fields (e.g. a label of the block): not a field
	}
	if prefix != "" && isSchemaField(obj) {
		var f RecipientSchemaField
		if err := json.Unmarshal(b, &f); err != nil {
			return err
		}
		s[prefix] = f
		return nil
	}
	for k, v := range obj {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if err := s.flatten(p, v); err != nil {
			return err
		}
	}
	return nil
}

// isSchemaField reports an object holding a field's rules: one of the
// rule keys with a value that is not an object.
func isSchemaField(obj map[string]json.RawMessage) bool {
	for _, k := range schemaFieldKeys {
		if v, ok := obj[k]; ok && !strings.HasPrefix(strings.TrimSpace(string(v)), "{") {
			return true
		}
	}
	return false
}

// MarshalJSON nests the fields again, as MANGOPAY sends them.
func (s RecipientSchema) MarshalJSON() ([]byte, error) {
	root := map[string]any{}
	paths := make([]string, 0, len(s))
	for p := range s {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		parts := strings.Split(p, ".")
		node := root
		for _, part := range parts[:len(parts)-1] {
			next, ok := node[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
		node[parts[len(parts)-1]] = s[p]
	}
	return json.Marshal(root)
}
