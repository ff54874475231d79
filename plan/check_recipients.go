package plan

import (
	"settle/internal/apirules"
)

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
	holder := holderBlock(r)
	// check reports v, written at the plan path at, when it breaks rule;
	// schemaPath is MANGOPAY's dotted path of the field.
	check := func(rule apirules.TextRule, schemaPath, at, v string) {
		if msg := rule.Problem(v); msg != "" {
			c.errf(at, "%q cannot be a recipient's %s: it %s (MANGOPAY's recipient schema: %s) %s",
				v, schemaPath, msg, rule.Pattern(), recipientRemedy)
		}
	}
	if o := b.Recipient; o != nil && o.DisplayName != "" {
		check(apirules.DisplayName, "DisplayName", r.from["DisplayName"], r.DisplayName)
	}
	switch r.RecipientType {
	case RecipientBusiness:
		if r.BusinessName == "" {
			c.errf(path, "a Business recipient needs the holder's name: set owner_name or recipient.business_name %s", recipientRemedy)
		} else {
			check(apirules.BusinessName, holder+".BusinessName", r.from["BusinessName"], r.BusinessName)
		}
	default:
		if r.FirstName == "" || r.LastName == "" {
			c.errf(r.from["FirstName"], "an Individual recipient needs a first and a last name: set recipient.first_name and recipient.last_name %s", recipientRemedy)
		} else {
			check(apirules.FirstName, holder+".FirstName", r.from["FirstName"], r.FirstName)
			check(apirules.LastName, holder+".LastName", r.from["LastName"], r.LastName)
		}
	}
	if a := r.Address; a != nil {
		at := r.from["Address"]
		addr := holder + ".Address."
		check(apirules.AddressLine1, addr+"AddressLine1", at+".line1", a.Line1)
		if a.Line2 != "" {
			check(apirules.AddressLine2, addr+"AddressLine2", at+".line2", a.Line2)
		}
		check(apirules.City, addr+"City", at+".city", a.City)
		if a.Region != "" {
			check(apirules.Region, addr+"Region", at+".region", a.Region)
		}
		if a.PostalCode == "" {
			c.errf(at, "a recipient's address needs postal_code (%sPostalCode is required) %s", addr, recipientRemedy)
		} else {
			check(apirules.PostalCode, addr+"PostalCode", at+".postal_code", a.PostalCode)
		}
	} else if b.ID != "" {
		c.errf(path, "needs owner_address to register a new recipient: user %q has no address in the plan to default to", b.Owner)
	}
	if !apirules.IBAN.MatchString(r.IBAN) {
		c.errf(path+".iban", "%q does not match the recipient schema's IBAN pattern %s", r.IBAN, apirules.IBANPattern)
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
		at := r.from["PayoutMethodType"]
		if local := apirules.LocalCurrency(r.Country); local != "" && apirules.IBANCurrency(local) {
			c.errf(at, "a local bank transfer to an IBAN in %s takes %s, not %s: set recipient.currency, or payout_method: international_bank_transfer",
				r.Country, local, r.Currency)
		} else {
			c.errf(at, "MANGOPAY has no local bank transfer to an IBAN in %s: use payout_method: international_bank_transfer", r.Country)
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
