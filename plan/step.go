package plan

import "strings"

// Kind is the kind of a step.
type Kind string

// Step kinds. One step is one MANGOPAY object settle creates or adopts.
const (
	KindUser        Kind = "user"         // natural or legal user
	KindWallet      Kind = "wallet"       // user wallet
	KindBankAccount Kind = "bank_account" // IBAN account
	KindKYC         Kind = "kyc_document" // create, upload pages, submit, wait for the verdict
	// KindIdentityVerification is an owner's hosted identity verification
	// (User.IdentityVerification): create a session, report its HostedUrl
	// while PENDING, wait for VALIDATED. Key "identity_verification/<user
	// key>"; Owner is the user step; it carries no declaration.
	KindIdentityVerification Kind = "identity_verification"
	KindCard                 Kind = "card"            // registration, tokenization, update
	KindPayIn                Kind = "payin"           // card direct pay-in into the contributor wallet
	KindTransfer             Kind = "transfer"        // contributor wallet -> project wallet
	KindTransferRefund       Kind = "transfer_refund" // failed campaign: project wallet -> contributor wallet
	KindPayInRefund          Kind = "payin_refund"    // failed campaign, refund to card
	KindPayOut               Kind = "payout"          // succeeded campaign: project wallet -> owner's bank account
)

// StepKey is the key of a step of kind: "<kind>/<object key>" for an
// object's ("user/cyrano", "identity_verification/cyrano" for the user's
// session), "<kind>/<campaign>" for a payout and
// "<kind>/<campaign>/<contribution>" for the steps of one contribution
// (pay-in, transfer and their refunds).
func StepKey(kind Kind, keys ...string) string {
	return string(kind) + "/" + strings.Join(keys, "/")
}

// TagOf is the Tag of the managed step with key in the plan named name,
// "settle:<name>/<key>" (a KYC document's Tag is its sandbox outcome
// instead).
func TagOf(name, key string) string { return "settle:" + name + "/" + key }

// Step is one unit of work of an expanded plan. Steps are created by
// [Expand] in a deterministic order (dependencies first); their keys never
// change when unrelated parts of the plan change.
type Step struct {
	// Key is unique and stable: "<kind>/<plan key>" for objects
	// ("user/cyrano", "wallet/garden", "kyc_document/cyrano-id") and
	// "<kind>/<campaign>/<contribution>" for money steps
	// ("transfer/garden-2026/alice-1"); the payout is "payout/<campaign>".
	Key  string
	Kind Kind
	Pos  Pos // where the step is declared
	// Deps are the keys of the steps this one waits for.
	Deps []string
	// AdoptedID is the MANGOPAY Id of an adopted object ("" if managed).
	AdoptedID string
	// Tag is the MANGOPAY Tag a managed object carries:
	// "settle:<plan name>/<Key>" (KYC documents excepted: their Tag is
	// the sandbox outcome).
	Tag string

	Campaign     string // campaign key (money steps)
	Contribution string // contribution key (per-contribution steps)

	// References to other steps, by step key; the executor resolves them to
	// MANGOPAY Ids at run time. Which are set depends on Kind.
	Author      string // user step: AuthorId
	Owner       string // user step owning a wallet, bank account, KYC document or card
	Debited     string // wallet step debited
	Credited    string // wallet step credited
	BankAccount string // bank account step (payout)
	Card        string // card step (pay-in)
	Original    string // transfer or pay-in step a refund refunds

	// Money.
	Amount   int64 // DebitedFunds.Amount in minor units
	Fees     int64 // Fees.Amount (negative on refunds that hand fees back)
	Currency string
	WireRef  string // payout BankWireRef

	// Declarations, for object steps (exactly the one matching Kind is set).
	User            *User
	Wallet          *Wallet
	BankAccountSpec *BankAccount
	KYC             *KYCDocument
	CardSpec        *Card

	// Recipient is what a bank_account step registers as a MANGOPAY
	// Recipient ([Plan.RecipientOf]); nil when the account keeps the
	// legacy route (register_as: legacy_bank_account) or is adopted
	// without reregister_if_canceled.
	Recipient *Recipient
}
