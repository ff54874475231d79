package apirules

import (
	"regexp"
	"slices"
)

// The rules of a user's own fields (POST /users/natural, /users/legal and
// their /sca/ twins): mangopay-api.md §3.1, §3.3.

// EmailPattern is the form of a user's Email (and a legal
// representative's). MANGOPAY refuses an Email that does not "match an
// email regex", quoting the pattern in its param_error ("The field Email
// must match the regular expression '...'", mangopay-api.md §3.1) but
// documenting none: this one asks for a local part, an @ and a domain
// with a dot, none of them with spaces or a second @.
const EmailPattern = `^[^@\s]+@[^@\s]+\.[^@\s]+$`

// Email matches EmailPattern.
var Email = regexp.MustCompile(EmailPattern)

// UserNameMax is the most characters of a natural user's FirstName and
// LastName ("string 1–100", mangopay-api.md §3.1), which the emulator
// applies to a legal representative's names too. A Recipient's holder
// names have the recipient schema's rule ([FirstName], [LastName]).
const UserNameMax = 100

// IncomeRangeMin and IncomeRangeMax bound a natural OWNER's IncomeRange,
// a bracket from 1 to 6 ("int 1–6 or null", mangopay-api.md §3.1).
const (
	IncomeRangeMin = 1
	IncomeRangeMax = 6
)

// legalPersonTypes are the kinds of legal user, in the order MANGOPAY
// names them.
var legalPersonTypes = []string{"BUSINESS", "PARTNERSHIP", "ORGANIZATION", "SOLETRADER"}

// LegalPersonTypes returns the values of a legal user's LegalPersonType
// (mangopay-api.md §3.3), in a slice of the caller's own.
func LegalPersonTypes() []string { return slices.Clone(legalPersonTypes) }

// IsLegalPersonType reports whether t is one of [LegalPersonTypes].
func IsLegalPersonType(t string) bool { return slices.Contains(legalPersonTypes, t) }
