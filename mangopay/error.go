package mangopay

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Error types MANGOPAY sends in the Type field of an error body.
const (
	TypeParamError                 = "param_error"
	TypeNotFound                   = "ressource_not_found"
	TypeInvalidCredentials         = "invalid_credentials"
	TypeIdempotentCreationConflict = "idempotent_creation_conflict"
	TypeRateLimit                  = "rate_limit"
	TypeCorrelationIDNotFound      = "correlationid_not_found"
)

// Sentinel errors for errors.Is. A [*Error] matches them by HTTP status
// and Type; see [Error.Is].
var (
	// ErrNotFound matches a 404 (ressource_not_found).
	ErrNotFound = errors.New("mangopay: not found")
	// ErrParam matches a 400 param_error.
	ErrParam = errors.New("mangopay: parameter error")
	// ErrIdempotencyConflict matches a 409 idempotent_creation_conflict.
	ErrIdempotencyConflict = errors.New("mangopay: idempotency key already used")
	// ErrRateLimit matches a 429 rate_limit.
	ErrRateLimit = errors.New("mangopay: rate limit exceeded")
	// ErrAuth matches a 401 and the OAuth token endpoint's errors.
	ErrAuth = errors.New("mangopay: authentication failed")
)

// Error is an error answer of the MANGOPAY API (any non-2xx status). Its
// fields mirror the error body {"Message","Type","Id","Date","errors"}; the
// OAuth endpoint's {"error","error_description"} lands in Type and Message.
//
// A transaction that fails functionally (HTTP 200 with Status FAILED) is not
// an Error: it is returned as the object, carrying its ResultCode.
type Error struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int `json:"-"`
	// Type is MANGOPAY's error kind, e.g. "param_error".
	Type string `json:"Type"`
	// Message is the human-readable message.
	Message string `json:"Message"`
	// ID identifies the error at MANGOPAY ("uuid#unix"); empty on a 401.
	ID string `json:"Id"`
	// Date is when the error happened, Unix seconds (sent as int or float).
	Date int64 `json:"Date"`
	// Errors maps field names to messages; nil when the body had none.
	// Recipient validation keys them by dotted path
	// ("LocalBankTransfer.GBP.AccountNumber"); see [Error.FieldErrors].
	Errors map[string]string `json:"errors"`
	// RedirectURL is where the user completes SCA, for a 401 that asks for
	// it (errors.Is(err, [ErrSCARequired])).
	RedirectURL string `json:"-"`
	// Hint says what the operator must do, for the refusals of access
	// ([ErrSCARequired], [ErrProxyConsent], [ErrIPNotAllowed]).
	Hint string `json:"-"`

	access error // the sentinel of an access refusal, nil otherwise
}

// Error prints one line: "mangopay: 400 param_error: <Message> (id <Id>)",
// then the field errors sorted by field name, then for an access refusal
// the redirect URL and what to do.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mangopay: %d", e.StatusCode)
	if e.Type != "" {
		b.WriteString(" " + e.Type)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.ID != "" {
		b.WriteString(" (id " + e.ID + ")")
	}
	keys := make([]string, 0, len(e.Errors))
	for k := range e.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep + k + ": " + e.Errors[k])
	}
	if e.RedirectURL != "" {
		b.WriteString(" (redirect " + e.RedirectURL + ")")
	}
	if e.Hint != "" {
		b.WriteString(": " + e.Hint)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and the other sentinels work.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == 404 || e.Type == TypeNotFound
	case ErrParam:
		return e.Type == TypeParamError
	case ErrIdempotencyConflict:
		return e.StatusCode == 409 || e.Type == TypeIdempotentCreationConflict
	case ErrRateLimit:
		return e.StatusCode == 429 || e.Type == TypeRateLimit
	case ErrAuth:
		if e.access == ErrSCARequired {
			return false
		}
		return e.StatusCode == 401 || e.Type == TypeInvalidCredentials || isOAuthErrorType(e.Type)
	case ErrSCARequired, ErrProxyConsent, ErrIPNotAllowed:
		return e.access == target
	}
	return false
}

// isOAuthErrorType reports the error codes of RFC 6749 §5.2 that the token
// endpoint answers with.
func isOAuthErrorType(t string) bool {
	switch t {
	case "invalid_client", "unauthorized_client", "invalid_grant", "invalid_request", "unsupported_grant_type":
		return true
	}
	return false
}

// errorWire is every shape an error body comes in. encoding/json matches
// keys without regard to case, so "errors" and "Errors" both land in Errors.
type errorWire struct {
	Type             string          `json:"Type"`
	Message          string          `json:"Message"`
	ID               string          `json:"Id"`
	Date             json.RawMessage `json:"Date"`
	Errors           json.RawMessage `json:"errors"`
	OAuthError       string          `json:"error"`
	OAuthDescription string          `json:"error_description"`
}

// UnmarshalJSON decodes any MANGOPAY error body: Date as an int or a float,
// errors or Errors, non-string field values (kept as their JSON text), null.
func (e *Error) UnmarshalJSON(b []byte) error {
	var w errorWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	status := e.StatusCode
	*e = Error{StatusCode: status, Type: w.Type, Message: w.Message, ID: w.ID}
	if e.Type == "" {
		e.Type = w.OAuthError
	}
	if e.Message == "" {
		e.Message = w.OAuthDescription
	}
	e.Date = decodeDate(w.Date)
	e.Errors = decodeFieldErrors(w.Errors)
	return nil
}

// decodeDate reads an int, a float or a numeric string; anything else is 0.
func decodeDate(raw json.RawMessage) int64 {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return int64(f)
}

// decodeFieldErrors reads a string→string map, keeping non-string values
// as their JSON text; null, {} and anything that is not an object give nil.
func decodeFieldErrors(raw json.RawMessage) map[string]string {
	var m map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
			continue
		}
		out[k] = string(v)
	}
	return out
}

// newError builds the Error for a non-2xx answer. A body that is not JSON
// (a proxy's HTML page) still gives an Error, with the status text as Message.
func newError(status int, body []byte) *Error {
	e := &Error{StatusCode: status}
	if len(strings.TrimSpace(string(body))) > 0 && json.Unmarshal(body, e) == nil {
		e.StatusCode = status
		return e
	}
	e.Message = http.StatusText(status)
	return e
}

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
