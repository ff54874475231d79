package plan

import (
	"strings"
	"unicode/utf8"

	"settle/internal/apirules"
)

// How a bank account is registered (BankAccount.RegisterAs).
const (
	// RegisterAsRecipient registers the account with
	// POST /users/{id}/recipients: MANGOPAY's only route since 2026-04-30
	// whose accounts payouts may go to (a legacy account created after
	// that date makes the payout FAIL with 121018). The default.
	RegisterAsRecipient = "recipient"
	// RegisterAsLegacyBankAccount keeps POST /users/{id}/bankaccounts/iban,
	// for platforms whose MANGOPAY contract or emulator still needs it.
	RegisterAsLegacyBankAccount = "legacy_bank_account"
)

// IdentityVerificationHosted is User.IdentityVerification for MANGOPAY's
// hosted identity verification session.
const IdentityVerificationHosted = "hosted"

// Recipient types and payout methods, spelt as MANGOPAY's API spells them.
const (
	RecipientIndividual             = "Individual"
	RecipientBusiness               = "Business"
	PayoutLocalBankTransfer         = "LocalBankTransfer"
	PayoutInternationalBankTransfer = "InternationalBankTransfer"
)

// Recipient is what POST /users/{id}/recipients needs for a plan bank
// account, each field derived or taken from the plan's override (see
// [Plan.RecipientOf]). The executor builds the request from it and
// nothing else; the plan's checks have held every field to MANGOPAY's
// recipient schema (recipientRules).
type Recipient struct {
	DisplayName      string // held to apirules.DisplayName
	RecipientType    string // RecipientIndividual | RecipientBusiness
	PayoutMethodType string // PayoutLocalBankTransfer | PayoutInternationalBankTransfer
	Currency         string // ISO 4217
	Country          string // destination country of the payout method (alpha-2)
	// FirstName and LastName hold an Individual's name, BusinessName a
	// Business's.
	FirstName, LastName, BusinessName string
	// Address is the holder's structured address (nil when the plan has
	// none: the checks then report it).
	Address *Address
	// IBAN is the account: LocalBankTransfer.<Currency>.IBAN for a local
	// transfer, InternationalBankTransfer.AccountNumber otherwise (the BIC
	// is derived from it by MANGOPAY).
	IBAN string
	// AcceptNameMismatch and ReregisterIfCanceled repeat the account's
	// settings, for the executor's one read.
	AcceptNameMismatch, ReregisterIfCanceled bool

	// from holds, by field name ("City", "FirstName"), the plan path the
	// value came from: a check reports a bad value where it is written.
	from map[string]string
}

// payoutMethodFor is the payout method of an IBAN of country in
// currency: a local transfer where MANGOPAY offers one to an IBAN (EUR in
// the euro area, where Verification of Payee applies; a country's own IBAN
// currency), else an international (SWIFT) transfer.
func payoutMethodFor(country, currency string) string {
	if apirules.LocalTransfer(country, currency) && apirules.IBANCurrency(currency) {
		return PayoutLocalBankTransfer
	}
	return PayoutInternationalBankTransfer
}

// RecipientOf derives the Recipient of bank account b, each field from the
// plan's override in b.Recipient when there is one:
//
//   - type: Individual for a natural owner, Business for a legal one;
//   - country: the IBAN's;
//   - currency: the currency of the project wallets paid out to the
//     account (the first campaign's, by key), else the plan's;
//   - payout method: LocalBankTransfer for EUR to an IBAN of the euro
//     area or a country's own IBAN currency (CHF, CZK, DKK, HUF, NOK, PLN,
//     RON, SEK), else InternationalBankTransfer;
//   - holder: an Individual's first and last name from owner_name split
//     at its last space when set, else the owner's names (a legal owner's
//     representative's); a Business's name from owner_name, else the
//     owner's name;
//   - address: owner_address, else the owner's address (a legal owner's
//     headquarters);
//   - display name: "<holder> <currency> <country> account", without the
//     characters MANGOPAY refuses there, shortened to 50 characters.
func (p *Plan) RecipientOf(b *BankAccount) Recipient {
	path := "bank_accounts." + b.Key
	o := b.Recipient
	if o == nil {
		o = &RecipientSpec{}
	}
	u := p.Users[b.Owner]
	if u == nil {
		u = &User{}
	}
	r := Recipient{IBAN: b.IBAN, AcceptNameMismatch: b.AcceptNameMismatch, ReregisterIfCanceled: b.ReregisterIfCanceled,
		from: map[string]string{}}
	set := func(field string, v *string, override, overridePath, derived, derivedPath string) {
		if override != "" {
			*v, r.from[field] = override, path+".recipient."+overridePath
			return
		}
		*v, r.from[field] = derived, derivedPath
	}
	derivedType := RecipientIndividual
	if u.Type == "legal" {
		derivedType = RecipientBusiness
	}
	set("RecipientType", &r.RecipientType, recipientTypes[o.Type], "type", derivedType, "users."+b.Owner+".type")
	country := ""
	if len(b.IBAN) >= 2 {
		country = b.IBAN[:2]
	}
	set("Country", &r.Country, o.Country, "country", country, path+".iban")
	set("Currency", &r.Currency, o.Currency, "currency", p.accountCurrency(b.Key), "currency")
	set("PayoutMethodType", &r.PayoutMethodType, payoutMethods[o.PayoutMethod], "payout_method", payoutMethodFor(r.Country, r.Currency), path+".iban")

	if r.RecipientType == RecipientBusiness {
		name, namePath := u.Name, "users."+b.Owner+".name"
		if b.OwnerName != "" {
			name, namePath = b.OwnerName, path+".owner_name"
		}
		set("BusinessName", &r.BusinessName, o.BusinessName, "business_name", name, namePath)
	} else {
		first, last, namePath := u.FirstName, u.LastName, "users."+b.Owner
		if rep := u.LegalRepresentative; u.Type == "legal" && rep != nil {
			first, last, namePath = rep.FirstName, rep.LastName, namePath+".legal_representative"
		}
		firstPath, lastPath := namePath+".first_name", namePath+".last_name"
		if b.OwnerName != "" {
			first, last = splitName(b.OwnerName)
			firstPath, lastPath = path+".owner_name", path+".owner_name"
		}
		set("FirstName", &r.FirstName, o.FirstName, "first_name", first, firstPath)
		set("LastName", &r.LastName, o.LastName, "last_name", last, lastPath)
	}

	r.Address, r.from["Address"] = b.OwnerAddress, path+".owner_address"
	if r.Address == nil && u.Address != nil {
		r.Address, r.from["Address"] = u.Address, "users."+b.Owner+".address"
	}
	set("DisplayName", &r.DisplayName, o.DisplayName, "display_name", displayName(r), path)
	return r
}

