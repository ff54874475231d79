package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// textRule is one text field's rule in MANGOPAY's recipient schema
// (GET /recipients/schema, mangopay-2026.md §1.2): at most max characters
// (at least one), none of the characters in refused. The schema writes it
// as pattern, ^(?!.*[<refused>]).{1,<max>}$, a lookahead Go's regexp does
// not have, so the rule is kept as its two parts and the pattern for the
// message.
type textRule struct {
	field   string // MANGOPAY's dotted path, with <holder> for the holder block
	max     int
	refused string
	pattern string
}

// The recipient schema's text rules. Region is optional, the others
// required.
var (
	ruleDisplayName  = textRule{"DisplayName", 50, "&,'/", `^(?!.*[&,'/]).{1,50}$`}
	ruleFirstName    = textRule{"IndividualRecipient.FirstName", 255, "()&,.:_/", `^(?!.*[()&,.:_/]).{1,255}$`}
	ruleLastName     = textRule{"IndividualRecipient.LastName", 255, "()&,.:_/", `^(?!.*[()&,.:_/]).{1,255}$`}
	ruleBusinessName = textRule{"BusinessRecipient.BusinessName", 255, "(),.:/", `^(?!.*[(),.:/]).{1,255}$`}
	ruleAddressLine1 = textRule{"<holder>.Address.AddressLine1", 255, "()/", `^(?!.*[()/]).{1,255}$`}
	ruleCity         = textRule{"<holder>.Address.City", 80, "&,.:_", `^(?!.*[&,.:_]).{1,80}$`}
	ruleRegion       = textRule{"<holder>.Address.Region", 50, "&,.:_/", `^(?!.*[&,.:_/]).{1,50}$`}
	rulePostalCode   = textRule{"<holder>.Address.PostalCode", 10, "()&,.:_'/", `^(?!.*[()&,.:_'/]).{1,10}$`}
)

// recipientIBAN is the schema's IBAN pattern (LocalBankTransfer.<currency>.IBAN).
var recipientIBAN = regexp.MustCompile(`^[a-zA-Z]{2}\d{2}\s*(\w{4}\s*){2,7}\w{1,4}\s*$`)

// problem says what is wrong with v under the rule, "" when nothing.
func (r textRule) problem(v string) string {
	n := utf8.RuneCountInString(v)
	var bad []string
	for _, c := range r.refused {
		if strings.ContainsRune(v, c) {
			bad = append(bad, strconv.Quote(string(c)))
		}
	}
	switch {
	case n == 0:
		return "is empty"
	case n > r.max:
		return fmt.Sprintf("has %d characters, MANGOPAY takes at most %d", n, r.max)
	case len(bad) > 0:
		return fmt.Sprintf("contains %s, which MANGOPAY refuses there", strings.Join(bad, " and "))
	}
	return ""
}

// recipientRemedy ends every recipient error: the way out when the data
// cannot change.
const recipientRemedy = "(or register the account with register_as: legacy_bank_account)"

