package plan

import (
	"fmt"
	"time"

	"settle/internal/country"
)

// minBirthYear is the earliest year a birthday may have: an earlier one is
// a typo (1890 for 1980), not a living person.
const minBirthYear = 1900

func (c *checker) users() {
	for _, k := range sortedKeys(c.p.Users) {
		u := c.p.Users[k]
		path := "users." + k
		if u.Type == "natural" {
			c.fieldsOf(path, "legal users; a natural user has first_name and last_name", map[string]bool{
				"name": u.Name != "", "legal_person_type": u.LegalPersonType != "",
				"company_number": u.CompanyNumber != "", "legal_representative": u.LegalRepresentative != nil,
			})
		} else {
			c.fieldsOf(path, "natural users; a legal user's representative goes under legal_representative", map[string]bool{
				"first_name": u.FirstName != "", "last_name": u.LastName != "", "birthday": u.Birthday != "",
				"nationality": u.Nationality != "", "country_of_residence": u.CountryOfResidence != "",
				"occupation": u.Occupation != "", "income_range": u.IncomeRange != 0,
			})
		}
		c.birthday(path+".birthday", u.Birthday)
		c.countries(path, u.Nationality, u.CountryOfResidence, u.Address)
		c.knownCountry(path+".phone_number_country", u.PhoneNumberCountry)
		if r := u.LegalRepresentative; r != nil {
			c.birthday(path+".legal_representative.birthday", r.Birthday)
			c.countries(path+".legal_representative", r.Nationality, r.CountryOfResidence, r.Address)
		}
	}
}

// fieldsOf reports fields set on a user of the other person type.
func (c *checker) fieldsOf(path, only string, set map[string]bool) {
	for _, f := range sortedKeys(set) {
		if set[f] {
			c.errf(path+"."+f, "%q is only for %s", f, only)
		}
	}
}

// birthday reports a birthday (a calendar date, as the schema ensured)
// in the future, by the checker's clock, or before minBirthYear: either is
// a typo that MANGOPAY would record, and KYC would then fail on.
func (c *checker) birthday(path, date string) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return // empty, or refused by the schema
	}
	now := c.now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case d.After(today):
		c.errf(path, "%s is in the future: a birthday is a past date (check the year)", date)
	case d.Year() < minBirthYear:
		c.errf(path, "%s is before %d: check the year", date, minBirthYear)
	}
}

// countries checks the country fields of a person: each a known country,
// none that MANGOPAY refuses.
func (c *checker) countries(path, nationality, residence string, addr *Address) {
	if country.BlockedNationality(nationality) {
		c.errf(path+".nationality", "MANGOPAY does not accept nationality %s (country restrictions)", nationality)
	} else {
		c.knownCountry(path+".nationality", nationality)
	}
	if country.Blocked(residence) {
		c.errf(path+".country_of_residence", "MANGOPAY does not accept residents of %s (country restrictions)", residence)
	} else {
		c.knownCountry(path+".country_of_residence", residence)
	}
	if addr != nil {
		c.addressCountry(path+".address.country", addr.Country)
	}
}

// addressCountry checks the country of an address: known, and not one
// MANGOPAY refuses.
func (c *checker) addressCountry(path, code string) {
	if country.Blocked(code) {
		c.errf(path, "MANGOPAY does not accept addresses in %s (country restrictions)", code)
		return
	}
	c.knownCountry(path, code)
}

// knownCountry reports a country code (two capitals, as the schema
// ensured) that is not an ISO 3166-1 alpha-2 code.
func (c *checker) knownCountry(path, code string) {
	if code == "" || country.Known(code) {
		return
	}
	if name, use := country.Hint(code); use != "" {
		c.errf(path, "%s is not an ISO 3166-1 country code: write %s for %s", code, use, name)
		return
	}
	c.errf(path, "%s is not a country: write an ISO 3166-1 alpha-2 code, like FR", code)
}

func (c *checker) bankAccounts() {
	for _, k := range sortedKeys(c.p.BankAccounts) {
		b := c.p.BankAccounts[k]
		path := "bank_accounts." + k
		u, ok := ref(c, path+".owner", "user", b.Owner, c.p.Users)
		if b.IBAN != "" {
			if msg := checkIBAN(b.IBAN); msg != "" {
				c.errf(path+".iban", "%s", msg)
			} else {
				c.bicCountry(path, b)
			}
		}
		if b.OwnerAddress != nil {
			c.addressCountry(path+".owner_address.country", b.OwnerAddress.Country)
		}
		if ok && b.ID == "" && b.OwnerAddress == nil && u.Address == nil {
			c.errf(path, "needs owner_address: user %q has no address in the plan to default to", b.Owner)
		}
	}
}

// kycAllowed lists the KYC document types MANGOPAY accepts per person type
// (mangopay-api.md §6).
func kycAllowed(u *User) []string {
	if u.Type == "natural" {
		return []string{"IDENTITY_PROOF", "ADDRESS_PROOF"}
	}
	if u.LegalPersonType == "SOLETRADER" {
		return []string{"IDENTITY_PROOF", "REGISTRATION_PROOF", "SHAREHOLDER_DECLARATION"}
	}
	return []string{"IDENTITY_PROOF", "REGISTRATION_PROOF", "ARTICLES_OF_ASSOCIATION", "SHAREHOLDER_DECLARATION"}
}

func personType(u *User) string {
	if u.Type == "natural" {
		return "a natural user"
	}
	if u.LegalPersonType == "" {
		return "a legal user"
	}
	return fmt.Sprintf("a legal user of type %s", u.LegalPersonType)
}

func (c *checker) kycDocuments() {
	for _, k := range sortedKeys(c.p.KYCDocuments) {
		d := c.p.KYCDocuments[k]
		path := "kyc_documents." + k
		u, ok := ref(c, path+".user", "user", d.User, c.p.Users)
		if !ok {
			continue
		}
		if u.Category == "payer" {
			c.errf(path+".user", "user %q is a payer: MANGOPAY refuses KYC documents of payers (make the user an owner)", d.User)
		}
		allowed := kycAllowed(u)
		if !contains(allowed, d.Type) {
			c.errf(path+".type", "%s cannot be filed for %s (allowed: %s)", d.Type, personType(u), joinComma(allowed))
		}
		for i, page := range d.Pages {
			c.page(fmt.Sprintf("%s.pages.%d", path, i), d.Type, page)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinComma(list []string) string {
	s := ""
	for i, x := range list {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s
}