// recipientTypes and payoutMethods map the plan's spellings to MANGOPAY's.
var (
	recipientTypes = map[string]string{"individual": RecipientIndividual, "business": RecipientBusiness}
	payoutMethods  = map[string]string{"local_bank_transfer": PayoutLocalBankTransfer, "international_bank_transfer": PayoutInternationalBankTransfer}
)

// splitName splits a holder name at its last space: "Jean de La Fontaine"
// is first name "Jean de La", last name "Fontaine". A single word is a
// last name only (the checks then ask for recipient.first_name).
func splitName(name string) (first, last string) {
	name = strings.TrimSpace(name)
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return "", name
	}
	return strings.TrimSpace(name[:i]), name[i+1:]
}

// displayName is "<holder> <currency> <country> account" without the
// characters DisplayName refuses, the holder shortened so that the whole
// fits in 50 characters.
func displayName(r Recipient) string {
	holder := r.BusinessName
	if r.RecipientType != RecipientBusiness {
		holder = strings.TrimSpace(r.FirstName + " " + r.LastName)
	}
	holder = strings.Join(strings.Fields(strings.Map(func(c rune) rune {
		if strings.ContainsRune(apirules.DisplayName.Forbid, c) {
			return ' '
		}
		return c
	}, holder)), " ")
	suffix := strings.TrimSpace(" " + r.Currency + " " + r.Country + " account")
	room := apirules.DisplayName.Max - utf8.RuneCountInString(suffix) - 1
	if utf8.RuneCountInString(holder) > room {
		holder = strings.TrimSpace(string([]rune(holder)[:room]))
	}
	if holder == "" {
		return suffix
	}
	return holder + " " + suffix
}

// accountCurrency is the currency of the project wallets that campaigns
// pay out to the account with key (the first campaign's, by key), else
// the plan's.
func (p *Plan) accountCurrency(key string) string {
	for _, ck := range p.campaignsPayingTo(key) {
		if w := p.Wallets[p.Campaigns[ck].Wallet]; w != nil {
			return p.currencyOf(w)
		}
	}
	return p.Currency
}

// campaignsPayingTo returns the keys, sorted, of the campaigns whose
// payout goes to the bank account with key. The index is built once per
// plan: a plan of a thousand campaigns has a thousand accounts.
func (p *Plan) campaignsPayingTo(key string) []string {
	p.payoutsOnce.Do(func() {
		p.payoutsTo = map[string][]string{}
		for _, ck := range sortedKeys(p.Campaigns) {
			if c := p.Campaigns[ck]; c.Payout != nil {
				p.payoutsTo[c.Payout.BankAccount] = append(p.payoutsTo[c.Payout.BankAccount], ck)
			}
		}
	})
	return p.payoutsTo[key]
}

// RegistersRecipient reports whether settle registers b as a Recipient:
// unless the plan keeps the legacy route, a new account always is, and an
// adopted one is when a CANCELED recipient may be registered again.
func (b *BankAccount) RegistersRecipient() bool {
	return b.RegisterAs != RegisterAsLegacyBankAccount && (b.ID == "" || b.ReregisterIfCanceled)
}
