package sandbox

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"settle/internal/apirules"
	"settle/internal/checksum"
	"settle/internal/country"
	"settle/mangopay"
)

// The recipient schema. One table of rules (recipientRules) answers
// GET /recipients/schema and checks every POST /users/{id}/recipients and
// .../validate, so that what the schema promises is what create enforces.
// Errors come as MANGOPAY sends them since 2026-05-19: a capitalised
// "Errors" object keyed by dotted paths, INVALID_FORMAT carrying the regex
// ("INVALID_FORMAT. Regex validation: ^\d{8}$").

// Recipient field error values (the documented ones this sandbox emits).
const (
	recRequired        = "REQUIRED"
	recTooLong         = "LENGTH_MORE_THAN_MAX"
	recTooShort        = "LENGTH_LESS_THAN_MIN"
	recInvalidFormat   = "INVALID_FORMAT"
	recNotAllowed      = "NOT_IN_ALLOWED_VALUES"
	recBadCountry      = "UNSUPPORTED_COUNTRY"
	recBadCurrency     = "UNSUPPORTED_CURRENCY"
	recBadMethod       = "UNSUPPORTED_PAYOUT_METHOD_FOR_CURRENCY"
	recInvalidIBAN     = "INVALID_IBAN"
	recUnsupportedIBAN = "UNSUPPORTED_IBAN"
	recInvalidBIC      = "INVALID_BIC"
)

// recipientCurrencies are the currencies a recipient may have (MANGOPAY's enum).
var recipientCurrencies = []string{"AED", "AUD", "CAD", "CHF", "CNH", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "ILS",
	"JPY", "MXN", "NOK", "NZD", "PLN", "RON", "SAR", "SEK", "SGD", "TRY", "USD", "ZAR"}

// payoutMethods are the methods MANGOPAY offers for a currency paid to a
// country: LocalBankTransfer where apirules.LocalTransfer reaches, and
// InternationalBankTransfer always. The error names the field at fault.
func payoutMethods(cur, ctry string) ([]string, map[string]string) {
	switch {
	case !slices.Contains(recipientCurrencies, cur):
		return nil, map[string]string{"Currency": recBadCurrency}
	case !country.Known(ctry) || country.Blocked(ctry):
		return nil, map[string]string{"Country": recBadCountry}
	}
	if apirules.LocalTransfer(ctry, cur) {
		return []string{mangopay.PayoutLocalBankTransfer, mangopay.PayoutInternationalBankTransfer}, nil
	}
	return []string{mangopay.PayoutInternationalBankTransfer}, nil
}

// fieldRule is what the schema says of one field and how create checks it.
// A text field (name, address) follows its apirules.TextRule, the table
// the plan validator reads too; an account field matches re instead.
type fieldRule struct {
	required bool
	min, max int
	text     *apirules.TextRule
	re       string
	allowed  []string
	label    string
}

// textField is the schema's rule of a text field: required when the rule
// needs a character (MinLength 1), else optional.
func textField(t apirules.TextRule, label string) fieldRule {
	return fieldRule{required: t.Min > 0, min: t.Min, max: t.Max, text: &t, label: label}
}

// pattern is the regex the schema shows and INVALID_FORMAT quotes.
func (r fieldRule) pattern() string {
	if r.text != nil {
		return r.text.Pattern()
	}
	return r.re
}

// schemaField is the rule as GET /recipients/schema shows it.
func (r fieldRule) schemaField() mangopay.RecipientSchemaField {
	return mangopay.RecipientSchemaField{Required: r.required, MaxLength: r.max, MinLength: r.min, Pattern: r.pattern(),
		Label: r.label, EndUserDisplay: "Show", AllowedValues: r.allowed}
}

// compiled RE2 patterns of the account rules.
var ruleRes sync.Map // pattern -> *regexp.Regexp

func ruleRe(p string) *regexp.Regexp {
	if re, ok := ruleRes.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(p)
	ruleRes.Store(p, re)
	return re
}

