package plan

import (
	"slices"
	"strings"

	"settle/internal/checksum"
	"settle/internal/country"
)

// bankAccounts checks each bank account: its owner, its IBAN and BIC, the
// country of its owner's address, and what it becomes as a Recipient
// (check_recipients.go).
func (c *checker) bankAccounts() {
	for _, k := range sortedKeys(c.p.BankAccounts) {
		b := c.p.BankAccounts[k]
		path := "bank_accounts." + k
		u, ok := resolve(c, path+".owner", "user", b.Owner, c.p.Users)
		if b.IBAN != "" {
			if msg := checksum.IBANProblem(b.IBAN); msg != "" {
				c.errf(path+".iban", "%s", msg)
			} else {
				c.bicCountry(path, b)
			}
		}
		if b.OwnerAddress != nil {
			c.addressCountry(path, "owner_address", b.OwnerAddress.Country)
		}
		if ok && b.ID == "" && b.OwnerAddress == nil && u.Address == nil {
			c.errf(path, "needs owner_address: user %q has no address in the plan to default to", b.Owner)
		}
		if ok {
			c.recipient(b)
		}
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
// is a country and fits the IBAN's.
func (c *checker) bicCountry(path string, b *BankAccount) {
	if len(b.BIC) < 6 || len(b.IBAN) < 2 {
		return
	}
	bc, ic := strings.ToUpper(b.BIC[4:6]), b.IBAN[:2]
	switch {
	case bc == ic || slices.Contains(bicGroups[ic], bc):
	case !country.Known(bc):
		c.errf(path+".bic", "BIC %s names the country %s, which does not exist: check it", b.BIC, bc)
	default:
		c.errf(path+".bic", "BIC %s is a bank in %s but the IBAN is from %s: check both", b.BIC, bc, ic)
	}
}
