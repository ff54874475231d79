package mangopay

import (
	"encoding/json"
	"strconv"
	"strings"
)

// This file holds the wire types that several resources share. Each
// resource's own types (the object MANGOPAY returns and the params of its
// calls) live with its service, in the resource's file. Both the client and
// the embedded sandbox (package sandbox) use them. Field names and JSON types
// follow shared/mangopay-api.md exactly. Response objects marshal empty
// nullable strings as null, as MANGOPAY does; request parameter types omit
// what is unset.

// NullString is a string that is null on the wire when empty.
type NullString string

// MarshalJSON writes null for the empty string.
func (s NullString) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// UnmarshalJSON reads null as the empty string.
func (s *NullString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = NullString(v)
	return nil
}

// FlexInt is an integer that is also accepted as a JSON string ("6", "+60"),
// because the official SDKs send IncomeRange and TimeZoneOffset either way.
type FlexInt int64

// UnmarshalJSON accepts a number, a numeric string or null.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*n = 0
		return nil
	}
	s = strings.Trim(s, `"`)
	s = strings.TrimPrefix(s, "+")
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return err
		}
		v = int64(f)
	}
	*n = FlexInt(v)
	return nil
}

// Money is an amount in the currency's minor unit.
type Money struct {
	Currency string `json:"Currency"`
	Amount   int64  `json:"Amount"`
}

// Address is MANGOPAY's postal address. Every field is null on the wire when
// empty, and responses always carry the object.
type Address struct {
	AddressLine1 NullString `json:"AddressLine1"`
	AddressLine2 NullString `json:"AddressLine2"`
	City         NullString `json:"City"`
	Region       NullString `json:"Region"`
	PostalCode   NullString `json:"PostalCode"`
	Country      NullString `json:"Country"`
}

// IsZero reports whether no field of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// Statuses and the result code every transaction carries.
const (
	StatusCreated   = "CREATED"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"

	ResultSuccess = "000000"
)

// Each POST's params type (<Resource><Verb>Params, in the resource's file)
// embeds [Params] so a caller can set the Idempotency-Key that makes the
// call safe to retry. Fields that are unset are left out of the request
// body.

// Params holds what a POST may carry besides its body.
type Params struct {
	// IdempotencyKey is sent as the Idempotency-Key header of a POST: 16
	// to 36 characters of [A-Za-z0-9-]. A POST without one is not retried
	// after a transport error or a 5xx. PUTs (the Update methods, which
	// share NaturalUserParams and LegalUserParams with the creates) do not
	// send it.
	IdempotencyKey string `json:"-"`
}

// Bool returns a pointer to b, for optional boolean fields.
func Bool(b bool) *bool { return &b }

// Int64 returns a pointer to n, for optional integer fields.
func Int64(n int64) *int64 { return &n }

// AddressParams is an address in a request.
type AddressParams struct {
	AddressLine1 string `json:"AddressLine1,omitempty"`
	AddressLine2 string `json:"AddressLine2,omitempty"`
	City         string `json:"City,omitempty"`
	Region       string `json:"Region,omitempty"`
	PostalCode   string `json:"PostalCode,omitempty"`
	Country      string `json:"Country,omitempty"`
}
