// Package plan reads settle's YAML plans: it parses them keeping the line and
// column of every value, validates them against schemas/plan.schema.json and
// against the rules of money and references, and expands a valid plan into
// the ordered, typed steps the executor runs.
//
// A plan states facts, and the package derives what MANGOPAY needs from
// them in one place each: a bank account's Recipient (type, country,
// currency, payout method, holder, address, display name) is
// [Plan.RecipientOf], held to MANGOPAY's recipient schema by the checks
// (check_recipients.go) and carried by the account's step
// ([Step.Recipient]); an owner's hosted identity verification is a step
// of its own ([KindIdentityVerification]) that the owner's payouts wait
// for. docs/plan-format.md explains both for plan authors.
//
// A plan file may start with
//
//	# yaml-language-server: $schema=../schemas/plan.schema.json
//
// (a path to the schema relative to the plan, or to the output of
// `settle schema`) so that editors complete and check it as it is written.
package plan

import (
	"fmt"
	"sync"
	"sync/atomic"

	"gopkg.in/yaml.v3"
)

// Pos is a position in a plan file. Line and Col start at 1.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Plan is one parsed plan. Maps are keyed by plan key ([a-z0-9][a-z0-9-]*).
type Plan struct {
	Pos      Pos    `yaml:"-"`
	Dir      string `yaml:"-"` // folder of the plan file; KYC page paths are relative to it
	Version  int    `yaml:"version"`
	Name     string `yaml:"name"`
	Currency string `yaml:"currency"`
	// Target is "" or "production": a plan may demand production explicitly.
	Target string `yaml:"target,omitempty"`

	Users        map[string]*User        `yaml:"users,omitempty"`
	Wallets      map[string]*Wallet      `yaml:"wallets,omitempty"`
	BankAccounts map[string]*BankAccount `yaml:"bank_accounts,omitempty"`
	KYCDocuments map[string]*KYCDocument `yaml:"kyc_documents,omitempty"`
	Cards        map[string]*Card        `yaml:"cards,omitempty"`
	Campaigns    map[string]*Campaign    `yaml:"campaigns,omitempty"`

	// root is the normalized YAML node tree (aliases resolved, merge keys
	// applied) and lines the length of each line of the file: [Plan.PosOf]
	// finds the position of any dotted path ("bank_accounts.cyrano-iban.iban",
	// "campaigns.c1.contributions.0.amount") by walking the tree. This
	// replaces a map of every path: on a plan of 100,000 contributions that
	// map would cost a million strings for positions that are rarely asked.
	root  *yaml.Node
	lines []int
	// aliasAt holds the position of each value written as an alias, by
	// path: PosOf points there rather than at the anchor's definition.
	aliasAt map[string]Pos
	// steps holds the steps Parse expanded to check the step graph; the
	// first Expand takes them instead of expanding again (a large plan
	// has hundreds of thousands of steps), later calls expand afresh.
	steps atomic.Pointer[[]*Step]
	// payoutsTo maps each bank account key to the keys of the campaigns
	// paying out to it, sorted (see [Plan.campaignsPayingTo]); built once
	// (payoutsOnce), on first use.
	payoutsOnce sync.Once
	payoutsTo   map[string][]string
}

// Address is a postal address.
type Address struct {
	Line1      string `yaml:"line1"`
	Line2      string `yaml:"line2,omitempty"`
	City       string `yaml:"city"`
	Region     string `yaml:"region,omitempty"`
	PostalCode string `yaml:"postal_code,omitempty"`
	Country    string `yaml:"country"`
}

// User is a natural or legal MANGOPAY user. With ID set it is adopted.
type User struct {
	Key      string `yaml:"-"`
	Pos      Pos    `yaml:"-"`
	ID       string `yaml:"id,omitempty"`
	Type     string `yaml:"type"`     // natural | legal
	Category string `yaml:"category"` // owner | payer

	Email         string   `yaml:"email,omitempty"`
	TermsAccepted bool     `yaml:"terms_accepted,omitempty"`
	Address       *Address `yaml:"address,omitempty"` // natural: address; legal: headquarters
	// PhoneNumber (E.164, e.g. +33612345678) and PhoneNumberCountry
	// (alpha-2) are sent to MANGOPAY's /sca/users routes.
	PhoneNumber        string `yaml:"phone_number,omitempty"`
	PhoneNumberCountry string `yaml:"phone_number_country,omitempty"`

	// Natural person.
	FirstName          string `yaml:"first_name,omitempty"`
	LastName           string `yaml:"last_name,omitempty"`
	Birthday           string `yaml:"birthday,omitempty"` // YYYY-MM-DD
	Nationality        string `yaml:"nationality,omitempty"`
	CountryOfResidence string `yaml:"country_of_residence,omitempty"`
	Occupation         string `yaml:"occupation,omitempty"`
	IncomeRange        int    `yaml:"income_range,omitempty"`

	// Legal person.
	Name string `yaml:"name,omitempty"`
	// IdentityVerification is "" (identity proven by the plan's KYC
	// documents, if any) or IdentityVerificationHosted: the owner proves
	// their identity on MANGOPAY's hosted page (an identity verification
	// session, POST /users/{id}/identity-verifications), and the owner's
	// payouts wait for the session to be VALIDATED. It replaces the KYC
	// documents the session collects (see [HostedVerificationCovers]).
	IdentityVerification string               `yaml:"identity_verification,omitempty"`
	LegalPersonType      string               `yaml:"legal_person_type,omitempty"` // BUSINESS | PARTNERSHIP | ORGANIZATION | SOLETRADER
	CompanyNumber        string               `yaml:"company_number,omitempty"`
	LegalRepresentative  *LegalRepresentative `yaml:"legal_representative,omitempty"`
}