// check returns the error value of v ("" when it passes).
func (r fieldRule) check(v string) string {
	if r.text != nil {
		return r.textError(v)
	}
	n := len([]rune(v))
	switch {
	case v == "":
		if r.required {
			return recRequired
		}
		return ""
	case r.max > 0 && n > r.max:
		return recTooLong
	case n < r.min:
		return recTooShort
	case r.allowed != nil && !slices.Contains(r.allowed, v):
		return recNotAllowed
	case r.re != "" && !ruleRe(r.re).MatchString(v):
		return recInvalidFormat + ". Regex validation: " + r.pattern()
	}
	return ""
}

// textError is the error value of the breach of a text field's rule.
func (r fieldRule) textError(v string) string {
	switch r.text.Breach(v) {
	case apirules.Empty:
		return recRequired
	case apirules.TooShort:
		return recTooShort
	case apirules.TooLong:
		return recTooLong
	case apirules.Forbidden:
		return recInvalidFormat + ". Regex validation: " + r.pattern()
	}
	return ""
}

// addressRules are the rules of a holder's structured Address.
func addressRules(prefix string, into map[string]fieldRule) {
	into[prefix+".AddressLine1"] = textField(apirules.AddressLine1, "Address line 1")
	into[prefix+".AddressLine2"] = textField(apirules.AddressLine2, "Address line 2")
	into[prefix+".City"] = textField(apirules.City, "City")
	into[prefix+".Region"] = textField(apirules.Region, "Region")
	into[prefix+".PostalCode"] = textField(apirules.PostalCode, "Postal code")
	into[prefix+".Country"] = fieldRule{required: true, min: 2, max: 2, re: apirules.CountryPattern, label: "Country"}
}

// recipientRules are the rules of a recipient of this method, type,
// currency and country, by dotted path. The caller has checked the four
// with payoutMethods.
func recipientRules(method, typ, cur, ctry string) map[string]fieldRule {
	r := map[string]fieldRule{
		"DisplayName":      textField(apirules.DisplayName, "Display name"),
		"Tag":              {max: apirules.TextMax, label: "Tag"},
		"PayoutMethodType": {required: true, allowed: []string{mangopay.PayoutLocalBankTransfer, mangopay.PayoutInternationalBankTransfer}},
		"RecipientType":    {required: true, allowed: []string{mangopay.RecipientIndividual, mangopay.RecipientBusiness}},
		"Currency":         {required: true, allowed: recipientCurrencies},
		"Country":          {required: true, min: 2, max: 2, re: apirules.CountryPattern},
		"RecipientScope":   {allowed: []string{mangopay.ScopePayout, mangopay.ScopePayin}},
		"ScaContext":       {allowed: []string{"USER_PRESENT", "USER_NOT_PRESENT"}},
	}
	if typ == mangopay.RecipientBusiness {
		r["BusinessRecipient.BusinessName"] = textField(apirules.BusinessName, "Business name")
		addressRules("BusinessRecipient.Address", r)
	} else {
		r["IndividualRecipient.FirstName"] = textField(apirules.FirstName, "First name")
		r["IndividualRecipient.LastName"] = textField(apirules.LastName, "Last name")
		addressRules("IndividualRecipient.Address", r)
	}
	if method == mangopay.PayoutInternationalBankTransfer {
		r["InternationalBankTransfer.AccountNumber"] = fieldRule{required: true, min: 1, max: 34, re: `^[a-zA-Z0-9 ]{1,34}$`, label: "Account number or IBAN"}
		_, iban := checksum.IBANLength(ctry)
		r["InternationalBankTransfer.BIC"] = fieldRule{required: !iban, re: apirules.BICPattern, label: "BIC"}
		return r
	}
	p := "LocalBankTransfer." + cur + "."
	switch {
	case apirules.IBANCurrency(cur):
		r[p+"IBAN"] = fieldRule{required: true, min: 15, max: 34, re: apirules.IBANPattern, label: "IBAN"}
	case cur == "GBP":
		r[p+"AccountNumber"] = fieldRule{required: true, re: `^\d{8}$`, label: "Account number"}
		r[p+"SortCode"] = fieldRule{required: true, re: `^\d{6}$`, label: "Sort code"}
	case cur == "USD":
		r[p+"AccountNumber"] = fieldRule{required: true, re: `^[a-zA-Z0-9]{8,12}$`, label: "Account number"}
		r[p+"ABA"] = fieldRule{required: true, re: `^\d{9}$`, label: "ABA routing number"}
		r[p+"FFC"] = fieldRule{max: apirules.TextMax, label: "For further credit"}
	case cur == "CAD":
		r[p+"AccountNumber"] = fieldRule{required: true, re: `^\d{7,35}$`, label: "Account number"}
		r[p+"InstitutionNumber"] = fieldRule{required: true, re: `^\d{3}$`, label: "Institution number"}
		r[p+"BranchCode"] = fieldRule{required: true, re: `^\d{5}$`, label: "Branch code"}
		r[p+"BankName"] = fieldRule{required: true, min: 1, max: 50, label: "Bank name"}
	}
	return r
}

