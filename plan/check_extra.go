package plan

import (
	"fmt"
	"strconv"
	"time"
)

// adoption checks that an adopted object (with id) belongs to an adopted
// user: an object that already exists on MANGOPAY cannot belong to a user
// settle has yet to create.
func (c *checker) adoption() {
	check := func(path, what, id, userKey string) {
		if u := c.p.Users[userKey]; id != "" && u != nil && u.ID == "" {
			c.errf(path+".id", "this %s is adopted but its user %q is not: an existing %s belongs to an existing user, so adopt the user too (id: ...)", what, userKey, what)
		}
	}
	for _, k := range sortedKeys(c.p.Wallets) {
		check("wallets."+k, "wallet", c.p.Wallets[k].ID, c.p.Wallets[k].Owner)
	}
	for _, k := range sortedKeys(c.p.BankAccounts) {
		check("bank_accounts."+k, "bank account", c.p.BankAccounts[k].ID, c.p.BankAccounts[k].Owner)
	}
	for _, k := range sortedKeys(c.p.KYCDocuments) {
		check("kyc_documents."+k, "KYC document", c.p.KYCDocuments[k].ID, c.p.KYCDocuments[k].User)
	}
	for _, k := range sortedKeys(c.p.Cards) {
		check("cards."+k, "card", c.p.Cards[k].ID, c.p.Cards[k].User)
	}
}

// bicGroups maps the country of an IBAN to the BIC countries its banks
// may have besides its own: French IBANs serve Monaco and the French
// overseas territories, British ones the Crown dependencies.
var bicGroups = map[string][]string{
	"FR": {"MC", "GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"},
	"MC": {"FR"},
	"GB": {"JE", "GG", "IM"},
}

// bicCountry checks that a BIC's country (its 5th and 6th characters)
// fits the IBAN's.
func (c *checker) bicCountry(path string, b *BankAccount) {
	if len(b.BIC) < 6 || len(b.IBAN) < 2 {
		return
	}
	bc, ic := upper(b.BIC[4:6]), b.IBAN[:2]
	if bc == ic || contains(bicGroups[ic], bc) {
		return
	}
	c.errf(path+".bic", "BIC %s is a bank in %s but the IBAN is from %s: check both", b.BIC, bc, ic)
}

func upper(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch >= 'a' && ch <= 'z' {
			b[i] = ch - 'a' + 'A'
		}
	}
	return string(b)
}

// cardExpiry reports a card whose expiry (MM/YY, the schema checked the
// form) is over: MANGOPAY refuses to register it. A card is valid until
// the end of its expiry month.
func (c *checker) cardExpiry(path, expiry string, now time.Time) {
	if len(expiry) != 5 {
		return
	}
	mm, err1 := strconv.Atoi(expiry[:2])
	yy, err2 := strconv.Atoi(expiry[3:])
	if err1 != nil || err2 != nil {
		return
	}
	end := time.Date(2000+yy, time.Month(mm)+1, 1, 0, 0, 0, 0, time.UTC)
	if !now.Before(end) {
		c.errf(path, "the card expired at the end of %s: use a card with a future expiry", expiry)
	}
}

// production refuses sandbox-only things in a plan that demands the
// production target.
func (c *checker) production() {
	if c.p.Target != "production" {
		return
	}
	for _, e := range c.p.SandboxOnly() {
		c.errs.Add(e.Pos, e.Path, fmt.Sprintf("the plan targets production: %s", e.Msg))
	}
}
