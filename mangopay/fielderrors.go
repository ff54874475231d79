package mangopay

import (
	"sort"
	"strings"
)

// Codes of the field errors of recipient validation and creation. Since
// 2026-05-19 a value may carry more after the code, e.g.
// "INVALID_FORMAT. Regex validation: ^\d{8}$", so compare
// [FieldError.Code], never the raw message.
const (
	FieldRequired                        = "REQUIRED"
	FieldLengthMoreThanMax               = "LENGTH_MORE_THAN_MAX"
	FieldLengthLessThanMin               = "LENGTH_LESS_THAN_MIN"
	FieldInvalidFormat                   = "INVALID_FORMAT"
	FieldNotInAllowedValues              = "NOT_IN_ALLOWED_VALUES"
	FieldUnsupportedCountry              = "UNSUPPORTED_COUNTRY"
	FieldUnsupportedCurrency             = "UNSUPPORTED_CURRENCY"
	FieldUnsupportedPayoutMethod         = "UNSUPPORTED_PAYOUT_METHOD_FOR_CURRENCY"
	FieldClientNotFound                  = "CLIENT_NOT_FOUND"
	FieldUserNotFound                    = "USER_NOT_FOUND"
	FieldInvalidSortCode                 = "INVALID_SORT_CODE"
	FieldInvalidAccountNumber            = "INVALID_ACCOUNT_NUMBER"
	FieldInvalidIBAN                     = "INVALID_IBAN"
	FieldInvalidBIC                      = "INVALID_BIC"
	FieldBICNotOfAccountCountry          = "BIC_DOES_NOT_CORRESPOND_TO_ACCOUNT_COUNTRY"
	FieldUnsupportedIBAN                 = "UNSUPPORTED_IBAN"
	FieldInvalidAccountNumberAndSortCode = "INVALID_ACCOUNT_NUMBER_AND_SORT_CODE_COMBINATION"
)

// FieldError is one entry of an error body's Errors, read.
type FieldError struct {
	// Field is the key: a dotted path for recipients
	// ("IndividualRecipient.Address.PostalCode"), "SCA" for an SCA refusal.
	Field string
	// Code is the value's leading code (one of the Field* constants, or an
	// SCA error code such as KAR_0042); "" when the value is free text.
	Code string
	// Detail is what follows the code, e.g. "Regex validation: ^\d{8}$";
	// the whole value when there is no code.
	Detail string
	// Regex is the pattern an INVALID_FORMAT value names, "" otherwise.
	Regex string
}

// FieldErrors returns the body's field errors, sorted by field.
func (e *Error) FieldErrors() []FieldError {
	out := make([]FieldError, 0, len(e.Errors))
	for k, v := range e.Errors {
		out = append(out, ParseFieldError(k, v))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// FieldError returns the error of one field, if the body has one.
func (e *Error) FieldError(field string) (FieldError, bool) {
	v, ok := e.Errors[field]
	if !ok {
		return FieldError{}, false
	}
	return ParseFieldError(field, v), true
}

// ParseFieldError reads one value of Errors: a code made of capitals,
// digits and underscores (two characters or more) ending the value or
// followed by "." or a space, then the detail.
func ParseFieldError(field, value string) FieldError {
	f := FieldError{Field: field, Detail: strings.TrimSpace(value)}
	v := f.Detail
	n := 0
	for n < len(v) && (v[n] == '_' || (v[n] >= 'A' && v[n] <= 'Z') || (v[n] >= '0' && v[n] <= '9')) {
		n++
	}
	if n < 2 || (n < len(v) && v[n] != '.' && v[n] != ' ') {
		return f
	}
	f.Code = v[:n]
	f.Detail = strings.TrimSpace(strings.TrimPrefix(v[n:], "."))
	if rx, ok := strings.CutPrefix(f.Detail, "Regex validation:"); ok && f.Code == FieldInvalidFormat {
		f.Regex = strings.TrimSpace(rx)
	}
	return f
}
