// Package apirules holds MANGOPAY's documented rules on the data it
// accepts, kept once for the plan validator (which applies them offline,
// at file:line:col, or through plan.schema.json, whose copy
// TestSchemaAgreesWithAPIRules in plan holds to this package) and for the
// emulator (which enforces them as MANGOPAY does): the text rules of the
// recipient schema (GET /recipients/schema), which countries and
// currencies a local bank transfer reaches, the rules of a user's fields
// and of an Address, the test Tags of the sandbox's KYC documents, and the
// OWNER data rules of 2026-02-19. Which country codes exist and which
// MANGOPAY blocks is internal/country's. Sources: mangopay-api.md §1.2,
// §3, §5, §6; mangopay-2026.md §1.2, §3.1, §4.1.
package apirules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextRule is the rule of a recipient text field: Min to Max characters,
// none of those in Forbid. The schema writes it as a negative lookahead,
// ^(?!.*[<Forbid>]).{<Min>,<Max>}$ ([TextRule.Pattern]), which Go's regexp
// does not have, so the rule is kept as its parts.
type TextRule struct {
	Field    string // MANGOPAY's name for it, as the schema labels it
	Min, Max int
	Forbid   string
}

// The recipient schema's text rules. Of the address, AddressLine1, City
// and PostalCode are required, AddressLine2 and Region optional.
var (
	DisplayName  = TextRule{"DisplayName", 1, 50, "&,'/"}
	FirstName    = TextRule{"FirstName", 1, 255, "()&,.:_/"}
	LastName     = TextRule{"LastName", 1, 255, "()&,.:_/"}
	BusinessName = TextRule{"BusinessName", 1, 255, "(),.:/"}
	AddressLine1 = TextRule{"AddressLine1", 1, 255, "()/"}
	AddressLine2 = TextRule{"AddressLine2", 0, 255, "()/"}
	City         = TextRule{"City", 1, 80, "&,.:_"}
	Region       = TextRule{"Region", 0, 50, "&,.:_/"}
	PostalCode   = TextRule{"PostalCode", 1, 10, "()&,.:_'/"}
)

// Pattern is the rule as the schema shows it and INVALID_FORMAT quotes it.
func (r TextRule) Pattern() string {
	return fmt.Sprintf("^(?!.*[%s]).{%d,%d}$", r.Forbid, max(r.Min, 1), r.Max)
}

// Breach is the part of a TextRule a value breaks, the one verdict both
// the plan's message ([TextRule.Problem]) and the emulator's error value
// (REQUIRED, LENGTH_MORE_THAN_MAX, INVALID_FORMAT, ...) are worded from.
type Breach int

const (
	Fits      Breach = iota // the value passes
	Empty                   // no characters where the rule needs some
	TooShort                // fewer than Min characters
	TooLong                 // more than Max characters
	Forbidden               // a character of Forbid
)

// Breach is what v breaks of the rule: the length first, then the
// characters; Fits when nothing.
func (r TextRule) Breach(v string) Breach {
	switch n := utf8.RuneCountInString(v); {
	case n < r.Min && n == 0:
		return Empty
	case n < r.Min:
		return TooShort
	case n > r.Max:
		return TooLong
	case strings.ContainsAny(v, r.Forbid):
		return Forbidden
	}
	return Fits
}

// Problem says what is wrong with v under the rule ("" when nothing):
// "is empty", "has 81 characters, at most 80", `contains "." and ","`.
func (r TextRule) Problem(v string) string {
	n := utf8.RuneCountInString(v)
	switch r.Breach(v) {
	case Empty:
		return "is empty"
	case TooShort:
		return fmt.Sprintf("has %d characters, at least %d", n, r.Min)
	case TooLong:
		return fmt.Sprintf("has %d characters, at most %d", n, r.Max)
	case Forbidden:
		var bad []string
		for _, c := range r.Forbid {
			if strings.ContainsRune(v, c) {
				bad = append(bad, strconv.Quote(string(c)))
			}
		}
		return "contains " + strings.Join(bad, " and ")
	}
	return ""
}

