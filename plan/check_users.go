package plan

import (
	"time"

	"settle/internal/apirules"
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
		c.birthday(path, u.Birthday)
		c.countries(path, u.Nationality, u.CountryOfResidence, u.Address)
		c.knownCountry(path, "phone_number_country", u.PhoneNumberCountry)
		if r := u.LegalRepresentative; r != nil {
			rp := path + ".legal_representative"
			c.birthday(rp, r.Birthday)
			c.countries(rp, r.Nationality, r.CountryOfResidence, r.Address)
		}
		if u.Type == "natural" && u.Category == "owner" && u.ID == "" {
			c.ownerData(path, u)
		}
		if u.IdentityVerification != "" {
			c.identityVerification(path, u)
		}
	}
}

// ownerData applies MANGOPAY's rules of 2026-02-19 for natural OWNERs it
// creates: a personal email, and names without a legal-entity marker. A
// company that owns a project is a legal user.
func (c *checker) ownerData(path string, u *User) {
	if apirules.GenericEmail(u.Email) {
		c.errf(path+".email", "%s is a role address: MANGOPAY refuses generic emails (such as info@ or hr@) for natural owners since 2026-02-19; give the owner's personal address", u.Email)
	}
	for field, name := range map[string]string{"first_name": u.FirstName, "last_name": u.LastName} {
		if w := apirules.LegalEntityMarker(name); w != "" {
			c.errf(path+"."+field, "%q names a company (%s): MANGOPAY refuses legal-entity markers in natural owners' names since 2026-02-19; a company is a user of type: legal", name, w)
		}
	}
}

// identityVerification checks a user's hosted identity verification:
// MANGOPAY runs sessions for owners only, and not for partnerships; the
// KYC documents the session collects cannot be filed beside it.
func (c *checker) identityVerification(path string, u *User) {
	switch {
	case u.Category != "owner":
		c.errf(path+".identity_verification", "only owners are verified: MANGOPAY runs identity verification sessions for users of category owner")
		return
	case u.Type == "legal" && u.LegalPersonType == "PARTNERSHIP":
		c.errf(path+".identity_verification", "MANGOPAY's hosted verification does not take partnerships: file KYC documents (kyc_documents:) instead")
		return
	}
	for _, k := range sortedKeys(c.p.KYCDocuments) {
		d := c.p.KYCDocuments[k]
		if d.User == u.Key && HostedVerificationCovers(u, d.Type) {
			c.errf("kyc_documents."+k+".type", "%s of user %q is collected by its hosted identity verification (identity_verification: hosted): file one or the other", d.Type, u.Key)
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

// birthday reports the birthday of the person at path (a calendar date,
// as the schema ensured) in the future, by the checker's clock, or before
// minBirthYear: either is a typo that MANGOPAY would record, and KYC
// would then fail on.
//
// These checks take the path of the object and build the path of the
// field only for an error: they run on every user of a large plan.
func (c *checker) birthday(path, date string) {
	if date == "" {
		return
	}
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return // refused by the schema
	}
	now := c.now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case d.After(today):
		c.errf(path+".birthday", "%s is in the future: a birthday is a past date (check the year)", date)
	case d.Year() < minBirthYear:
		c.errf(path+".birthday", "%s is before %d: check the year", date, minBirthYear)
	}
}

// countries checks the country fields of the person at path: each a
// known country, none that MANGOPAY refuses.
func (c *checker) countries(path, nationality, residence string, addr *Address) {
	if country.BlockedNationality(nationality) {
		c.errf(path+".nationality", "MANGOPAY does not accept nationality %s (country restrictions)", nationality)
	} else {
		c.knownCountry(path, "nationality", nationality)
	}
	if country.Blocked(residence) {
		c.errf(path+".country_of_residence", "MANGOPAY does not accept residents of %s (country restrictions)", residence)
	} else {
		c.knownCountry(path, "country_of_residence", residence)
	}
	if addr != nil {
		c.addressCountry(path, "address", addr.Country)
	}
}

// addressCountry checks the country of the address in field of the
// object at path: known, and not one MANGOPAY refuses.
func (c *checker) addressCountry(path, field, code string) {
	switch {
	case country.Blocked(code):
		c.errf(path+"."+field+".country", "MANGOPAY does not accept addresses in %s (country restrictions)", code)
	case !country.Known(code):
		c.knownCountry(path+"."+field, "country", code)
	}
}

// knownCountry reports a country code (two capitals, as the schema
// ensured) in field of the object at path that is not an ISO 3166-1
// alpha-2 code.
func (c *checker) knownCountry(path, field, code string) {
	if code == "" || country.Known(code) {
		return
	}
	if name, use := country.Hint(code); use != "" {
		c.errf(path+"."+field, "%s is not an ISO 3166-1 country code: write %s for %s", code, use, name)
		return
	}
	c.errf(path+"."+field, "%s is not a country: write an ISO 3166-1 alpha-2 code, like FR", code)
}
