package sandbox

import (
	"strings"

	"settle/mangopay"
)

// Verification of Payee, as MANGOPAY's sandbox answers it (mangopay-2026.md
// §2): EUR LocalBankTransfer recipients to a SEPA country are checked
// against a small test table of IBANs and holder names; any other pair is
// MATCH_NOT_POSSIBLE with a null RecipientVerificationId.

// vopTest is one IBAN of the test table: the name that matches, the one
// that closely matches, or a fixed MATCH_NOT_POSSIBLE (withID tells
// whether it carries a verification Id).
type vopTest struct {
	match, close string
	notPossible  bool
	withID       bool
}

var vopTable = map[string]vopTest{
	"FR7630001007941234567890185": {match: "EuroCorp", close: "EuroCarp"},
	"DE75512108001245126199":      {match: "John Doe", close: "John Dae"},
	"FR1420041010050500013M02606": {notPossible: true, withID: true},
	"FR7630006000011234567890189": {notPossible: true},
}

// vopBICs are the BICs MANGOPAY's examples derive from the test IBANs.
var vopBICs = map[string]string{"DE75512108001245126199": "SOGEDEFFXXX"}

// VOP messages (MANGOPAY's first sentence; the rest is this sandbox's).
const (
	msgVOPMatch       = "Account name fully matches account identifier."
	msgVOPCloseMatch  = "Account name partially matches account identifier. Name returned by check: %s. Payment made to this account may not reach its intended counterparty."
	msgVOPNoMatch     = "Account name does not match account identifier. Payment made to this account may not reach its intended counterparty."
	msgVOPNotPossible = "Account name could not be verified. Payment made to this account may not reach its intended counterparty."
)

// verifyPayee checks an IBAN and holder name; testData reports that the
// IBAN is one of the test table's.
func verifyPayee(iban, name string) (v *mangopay.RecipientVerificationOfPayee, testData bool) {
	t, ok := vopTable[normIBAN(iban)]
	switch {
	case !ok:
		return vopResult(mangopay.VOPMatchNotPossible, "", false), false
	case t.notPossible:
		return vopResult(mangopay.VOPMatchNotPossible, "", t.withID), true
	case sameName(name, t.match):
		return vopResult(mangopay.VOPMatch, "", true), true
	case sameName(name, t.close):
		return vopResult(mangopay.VOPCloseMatch, t.match, true), true
	}
	return vopResult(mangopay.VOPNoMatch, "", true), true
}

// vopResult builds a VOP object; returned is the name the bank returned
// (CLOSE_MATCH).
func vopResult(check, returned string, withID bool) *mangopay.RecipientVerificationOfPayee {
	v := &mangopay.RecipientVerificationOfPayee{RecipientVerificationCheck: check}
	switch check {
	case mangopay.VOPMatch:
		v.RecipientVerificationMessage = msgVOPMatch
	case mangopay.VOPCloseMatch:
		v.RecipientVerificationMessage = strings.Replace(msgVOPCloseMatch, "%s", returned, 1)
	case mangopay.VOPNoMatch:
		v.RecipientVerificationMessage = msgVOPNoMatch
	default:
		v.RecipientVerificationMessage = msgVOPNotPossible
	}
	if withID {
		h := randomHex(16)
		v.RecipientVerificationId = mangopay.NullString(h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:])
	}
	return v
}

// sameName compares holder names ignoring case and repeated spaces.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}
