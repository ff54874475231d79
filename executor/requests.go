package executor

import (
	"fmt"
	"strings"
	"time"

	"settle/mangopay"
	"settle/plan"
)

// Fixed values for card pay-ins made server-side with sandbox test cards:
// MANGOPAY requires 3DS2 browser data and an IP address on every card
// pay-in, even frictionless ones.
const (
	secureModeReturnURL = "https://settle.invalid/3ds"
	payInIPAddress      = "192.0.2.1" // TEST-NET-1, RFC 5737
)

var payInBrowser = mangopay.BrowserInfo{
	AcceptHeader: "text/html, application/json", JavaEnabled: false, Language: "en-US", ColorDepth: 24,
	ScreenHeight: 1080, ScreenWidth: 1920, TimeZoneOffset: 0, UserAgent: "settle/1 (server-side sandbox pay-in)",
	JavascriptEnabled: true,
}

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

// ownerName is a user's name as a bank account holder.
func ownerName(u *plan.User) string {
	if u == nil {
		return ""
	}
	if u.Type == "legal" {
		return u.Name
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// bankParams builds an IBAN account's body; owner name and address
// default to the owning user's.
func bankParams(s *plan.Step, owner *plan.User) *mangopay.BankAccountIBANCreateParams {
	b := s.BankAccountSpec
	p := &mangopay.BankAccountIBANCreateParams{OwnerName: b.OwnerName, IBAN: strings.ReplaceAll(strings.ToUpper(b.IBAN), " ", ""),
		BIC: b.BIC, Tag: s.Tag}
	if p.OwnerName == "" {
		p.OwnerName = ownerName(owner)
	}
	addr := b.OwnerAddress
	if addr == nil && owner != nil {
		addr = owner.Address
	}
	if a := addressParams(addr); a != nil {
		p.OwnerAddress = *a
	}
	return p
}

// expiryMMYY turns "12/29" into "1229".
func expiryMMYY(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "/", "") }

// funds is a Money of the step's currency.
func funds(s *plan.Step, n int64) mangopay.Money {
	return mangopay.Money{Currency: s.Currency, Amount: n}
}

// payInParams builds a card direct pay-in: SecureMode DEFAULT, so the
// sandbox's frictionless card succeeds synchronously.
func payInParams(s *plan.Step, author, wallet, card string) *mangopay.PayInCardDirectCreateParams {
	bi := payInBrowser
	return &mangopay.PayInCardDirectCreateParams{AuthorId: author, CreditedWalletId: wallet, DebitedFunds: funds(s, s.Amount),
		Fees: funds(s, s.Fees), CardId: card, SecureModeReturnURL: secureModeReturnURL, SecureMode: "DEFAULT",
		BrowserInfo: &bi, IpAddress: payInIPAddress, Tag: s.Tag}
}

// refundParams builds a transfer or pay-in refund (always with explicit
// amounts, so that a partial refund is exact).
func refundParams(s *plan.Step, author string) *mangopay.RefundCreateParams {
	d, f := funds(s, s.Amount), funds(s, s.Fees)
	return &mangopay.RefundCreateParams{AuthorId: author, DebitedFunds: &d, Fees: &f, Tag: s.Tag}
}
