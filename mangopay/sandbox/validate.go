package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"settle/internal/apirules"
	"settle/internal/country"
	"settle/mangopay"
)

// Shared validation helpers of the resource handlers.

// fieldErrs collects param_error field messages; the first message for a
// field wins.
type fieldErrs map[string]string

func (f fieldErrs) add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

func (f fieldErrs) required(field string) {
	f.add(field, fmt.Sprintf("The %s field is required.", field))
}

// err is the 400 param_error, or nil when nothing was collected.
func (f fieldErrs) err() *apiError {
	if len(f) == 0 {
		return nil
	}
	return errParam(f)
}

// decodeBody decodes the JSON body into v, mapping type errors to a
// param_error on the offending field.
func (c *call) decodeBody(v any) *apiError {
	err := c.decode(v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return errField(te.Field, fmt.Sprintf("The value is not valid for %s: expected %s.", te.Field, te.Type))
	}
	return errField("Body", "The request body is not valid JSON.")
}

// checkEmail validates an Email: apirules.EmailPattern.
func checkEmail(f fieldErrs, field, v string, required bool) {
	switch {
	case v == "" && required:
		f.required(field)
	case v != "" && !apirules.Email.MatchString(v):
		f.add(field, fmt.Sprintf("The field %s must match the regular expression '%s'.", field, apirules.EmailPattern))
	}
}

// checkLen requires 1..max characters (when required) or at most max.
func checkLen(f fieldErrs, field, v string, required bool, max int) {
	switch {
	case v == "" && required:
		f.required(field)
	case len([]rune(v)) > max:
		f.add(field, fmt.Sprintf("The field %s must be a string with a maximum length of %d.", field, max))
	}
}

// checkCountry validates an alpha-2 code (apirules.CountryPattern, a code
// internal/country knows); blocked adds the restriction check.
func checkCountry(f fieldErrs, field, v string, required, blocked bool) {
	switch {
	case v == "":
		if required {
			f.required(field)
		}
	case !apirules.Country.MatchString(v) || !country.Known(v):
		f.add(field, fmt.Sprintf("The value %s is not valid for %s.", v, field))
	case blocked && country.Blocked(v):
		f.add(field, fmt.Sprintf("The %s used is blocked", field))
	}
}

// checkNationality validates a required nationality: a country code that
// MANGOPAY does not refuse as a nationality (country.BlockedNationality).
func checkNationality(f fieldErrs, field, v string) {
	checkCountry(f, field, v, true, false)
	if country.BlockedNationality(v) {
		f.add(field, "The "+field+" used is blocked")
	}
}

// checkAddress validates an address object: AddressLine1, City and Country
// are required (PostalCode too when postal), Region for US, CA and MX
// (apirules.RegionRequired); each text field has at most
// apirules.AddressFieldMax characters.
func checkAddress(f fieldErrs, prefix string, a mangopay.Address, postal bool) {
	if a.AddressLine1 == "" {
		f.required(prefix + ".AddressLine1")
	}
	if a.City == "" {
		f.required(prefix + ".City")
	}
	if a.PostalCode == "" && postal {
		f.required(prefix + ".PostalCode")
	}
	if a.PostalCode != "" && !apirules.AddressPostalCode.MatchString(string(a.PostalCode)) {
		f.add(prefix+".PostalCode", fmt.Sprintf("The PostalCode may only contain letters, digits, dashes and spaces (%d at most).", apirules.AddressPostalCodeMax))
	}
	checkCountry(f, prefix+".Country", string(a.Country), true, true)
	if a.Region == "" && apirules.RegionRequired(string(a.Country)) {
		f.required(prefix + ".Region")
	}
	for name, v := range map[string]mangopay.NullString{"AddressLine1": a.AddressLine1, "AddressLine2": a.AddressLine2,
		"City": a.City, "Region": a.Region} {
		checkLen(f, prefix+"."+name, string(v), false, apirules.AddressFieldMax)
	}
}

// checkCardHolderName is the error of a CardHolderName (trimmed) that is
// not 2 to apirules.TextMax characters long, or nil (mangopay-api.md §7.3).
func checkCardHolderName(holder string) *apiError {
	if n := len([]rune(holder)); n < 2 || n > apirules.TextMax {
		return errField("CardHolderName", fmt.Sprintf("The field CardHolderName must be between 2 and %d characters long.", apirules.TextMax))
	}
	return nil
}

// normAddress upper-cases the country of an address.
func normAddress(a *mangopay.Address) {
	a.Country = mangopay.NullString(strings.ToUpper(string(a.Country)))
}

// checkMoney validates a Money field: present, a known currency and an
// amount of at least min.
func checkMoney(f fieldErrs, field string, m *mangopay.Money, min int64) {
	switch {
	case m == nil:
		f.required(field)
	case m.Currency == "":
		f.required(field + ".Currency")
	case m.Amount < min:
		f.add(field, fmt.Sprintf("The %s amount must be greater than or equal to %d.", field, min))
	}
}

func setStr(dst *string, src *string) {
	if src != nil {
		*dst = strings.TrimSpace(*src)
	}
}

func setNull(dst *mangopay.NullString, src *string) {
	if src != nil {
		*dst = mangopay.NullString(strings.TrimSpace(*src))
	}
}

func setUpperNull(dst *mangopay.NullString, src *string) {
	if src != nil {
		*dst = mangopay.NullString(strings.ToUpper(strings.TrimSpace(*src)))
	}
}

// setAddress copies an address that was sent, its country upper-cased.
func setAddress(dst *mangopay.Address, src *mangopay.Address) {
	if src != nil {
		*dst = *src
		normAddress(dst)
	}
}

func ptr[T any](v T) *T { return &v }

// OWNER data rules of 2026-02-19, on the create and update of a natural
// OWNER: a personal Email (no role address such as info@ or hr@) and names
// without a legal-entity marker (Ltd, GmbH, SAS), as apirules decides them
// for the plan validator too. MANGOPAY's error body is undocumented; these
// are param_errors on the field.

// checkOwnerIdentity applies the 2026-02-19 rules to a natural OWNER.
func checkOwnerIdentity(f fieldErrs, u *mangopay.NaturalUser) {
	if apirules.GenericEmail(u.Email) {
		f.add("Email", "The Email of an OWNER must be a personal address: generic addresses such as info@ or hr@ are refused.")
	}
	for field, v := range map[string]string{"FirstName": u.FirstName, "LastName": u.LastName} {
		if apirules.LegalEntityMarker(v) != "" {
			f.add(field, fmt.Sprintf("The %s of an OWNER must not contain a legal-entity marker such as Ltd, GmbH or SAS.", field))
		}
	}
}