// LegalRepresentative is the natural person who represents a legal user.
type LegalRepresentative struct {
	FirstName          string   `yaml:"first_name"`
	LastName           string   `yaml:"last_name"`
	Email              string   `yaml:"email,omitempty"`
	Birthday           string   `yaml:"birthday,omitempty"`
	Nationality        string   `yaml:"nationality,omitempty"`
	CountryOfResidence string   `yaml:"country_of_residence,omitempty"`
	Address            *Address `yaml:"address,omitempty"`
}

// Wallet is a user wallet.
type Wallet struct {
	Key         string `yaml:"-"`
	Pos         Pos    `yaml:"-"`
	ID          string `yaml:"id,omitempty"`
	Owner       string `yaml:"owner"` // user key
	Description string `yaml:"description,omitempty"`
	Currency    string `yaml:"currency,omitempty"` // default: the plan's
}

// BankAccount is an IBAN account that payouts are wired to. settle
// registers it as a MANGOPAY Recipient (RegisterAs "" or
// RegisterAsRecipient; [Plan.RecipientOf] derives what MANGOPAY needs) or,
// with RegisterAsLegacyBankAccount, through the legacy
// POST /users/{id}/bankaccounts/iban. With ID set it is adopted: a legacy
// BankAccountId or a Recipient Id (rec_...), which MANGOPAY accepts alike
// for payouts.
type BankAccount struct {
	Key          string   `yaml:"-"`
	Pos          Pos      `yaml:"-"`
	ID           string   `yaml:"id,omitempty"`
	Owner        string   `yaml:"owner"`          // user key
	IBAN         string   `yaml:"iban,omitempty"` // empty for an adopted account
	BIC          string   `yaml:"bic,omitempty"`
	OwnerName    string   `yaml:"owner_name,omitempty"`    // default: the user's name
	OwnerAddress *Address `yaml:"owner_address,omitempty"` // default: the user's address

	// RegisterAs is how settle registers the account: "" or
	// RegisterAsRecipient (the default), or RegisterAsLegacyBankAccount.
	RegisterAs string `yaml:"register_as,omitempty"`
	// Recipient overrides what [Plan.RecipientOf] derives (nil: derive
	// everything).
	Recipient *RecipientSpec `yaml:"recipient,omitempty"`
	// AcceptNameMismatch allows payouts to this account when MANGOPAY's
	// Verification of Payee answers NO_MATCH (the holder name does not
	// match the IBAN's): without it such a payout is blocked before it is
	// sent. CLOSE_MATCH and MATCH_NOT_POSSIBLE are warnings either way.
	AcceptNameMismatch bool `yaml:"accept_name_mismatch,omitempty"`
	// ReregisterIfCanceled lets the next apply register a new Recipient
	// when this one is CANCELED (its owner did not complete SCA in time);
	// without it a CANCELED recipient is reported with that remedy and
	// its payout waits.
	ReregisterIfCanceled bool `yaml:"reregister_if_canceled,omitempty"`
}

// RecipientSpec is a plan's overrides of a Recipient's derived fields;
// the empty value of each field means "derive it" (see [Plan.RecipientOf]).
type RecipientSpec struct {
	Type         string `yaml:"type,omitempty"`          // individual | business
	DisplayName  string `yaml:"display_name,omitempty"`  // 1-50 characters, none of & , ' /
	Country      string `yaml:"country,omitempty"`       // destination country of the payout method
	Currency     string `yaml:"currency,omitempty"`      // currency the account receives
	PayoutMethod string `yaml:"payout_method,omitempty"` // local_bank_transfer | international_bank_transfer
	FirstName    string `yaml:"first_name,omitempty"`    // individual holder
	LastName     string `yaml:"last_name,omitempty"`     // individual holder
	BusinessName string `yaml:"business_name,omitempty"` // business holder
}

