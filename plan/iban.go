package plan

import (
	"fmt"

	"settle/internal/checksum"
)

// checkIBAN checks an IBAN (capitals and digits, as the schema ensures):
// known country, the country's length, and the ISO 13616 mod-97 checksum.
// It returns "" when the IBAN is valid, or what is wrong.
func checkIBAN(iban string) string {
	if len(iban) < 4 {
		return "is too short to be an IBAN"
	}
	country := iban[:2]
	want, ok := checksum.IBANLength(country)
	if !ok {
		return fmt.Sprintf("%q is not a country that uses IBANs", country)
	}
	if len(iban) != want {
		return fmt.Sprintf("%s IBANs have %d characters, this one has %d", country, want, len(iban))
	}
	if checksum.IBANMod97(iban) != 1 {
		return "the IBAN's check digits are wrong: a character is mistyped"
	}
	return ""
}
