package executor

import (
	"regexp"
	"strings"

	"settle/internal/mask"
)

var (
	ibanRE = regexp.MustCompile(`\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\b`)
	panRE  = regexp.MustCompile(`\b[0-9]{13,19}\b`)
)

// MaskIBAN keeps an IBAN's first four and last four characters:
// FR7630004000031234567890143 becomes FR76*******************0143.
// The rule is internal/mask's, which the sandbox's dashboard shares.
func MaskIBAN(iban string) string { return mask.IBAN(iban) }

// maskText masks every IBAN and every card-number-like digit run in s.
func maskText(s string) string {
	if s == "" {
		return s
	}
	s = ibanRE.ReplaceAllStringFunc(s, MaskIBAN)
	return panRE.ReplaceAllStringFunc(s, func(d string) string {
		return d[:6] + strings.Repeat("X", len(d)-10) + d[len(d)-4:]
	})
}

// masked returns r with IBANs and card numbers masked in its free text.
func (r Record) masked() Record {
	r.ResultMessage = maskText(r.ResultMessage)
	r.Error = maskText(r.Error)
	r.Status = maskText(r.Status)
	return r
}
