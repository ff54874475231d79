// Package checksum checks the check digits of payment identifiers: IBANs
// (ISO 13616: per-country length and the mod-97 checksum) and card numbers
// (Luhn). The plan validator and the embedded sandbox both use it, so a plan
// that validates is never refused by the sandbox for an IBAN or a card
// number, and the per-country table exists once.
package checksum

import (
	"fmt"
	"sort"
)

// ibanLengths is the length of an IBAN per country (SWIFT IBAN registry).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
	"MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
	"NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
	"SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// IBANLength returns the length of the IBANs of a country (two capitals),
// and false for a country that has no IBAN.
func IBANLength(country string) (int, bool) {
	n, ok := ibanLengths[country]
	return n, ok
}

// IBANCountries returns the countries that have IBANs, sorted.
func IBANCountries() []string {
	cs := make([]string, 0, len(ibanLengths))
	for c := range ibanLengths {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	return cs
}

// IBANMod97 moves the first four characters of an IBAN (capitals and
// digits) to the end, reads letters as numbers (A=10 ... Z=35) and returns
// the remainder modulo 97: 1 for valid check digits. It returns -1 when the
// IBAN is shorter than 4 characters or holds another character.
func IBANMod97(iban string) int {
	if len(iban) < 4 {
		return -1
	}
	s := iban[4:] + iban[:4]
	rem := 0
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			rem = (rem*10 + int(ch-'0')) % 97
		case ch >= 'A' && ch <= 'Z':
			rem = (rem*100 + int(ch-'A') + 10) % 97
		default:
			return -1
		}
	}
	return rem
}

// IBANProblem returns what is wrong with an IBAN (capitals and digits,
// no spaces), or "" when it is valid: a known country, the country's
// length, check digits that are digits, and the ISO 13616 mod-97 checksum.
func IBANProblem(iban string) string {
	if len(iban) < 4 {
		return "is too short to be an IBAN"
	}
	country := iban[:2]
	want, ok := ibanLengths[country]
	if !ok {
		return fmt.Sprintf("%q is not a country that uses IBANs", country)
	}
	if len(iban) != want {
		return fmt.Sprintf("%s IBANs have %d characters, this one has %d", country, want, len(iban))
	}
	if iban[2] < '0' || iban[2] > '9' || iban[3] < '0' || iban[3] > '9' {
		return "the IBAN's 3rd and 4th characters are its check digits: they must be digits"
	}
	if IBANMod97(iban) != 1 {
		return "the IBAN's check digits are wrong: a character is mistyped"
	}
	return ""
}

// ValidIBAN reports whether an IBAN (capitals and digits, no spaces) has a
// known country, that country's length and valid check digits
// ([IBANProblem] says what is wrong otherwise).
func ValidIBAN(iban string) bool { return IBANProblem(iban) == "" }

// Luhn reports whether a card number (digits only) passes the Luhn check.
func Luhn(number string) bool {
	sum, double := 0, false
	for i := len(number) - 1; i >= 0; i-- {
		ch := number[i]
		if ch < '0' || ch > '9' {
			return false
		}
		d := int(ch - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return len(number) > 0 && sum%10 == 0
}