// recipientReq is the body of POST /users/{id}/recipients[/validate].
type recipientReq struct {
	DisplayName               string
	PayoutMethodType          string
	RecipientType             string
	Currency                  string
	Country                   string
	RecipientScope            string
	ScaContext                string
	Tag                       string
	IndividualRecipient       *mangopay.IndividualRecipient
	BusinessRecipient         *mangopay.BusinessRecipient
	LocalBankTransfer         map[string]mangopay.LocalBankAccount
	InternationalBankTransfer *mangopay.InternationalBankTransfer
}

// values flattens the request by dotted path, as the rules name fields.
func (q *recipientReq) values() map[string]string {
	v := map[string]string{"DisplayName": q.DisplayName, "PayoutMethodType": q.PayoutMethodType,
		"RecipientType": q.RecipientType, "Currency": q.Currency, "Country": q.Country,
		"RecipientScope": q.RecipientScope, "ScaContext": q.ScaContext, "Tag": q.Tag}
	addr := func(p string, a *mangopay.AddressParams) {
		if a == nil {
			return
		}
		v[p+".AddressLine1"], v[p+".AddressLine2"], v[p+".City"] = a.AddressLine1, a.AddressLine2, a.City
		v[p+".Region"], v[p+".PostalCode"], v[p+".Country"] = a.Region, a.PostalCode, a.Country
	}
	if i := q.IndividualRecipient; i != nil {
		v["IndividualRecipient.FirstName"], v["IndividualRecipient.LastName"] = i.FirstName, i.LastName
		addr("IndividualRecipient.Address", i.Address)
	}
	if b := q.BusinessRecipient; b != nil {
		v["BusinessRecipient.BusinessName"] = b.BusinessName
		addr("BusinessRecipient.Address", b.Address)
	}
	for cur, a := range q.LocalBankTransfer {
		p := "LocalBankTransfer." + cur + "."
		v[p+"IBAN"], v[p+"AccountNumber"], v[p+"SortCode"], v[p+"ABA"] = a.IBAN, a.AccountNumber, a.SortCode, a.ABA
		v[p+"FFC"], v[p+"InstitutionNumber"], v[p+"BranchCode"], v[p+"BankName"] = a.FFC, a.InstitutionNumber, a.BranchCode, a.BankName
	}
	if i := q.InternationalBankTransfer; i != nil {
		v["InternationalBankTransfer.AccountNumber"], v["InternationalBankTransfer.BIC"] = i.AccountNumber, i.BIC
	}
	return v
}

// normalize trims the request and upper-cases its codes.
func (q *recipientReq) normalize() {
	for _, p := range []*string{&q.DisplayName, &q.PayoutMethodType, &q.RecipientType, &q.Tag} {
		*p = strings.TrimSpace(*p)
	}
	for _, p := range []*string{&q.Currency, &q.Country, &q.RecipientScope, &q.ScaContext} {
		*p = strings.ToUpper(strings.TrimSpace(*p))
	}
	if a := q.holderAddress(); a != nil {
		a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	}
	if q.RecipientScope == "" {
		q.RecipientScope = mangopay.ScopePayout
	}
}

