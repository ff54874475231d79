package executor

import (
	"fmt"
	"strings"
	"time"

	"settle/mangopay"
	"settle/plan"
)

// addressParams converts a plan address.
func addressParams(a *plan.Address) *mangopay.AddressParams {
	if a == nil {
		return nil
	}
	return &mangopay.AddressParams{AddressLine1: a.Line1, AddressLine2: a.Line2, City: a.City, Region: a.Region,
		PostalCode: a.PostalCode, Country: a.Country}
}

// birthday converts YYYY-MM-DD to Unix seconds at midnight UTC.
func birthday(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, fmt.Errorf("birthday %q: %w", s, err)
	}
	n := t.Unix()
	return &n, nil
}

// naturalParams builds a natural user's create or update body.
func naturalParams(u *plan.User, tag string) (*mangopay.NaturalUserParams, error) {
	bd, err := birthday(u.Birthday)
	if err != nil {
		return nil, err
	}
	p := &mangopay.NaturalUserParams{UserCategory: strings.ToUpper(u.Category), TermsAndConditionsAccepted: u.TermsAccepted,
		FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Birthday: bd, Nationality: u.Nationality,
		CountryOfResidence: u.CountryOfResidence, Address: addressParams(u.Address), Occupation: u.Occupation, Tag: tag,
		PhoneNumber: u.PhoneNumber, PhoneNumberCountry: u.PhoneNumberCountry}
	if u.IncomeRange != 0 {
		p.IncomeRange = mangopay.Int64(int64(u.IncomeRange))
	}
	return p, nil
}

// legalParams builds a legal user's create or update body.
func legalParams(u *plan.User, tag string) (*mangopay.LegalUserParams, error) {
	p := &mangopay.LegalUserParams{UserCategory: strings.ToUpper(u.Category), TermsAndConditionsAccepted: u.TermsAccepted,
		LegalPersonType: u.LegalPersonType, Name: u.Name, Email: u.Email, HeadquartersAddress: addressParams(u.Address),
		CompanyNumber: u.CompanyNumber, Tag: tag, PhoneNumber: u.PhoneNumber, PhoneNumberCountry: u.PhoneNumberCountry}
	if r := u.LegalRepresentative; r != nil {
		bd, err := birthday(r.Birthday)
		if err != nil {
			return nil, err
		}
		p.LegalRepresentativeFirstName, p.LegalRepresentativeLastName = r.FirstName, r.LastName
		p.LegalRepresentativeEmail, p.LegalRepresentativeBirthday = r.Email, bd
		p.LegalRepresentativeNationality = r.Nationality
		p.LegalRepresentativeCountryOfResidence = r.CountryOfResidence
		p.LegalRepresentativeAddress = addressParams(r.Address)
	}
	return p, nil
}

// expiryMMYY turns "12/29" into "1229".
func expiryMMYY(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "/", "") }

// funds is a Money of the step's currency.
func funds(s *plan.Step, n int64) mangopay.Money {
	return mangopay.Money{Currency: s.Currency, Amount: n}
}