// IBANPattern is the recipient schema's pattern of
// LocalBankTransfer.<currency>.IBAN.
const IBANPattern = `^[a-zA-Z]{2}\d{2}\s*(\w{4}\s*){2,7}\w{1,4}\s*$`

// IBAN matches IBANPattern.
var IBAN = regexp.MustCompile(IBANPattern)

// BICPattern is the recipient schema's pattern of
// InternationalBankTransfer.BIC (BIC8 or BIC11); the plan's JSON schema
// holds it as bank_accounts.*.bic's pattern (TestSchemaAgreesWithAPIRules
// in plan checks they agree).
const BICPattern = `^[a-zA-Z]{6}\w{2}(\w{3})?$`

// AddressFieldMax is the most characters of each text field of a user's
// Address (AddressLine1, AddressLine2, City, Region), of a legal user's
// HeadquartersAddress and LegalRepresentativeAddress and of a legacy bank
// account's OwnerAddress: "Each field is at most 255 characters"
// (mangopay-api.md §3.1, Address). The PostalCode has its own rule
// ([AddressPostalCodeMax]); a Recipient's address has the recipient
// schema's ([AddressLine1], [City], ...).
const AddressFieldMax = 255

// regionCountries are the countries whose addresses need a Region (a
// state or province), in the order MANGOPAY names them.
var regionCountries = []string{"US", "CA", "MX"}

// RegionCountries returns the countries whose addresses need a Region, in
// a slice of the caller's own: "Region is required if Country is US, CA or
// MX" (mangopay-api.md §3.1, Address; §5, OwnerAddress). The plan's JSON
// schema holds them as the address's if/then.
func RegionCountries() []string { return slices.Clone(regionCountries) }

// RegionRequired reports whether an address in country (alpha-2, in
// capitals) needs a Region: [RegionCountries].
func RegionRequired(country string) bool { return slices.Contains(regionCountries, country) }

// AddressPostalCodeMax is the most characters of the PostalCode of a
// user's Address (and of a legacy bank account's OwnerAddress), which
// holds only letters, digits, dashes and spaces: AddressPostalCodePattern.
// A Recipient's address has its own, stricter rule ([PostalCode]).
const AddressPostalCodeMax = 50

// AddressPostalCodePattern is the rule of [AddressPostalCodeMax] as a
// pattern; the plan's JSON schema holds it as every address's
// postal_code pattern (TestSchemaAgreesWithAPIRules in plan checks they
// agree).
var AddressPostalCodePattern = fmt.Sprintf(`^[A-Za-z0-9 -]{1,%d}$`, AddressPostalCodeMax)

// AddressPostalCode matches AddressPostalCodePattern.
var AddressPostalCode = regexp.MustCompile(AddressPostalCodePattern)

// currencies are MANGOPAY's currencies (ISO 4217), of which a client's
// contract enables some: mangopay-api.md, "Conventions".
var currencies = []string{"AED", "AUD", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "HKD", "JPY", "NOK", "PLN", "SEK", "USD", "ZAR"}

// Currencies returns MANGOPAY's currencies, sorted, in a slice of the
// caller's own. The plan's JSON schema holds them as the currency enum
// (TestSchemaAgreesWithAPIRules in plan checks they agree); a wallet,
// card or pay-in in another currency is refused.
func Currencies() []string { return slices.Clone(currencies) }

// CountryPattern is the form of a country field: an ISO 3166-1 alpha-2
// code, in capitals ("Countries are ISO 3166-1 alpha-2", mangopay-api.md
// §1.2; Card.Country, alpha-3, is the one exception and no rule here).
// Which codes exist and which MANGOPAY blocks is internal/country's.
const CountryPattern = `^[A-Z]{2}$`

// Country matches CountryPattern.
var Country = regexp.MustCompile(CountryPattern)

// TextMax is the most characters of MANGOPAY's free text fields: a
// resource's Tag, a natural user's Occupation, a URL MANGOPAY redirects to
// or calls (SecureModeReturnURL, a hook's Url), a browser's UserAgent, a
// CardHolderName (2 to 255): mangopay-api.md §3.1, §7.3, §8, §16.1;
// mangopay-2026.md §1.2 (a Recipient's Tag). The emulator holds the other
// text fields that MANGOPAY gives no length for (a legal user's Name, a
// wallet's Description, a bank account's OwnerName) to it too, and so
// does the plan's JSON schema.
const TextMax = 255