// KYCDocument is a KYC document with its pages, created, paged and submitted.
type KYCDocument struct {
	Key            string   `yaml:"-"`
	Pos            Pos      `yaml:"-"`
	ID             string   `yaml:"id,omitempty"`
	User           string   `yaml:"user"`
	Type           string   `yaml:"type"`  // IDENTITY_PROOF | REGISTRATION_PROOF | ARTICLES_OF_ASSOCIATION | SHAREHOLDER_DECLARATION | ADDRESS_PROOF
	Pages          []string `yaml:"pages"` // paths relative to the plan's folder
	SandboxOutcome string   `yaml:"sandbox_outcome,omitempty"`
}

// Card is a sandbox test card registered through tokenization.
type Card struct {
	Key      string `yaml:"-"`
	Pos      Pos    `yaml:"-"`
	ID       string `yaml:"id,omitempty"`
	User     string `yaml:"user"`
	Number   string `yaml:"number,omitempty"`
	Expiry   string `yaml:"expiry,omitempty"` // MM/YY
	CVX      string `yaml:"cvx,omitempty"`
	Currency string `yaml:"currency,omitempty"`
}

// Campaign outcomes and refund modes.
const (
	OutcomeOpen      = "open"
	OutcomeSucceeded = "succeeded"
	OutcomeFailed    = "failed"

	RefundToWallet = "wallet"
	RefundToCard   = "card"

	FeesOnPayout   = "payout"
	FeesOnTransfer = "transfer"
)

// Campaign is one crowdfunding campaign and how it ended.
type Campaign struct {
	Key           string          `yaml:"-"`
	Pos           Pos             `yaml:"-"`
	Wallet        string          `yaml:"wallet"`  // project wallet key
	Outcome       string          `yaml:"outcome"` // open | succeeded | failed
	Fees          *Fees           `yaml:"fees,omitempty"`
	Payout        *Payout         `yaml:"payout,omitempty"`
	Refund        *RefundPolicy   `yaml:"refund,omitempty"`
	Contributions []*Contribution `yaml:"contributions"`
}

// Fees is the platform fee of a campaign: a percentage (rounded down to the
// cent, in the payers' favour) or a fixed amount, taken on the payout (the
// default) or on each contribution's transfer.
//
// A failed campaign has no payout, so fees on the payout are an error
// there. Fees on the transfer are allowed, since they were taken during
// the campaign, before its outcome was known; the refunds then hand them
// back: a full transfer refund credits the contributor the whole amount
// (the project wallet gives back what it received, the fee wallet the
// fee), while a partial one (refund_amount) refunds that amount and the
// platform keeps the fee (see [Expand]).
type Fees struct {
	Percent *float64 `yaml:"percent,omitempty"`
	Fixed   *int64   `yaml:"fixed,omitempty"`
	On      string   `yaml:"on,omitempty"` // payout | transfer
}

// Payout is the bank-wire payout of a succeeded campaign.
type Payout struct {
	ID          string `yaml:"id,omitempty"`
	BankAccount string `yaml:"bank_account"`
	WireRef     string `yaml:"wire_ref,omitempty"`
	// Amount overrides the debited amount (default: everything collected
	// minus transfer fees); what is not paid out stays in the wallet.
	Amount *int64 `yaml:"amount,omitempty"`
}

// RefundPolicy says where a failed campaign's contributions go back.
type RefundPolicy struct {
	To string `yaml:"to"` // wallet | card
}

// Contribution is one payer's contribution to a campaign.
type Contribution struct {
	Key      string        `yaml:"key"`
	Pos      Pos           `yaml:"-"`
	From     string        `yaml:"from"`   // contributor wallet key
	Amount   int64         `yaml:"amount"` // cents transferred to the project wallet
	PayIn    *PayInSpec    `yaml:"payin,omitempty"`
	Transfer *TransferSpec `yaml:"transfer,omitempty"`
	// RefundAmount makes a failed campaign's refund partial (default: all).
	RefundAmount *int64 `yaml:"refund_amount,omitempty"`
	// RefundTo overrides the campaign's refund.to for this contribution
	// (wallet | card); see [Campaign.RefundsToCard].
	RefundTo string `yaml:"refund_to,omitempty"`
}

// RefundsToCard reports whether a failed campaign refunds contribution x
// to its card (transfer refund, then pay-in refund) rather than to the
// contributor's wallet only: x's refund_to when set, else the campaign's
// refund.to.
func (c *Campaign) RefundsToCard(x *Contribution) bool {
	if x.RefundTo != "" {
		return x.RefundTo == RefundToCard
	}
	return c.Refund != nil && c.Refund.To == RefundToCard
}

// PayInSpec is the card pay-in that funds a contribution: adopted by ID or
// made with a plan card.
type PayInSpec struct {
	ID   string `yaml:"id,omitempty"`
	Card string `yaml:"card,omitempty"`
	Fees int64  `yaml:"fees,omitempty"`
}

// TransferSpec is the transfer into the project wallet: adopted by ID or
// created.
type TransferSpec struct {
	ID string `yaml:"id,omitempty"`
}
