package sandbox

import (
	"regexp"
	"strings"

	"settle/internal/apirules"
	"settle/internal/checksum"
)

// normIBAN removes spaces and upper-cases.
func normIBAN(v string) string {
	return strings.ToUpper(strings.Join(strings.Fields(v), ""))
}

// validIBAN checks the country length and the mod-97 checksum of a
// normalized IBAN, with the same rules as the plan validator.
func validIBAN(iban string) bool { return checksum.ValidIBAN(iban) }

var bicRe = regexp.MustCompile(apirules.BICPattern)

// validBIC checks the BIC8/BIC11 shape.
func validBIC(bic string) bool { return bicRe.MatchString(bic) }
