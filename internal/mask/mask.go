// Package mask holds the one masking rule for bank details that settle
// shows to people: the journal and report (executor), the head comment of
// an imported plan (campaignimport) and the sandbox's dashboard print
// IBANs through it. It imports nothing of settle's, so
// every package may use it.
package mask

import "strings"

// IBAN keeps an IBAN's first four and last four characters, spaces
// removed: FR7630004000031234567890143 becomes FR76*******************0143.
// Eight characters or fewer are all masked.
func IBAN(iban string) string {
	s := strings.ReplaceAll(iban, " ", "")
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}