// recipient checks what bank account b becomes as a
// Recipient against MANGOPAY's recipient schema, each error at the plan
// value it comes from, and the settings that apply only to recipients.
func (c *checker) recipient(b *BankAccount) {
	path := "bank_accounts." + b.Key
	if b.RegisterAs == RegisterAsLegacyBankAccount {
		for field, set := range map[string]bool{"recipient": b.Recipient != nil, "accept_name_mismatch": b.AcceptNameMismatch,
			"reregister_if_canceled": b.ReregisterIfCanceled} {
			if set {
				c.errf(path+"."+field, "%s is for recipients: a legacy bank account has no Recipient fields, Verification of Payee or SCA approval", field)
			}
		}
		return
	}
	if !b.RegistersRecipient() {
		if b.Recipient != nil {
			c.errf(path+".recipient", "an adopted account is used as MANGOPAY holds it: recipient: applies only when settle registers it (add reregister_if_canceled: true to register a new one if it is CANCELED)")
		}
		return
	}
	if b.IBAN == "" {
		c.errf(path, "reregister_if_canceled needs the account's iban: settle registers the new recipient from it")
		return
	}
	r := c.p.RecipientOf(b)
	check := func(rule textRule, field, v string) {
		if msg := rule.problem(v); msg != "" {
			at := r.from[field]
			c.errf(at, "%q cannot be a recipient's %s: it %s (recipient schema %s) %s",
				v, strings.ReplaceAll(rule.field, "<holder>", holderBlock(r)), msg, rule.pattern, recipientRemedy)
		}
	}
	if o := b.Recipient; o != nil && o.DisplayName != "" {
		check(ruleDisplayName, "DisplayName", r.DisplayName)
	}
	switch r.RecipientType {
	case RecipientBusiness:
		if r.BusinessName == "" {
			c.errf(path, "a Business recipient needs the holder's name: set owner_name or recipient.business_name %s", recipientRemedy)
		} else {
			check(ruleBusinessName, "BusinessName", r.BusinessName)
		}
	default:
		if r.FirstName == "" || r.LastName == "" {
			c.errf(r.from["FirstName"], "an Individual recipient needs a first and a last name: set recipient.first_name and recipient.last_name %s", recipientRemedy)
		} else {
			check(ruleFirstName, "FirstName", r.FirstName)
			check(ruleLastName, "LastName", r.LastName)
		}
	}
	if a := r.Address; a != nil {
		at := r.from["Address"]
		r.from["Address.line1"], r.from["Address.city"] = at+".line1", at+".city"
		r.from["Address.region"], r.from["Address.postal_code"] = at+".region", at+".postal_code"
		check(ruleAddressLine1, "Address.line1", a.Line1)
		check(ruleCity, "Address.city", a.City)
		if a.Region != "" {
			check(ruleRegion, "Address.region", a.Region)
		}
		if a.PostalCode == "" {
			c.errf(at, "a recipient's address needs postal_code (%s.Address.PostalCode is required) %s", holderBlock(r), recipientRemedy)
		} else {
			check(rulePostalCode, "Address.postal_code", a.PostalCode)
		}
	} else if b.ID != "" {
		c.errf(path, "needs owner_address to register a new recipient: user %q has no address in the plan to default to", b.Owner)
	}
	if !recipientIBAN.MatchString(r.IBAN) {
		c.errf(path+".iban", "%q does not match the recipient schema's IBAN pattern %s", r.IBAN, recipientIBAN)
	}
	if o := b.Recipient; o != nil && o.Country != "" {
		c.knownCountry(path+".recipient", "country", o.Country)
	}
	c.recipientCurrency(b, r)
}

// holderBlock is the recipient's holder block, as the schema names it.
func holderBlock(r Recipient) string {
	if r.RecipientType == RecipientBusiness {
		return "BusinessRecipient"
	}
	return "IndividualRecipient"
}

// recipientCurrency checks that a local transfer's currency is one the
// IBAN's country receives locally, and that every payout to the account
// is in the recipient's currency: a local recipient receives only its own
// (MANGOPAY answers 400 otherwise).
func (c *checker) recipientCurrency(b *BankAccount, r Recipient) {
	path := "bank_accounts." + b.Key
	if r.PayoutMethodType == PayoutLocalBankTransfer && payoutMethodFor(r.Country, r.Currency) != PayoutLocalBankTransfer {
		var local []string
		if sepa[r.Country] {
			local = append(local, "EUR")
		}
		if cur := localIBANCurrency[r.Country]; cur != "" {
			local = append(local, cur)
		}
		at := r.from["PayoutMethodType"]
		if len(local) == 0 {
			c.errf(at, "MANGOPAY has no local bank transfer to %s: use payout_method: international_bank_transfer", r.Country)
		} else {
			c.errf(at, "a local bank transfer to %s takes %s, not %s: set recipient.currency, or payout_method: international_bank_transfer",
				r.Country, strings.Join(local, " or "), r.Currency)
		}
		return
	}
	if r.PayoutMethodType != PayoutLocalBankTransfer {
		return
	}
	for _, ck := range c.p.campaignsPayingTo(b.Key) {
		cp := c.p.Campaigns[ck]
		if w := c.p.Wallets[cp.Wallet]; w != nil && c.p.currencyOf(w) != r.Currency {
			c.errf("campaigns."+ck+".payout.bank_account", "pays %s out to %s, a local %s recipient: it receives only %s (set recipient.payout_method: international_bank_transfer on %s)",
				c.p.currencyOf(w), b.Key, r.Currency, r.Currency, path)
		}
	}
}