// holderAddress is the Address of the holder block sent, nil without one.
func (q *recipientReq) holderAddress() *mangopay.AddressParams {
	switch {
	case q.IndividualRecipient != nil:
		return q.IndividualRecipient.Address
	case q.BusinessRecipient != nil:
		return q.BusinessRecipient.Address
	}
	return nil
}

// checkSelectors checks the four fields that choose a schema: present, a
// currency and a country MANGOPAY pays to, a known RecipientType and a
// PayoutMethodType offered for them. Empty, recipientRules applies.
func (q *recipientReq) checkSelectors() map[string]string {
	errs := map[string]string{}
	for path, v := range map[string]string{"PayoutMethodType": q.PayoutMethodType, "RecipientType": q.RecipientType,
		"Currency": q.Currency, "Country": q.Country} {
		if v == "" {
			errs[path] = recRequired
		}
	}
	if len(errs) > 0 {
		return errs
	}
	methods, bad := payoutMethods(q.Currency, q.Country)
	if bad != nil {
		return bad
	}
	if q.RecipientType != mangopay.RecipientIndividual && q.RecipientType != mangopay.RecipientBusiness {
		errs["RecipientType"] = recNotAllowed
	}
	switch {
	case q.PayoutMethodType != mangopay.PayoutLocalBankTransfer && q.PayoutMethodType != mangopay.PayoutInternationalBankTransfer:
		errs["PayoutMethodType"] = recNotAllowed
	case !slices.Contains(methods, q.PayoutMethodType):
		errs["PayoutMethodType"] = recBadMethod
	}
	return errs
}

// check applies the schema to the request: the Errors by dotted path,
// empty when the recipient may be created.
func (q *recipientReq) check() map[string]string {
	if errs := q.checkSelectors(); len(errs) > 0 {
		return errs
	}
	errs := map[string]string{}
	vals := q.values()
	for path, rule := range recipientRules(q.PayoutMethodType, q.RecipientType, q.Currency, q.Country) {
		if e := rule.check(vals[path]); e != "" {
			errs[path] = e
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if a := q.holderAddress(); a != nil && (!country.Known(a.Country) || country.Blocked(a.Country)) {
		errs[holderBlock(q.RecipientType)+".Address.Country"] = recBadCountry
	}
	q.checkAccount(errs)
	return errs
}

// holderBlock is the name of the holder block of a recipient type.
func holderBlock(typ string) string {
	if typ == mangopay.RecipientBusiness {
		return "BusinessRecipient"
	}
	return "IndividualRecipient"
}

// checkAccount checks an IBAN's checksum and country and a BIC's shape,
// beyond the schema's patterns.
func (q *recipientReq) checkAccount(errs map[string]string) {
	path, iban := q.ibanField()
	if iban == "" {
		return
	}
	switch iban = normIBAN(iban); {
	case !validIBAN(iban):
		errs[path] = recInvalidIBAN
	case country.Blocked(iban[:2]):
		errs[path] = recUnsupportedIBAN
	}
	if i := q.InternationalBankTransfer; i != nil && i.BIC != "" && !validBIC(i.BIC) {
		errs["InternationalBankTransfer.BIC"] = recInvalidBIC
	}
}

// ibanField is the path and value of the recipient's IBAN, if it has one:
// a local IBAN, or an international AccountNumber in an IBAN country.
func (q *recipientReq) ibanField() (string, string) {
	if q.PayoutMethodType == mangopay.PayoutLocalBankTransfer {
		if apirules.IBANCurrency(q.Currency) {
			return "LocalBankTransfer." + q.Currency + ".IBAN", q.LocalBankTransfer[q.Currency].IBAN
		}
		return "", ""
	}
	if _, iban := checksum.IBANLength(q.Country); iban && q.InternationalBankTransfer != nil {
		return "InternationalBankTransfer.AccountNumber", q.InternationalBankTransfer.AccountNumber
	}
	return "", ""
}