// euroCountries are the countries whose domestic rail is EUR (SEPA credit
// transfer), the scope of Verification of Payee: the euro area (Bulgaria
// since 2026-01-01) and the microstates that use the euro.
var euroCountries = map[string]bool{"AT": true, "BE": true, "BG": true, "CY": true, "DE": true, "EE": true, "ES": true,
	"FI": true, "FR": true, "GR": true, "HR": true, "IE": true, "IT": true, "LT": true, "LU": true, "LV": true,
	"MC": true, "MT": true, "NL": true, "PT": true, "SI": true, "SK": true, "SM": true, "AD": true, "VA": true}

// localCurrency maps the other countries MANGOPAY reaches by local
// transfer to their domestic currency.
var localCurrency = map[string]string{"GB": "GBP", "US": "USD", "CA": "CAD", "CH": "CHF", "LI": "CHF", "CZ": "CZK",
	"DK": "DKK", "HU": "HUF", "NO": "NOK", "PL": "PLN", "RO": "RON", "SE": "SEK"}

// ibanCurrencies are the currencies whose local account is an IBAN
// ({"<currency>": {"IBAN": ...}}); GBP, USD and CAD have their own fields.
var ibanCurrencies = map[string]bool{"EUR": true, "CHF": true, "CZK": true, "DKK": true, "HUF": true, "NOK": true,
	"PLN": true, "RON": true, "SEK": true}

// LocalTransfer reports whether MANGOPAY offers a LocalBankTransfer of
// currency to an account in country: the country's own currency, or EUR
// in the euro area. InternationalBankTransfer is always offered.
func LocalTransfer(country, currency string) bool {
	return localCurrency[country] == currency || (currency == "EUR" && euroCountries[country])
}

// LocalCurrency is the currency a local transfer to country is in ("" for
// a country MANGOPAY does not reach locally).
func LocalCurrency(country string) string {
	if euroCountries[country] {
		return "EUR"
	}
	return localCurrency[country]
}

// IBANCurrency reports whether a local account in currency is an IBAN.
func IBANCurrency(currency string) bool { return ibanCurrencies[currency] }

// genericLocalParts are email local parts that name a role, not a person.
// MANGOPAY names info@ and hr@; the others are the same kind.
var genericLocalParts = map[string]bool{"info": true, "hr": true, "contact": true, "admin": true, "support": true,
	"sales": true, "office": true, "hello": true, "team": true, "accounts": true, "accounting": true, "billing": true,
	"finance": true, "noreply": true, "no-reply": true, "jobs": true, "careers": true, "marketing": true,
	"help": true, "service": true, "enquiries": true, "mail": true, "postmaster": true, "webmaster": true}

// legalMarkers are words that make a name a company's. MANGOPAY names
// Ltd, GmbH and SAS; the others are the same kind.
var legalMarkers = map[string]bool{"ltd": true, "limited": true, "gmbh": true, "sas": true, "sasu": true, "sarl": true,
	"eurl": true, "llc": true, "inc": true, "plc": true, "corp": true, "srl": true, "spa": true, "bv": true}

// GenericEmail reports whether email is a role address (info@, hr@,
// info+tag@, ...), which MANGOPAY refuses for a natural OWNER since
// 2026-02-19.
func GenericEmail(email string) bool {
	local, _, ok := strings.Cut(email, "@")
	if !ok {
		return false
	}
	local, _, _ = strings.Cut(strings.ToLower(local), "+")
	return genericLocalParts[local]
}

// LegalEntityMarker returns the word of name that marks a company (Ltd,
// GmbH, SAS, ...), which MANGOPAY refuses in a natural OWNER's first and
// last name since 2026-02-19, or "".
func LegalEntityMarker(name string) string {
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if legalMarkers[strings.ToLower(w)] {
			return w
		}
	}
	return ""
}
