package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"settle/plan"
)

// The plan validator and the emulator apply MANGOPAY's data rules from one
// table (internal/apirules). TestPlanAndEmulatorAgree holds them to it:
// for each rule, a value both accept and values both refuse, given once
// to `settle validate` (plan.Parse) and once to the emulator's
// POST /users/{id}/recipients/validate or POST /users/natural. Where the
// plan reads a rule from its JSON schema (the BIC's pattern, the display
// name's length), TestSchemaAgreesWithAPIRules in plan holds the schema's
// text to apirules.

// planAt is a plan with one natural owner and one bank account registered
// as a Recipient; set replaces its values by name: the owner's email,
// first_name and last_name, the account's iban and bic, its owner_address
// fields (line1, ..., address_country) and its recipient.<field>
// overrides.
func planAt(set map[string]string) string {
	f := map[string]string{"email": "ines.moreau@example.org", "first_name": "Ines", "last_name": "Moreau",
		"iban": "DE75512108001245126199", "line1": "Oranienburger Str 87", "city": "Berlin", "postal_code": "10178",
		"address_country": "DE"}
	for k, v := range set {
		f[k] = v
	}
	q := func(k string) string {
		b, _ := json.Marshal(f[k])
		return string(b)
	}
	var rec, addr []string
	for _, k := range []string{"type", "display_name", "currency", "payout_method", "first_name", "last_name", "business_name"} {
		if v, ok := f["recipient."+k]; ok {
			b, _ := json.Marshal(v)
			rec = append(rec, k+": "+string(b))
		}
	}
	for _, k := range []string{"line1", "line2", "city", "region", "postal_code"} {
		if _, ok := f[k]; ok {
			addr = append(addr, k+": "+q(k))
		}
	}
	addr = append(addr, "country: "+q("address_country"))
	bic := ""
	if _, ok := f["bic"]; ok {
		bic = "\n    bic: " + q("bic")
	}
	recipient := ""
	if len(rec) > 0 {
		recipient = "\n    recipient: {" + strings.Join(rec, ", ") + "}"
	}
	return fmt.Sprintf(`version: 1
name: rules
currency: EUR
users:
  ines:
    type: natural
    category: owner
    first_name: %s
    last_name: %s
    email: %s
    birthday: 1985-04-02
    nationality: FR
    country_of_residence: FR
    address: {line1: 3 rue Haute, city: Paris, postal_code: "75004", country: FR}
    terms_accepted: true
wallets:
  ines: {owner: ines}
bank_accounts:
  ines-account:
    owner: ines
    iban: %s%s
    owner_address: {%s}%s
`, q("first_name"), q("last_name"), q("email"), q("iban"), bic, strings.Join(addr, ", "), recipient)
}

// ruleCase is one rule's value: plan holds the plan's values by name, api
// the request's by dotted path (a recipient, or the natural OWNER when
// user), and field is where the emulator reports a refusal.
type ruleCase struct {
	name  string
	plan  map[string]string
	api   []any
	user  bool
	field string // "" when both accept
}

// textCases are the cases of one text field of the recipient, a value
// accepted and values refused.
func textCases(name, planKey, apiPath string, ok string, bad ...string) []ruleCase {
	label := func(v string) string {
		if n := len([]rune(v)); n > 30 {
			return fmt.Sprintf("%s %d characters", name, n)
		}
		return name + " " + v
	}
	out := []ruleCase{{name: label(ok), plan: map[string]string{planKey: ok}, api: []any{apiPath, ok}}}
	for _, v := range bad {
		out = append(out, ruleCase{name: label(v), plan: map[string]string{planKey: v}, api: []any{apiPath, v}, field: apiPath})
	}
	return out
}

func TestPlanAndEmulatorAgree(t *testing.T) {
	business := func(name string) map[string]string {
		return map[string]string{"recipient.type": "business", "recipient.business_name": name}
	}
	businessAPI := func(name string) []any {
		return []any{"RecipientType", "Business", "IndividualRecipient", nil, "BusinessRecipient", map[string]any{"BusinessName": name,
			"Address": map[string]any{"AddressLine1": "Oranienburger Str 87", "City": "Berlin", "PostalCode": "10178", "Country": "DE"}}}
	}
	// local is a LocalBankTransfer of currency to an IBAN.
	local := func(iban, currency string) ([]any, map[string]string) {
		return []any{"Currency", currency, "Country", iban[:2], "LocalBankTransfer", map[string]any{currency: map[string]any{"IBAN": iban}}},
			map[string]string{"iban": iban, "recipient.currency": currency, "recipient.payout_method": "local_bank_transfer"}
	}
	// international is an InternationalBankTransfer to the German IBAN
	// with a BIC.
	international := func(name, bic string, ok bool) ruleCase {
		c := ruleCase{name: name, plan: map[string]string{"bic": bic, "recipient.payout_method": "international_bank_transfer"},
			api: []any{"PayoutMethodType", "InternationalBankTransfer", "LocalBankTransfer", nil,
				"InternationalBankTransfer", map[string]any{"AccountNumber": "DE75512108001245126199", "BIC": bic}}}
		if !ok {
			c.field = "InternationalBankTransfer.BIC"
		}
		return c
	}
	localCase := func(name, iban, currency string, ok bool) ruleCase {
		api, p := local(iban, currency)
		c := ruleCase{name: name, plan: p, api: api}
		if !ok {
			c.field = "PayoutMethodType"
		}
		return c
	}
	const person = "IndividualRecipient."
	const addr = person + "Address."
	var cases []ruleCase
	for _, group := range [][]ruleCase{
		textCases("DisplayName", "recipient.display_name", "DisplayName", "Ines EUR account", "Ines & Co", "Ines/Co", strings.Repeat("x", 51)),
		textCases("FirstName", "recipient.first_name", person+"FirstName", "Jean-Luc", "J.L.", "Ines_2", "Ines (Jr)"),
		textCases("LastName", "recipient.last_name", person+"LastName", "de La Fontaine", "Moreau, Ines", "Moreau: Ines"),
		textCases("AddressLine1", "line1", addr+"AddressLine1", "Oranienburger Str 87", "7/9 rue Haute", "Street (back)", strings.Repeat("x", 256)),
		textCases("AddressLine2", "line2", addr+"AddressLine2", "Hinterhaus", "c/o Weber"),
		textCases("City", "city", addr+"City", "Berlin", "St. Louis", "Berlin_Mitte", strings.Repeat("x", 81)),
		textCases("Region", "region", addr+"Region", "Ile-de-France", "Rhone/Alpes", strings.Repeat("x", 51)),
		textCases("PostalCode", "postal_code", addr+"PostalCode", "SW1A 1AA", "12345678901"),
		textCases("IBAN", "iban", "LocalBankTransfer.EUR.IBAN", "DE75512108001245126199", "75DE512108001245126199", "DE75"),
		{
			{name: "BusinessName Weber & Sons", plan: business("Weber & Sons"), api: businessAPI("Weber & Sons")},
			{name: "BusinessName Weber (Sons)", plan: business("Weber (Sons)"), api: businessAPI("Weber (Sons)"), field: "BusinessRecipient.BusinessName"},
			{name: "BusinessName Weber.com", plan: business("Weber.com"), api: businessAPI("Weber.com"), field: "BusinessRecipient.BusinessName"},
			international("BIC SOGEDEFFXXX", "SOGEDEFFXXX", true),
			international("BIC SOGEDEFF", "SOGEDEFF", true),
			international("BIC SOGEDEF", "SOGEDEF", false),
			international("BIC SOGEDEFFXX", "SOGEDEFFXX", false),
			localCase("local EUR to Germany", "DE75512108001245126199", "EUR", true),
			localCase("local EUR to Bulgaria (euro since 2026-01-01)", "BG80BNBG96611020345678", "EUR", true),
			localCase("local DKK to Denmark", "DK5000400440116243", "DKK", true),
			localCase("local CHF to Switzerland", "CH9300762011623852957", "CHF", true),
			localCase("local EUR to Denmark", "DK5000400440116243", "EUR", false),
			localCase("local USD to Germany", "DE75512108001245126199", "USD", false),
			{name: "owner email personal", plan: map[string]string{"email": "ines.moreau+accept@example.org"}, api: []any{"Email", "ines.moreau+accept@example.org"}, user: true},
			{name: "owner email info.smith@", plan: map[string]string{"email": "info.smith@example.org"}, api: []any{"Email", "info.smith@example.org"}, user: true},
			{name: "owner email info@", plan: map[string]string{"email": "info@example.org"}, api: []any{"Email", "info@example.org"}, user: true, field: "Email"},
			{name: "owner email HR+payroll@", plan: map[string]string{"email": "HR+payroll@example.org"}, api: []any{"Email", "HR+payroll@example.org"}, user: true, field: "Email"},
			{name: "owner first name Sasha", plan: map[string]string{"first_name": "Sasha"}, api: []any{"FirstName", "Sasha"}, user: true},
			{name: "owner first name Alex GmbH", plan: map[string]string{"first_name": "Alex GmbH"}, api: []any{"FirstName", "Alex GmbH"}, user: true, field: "FirstName"},
			{name: "owner last name Weber-SAS", plan: map[string]string{"last_name": "Weber-SAS"}, api: []any{"LastName", "Weber-SAS"}, user: true, field: "LastName"},
		},
	} {
		cases = append(cases, group...)
	}
	if _, err := plan.Parse("rules.yaml", []byte(planAt(nil))); err != nil {
		t.Fatalf("the base plan is refused:\n%v\n%s", err, planAt(nil))
	}
	x := newSbx(t, Options{})
	owner := x.owner("John", "Doe", true)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			text := planAt(tt.plan)
			_, planErr := plan.Parse("rules.yaml", []byte(text))
			if planRefuses := planErr != nil; planRefuses != (tt.field != "") {
				t.Errorf("plan refuses = %v, want %v: %v\n%s", planRefuses, tt.field != "", planErr, text)
			}
			path, body := "/users/"+owner+"/recipients/validate", any(recipientBody(tt.api...))
			if tt.user {
				path, body = "/users/natural", with(ownerBody(), tt.api...)
			}
			status, data := x.do("POST", path, body)
			if tt.field == "" {
				if status != 200 {
					t.Errorf("emulator: POST %s = %d %s, want 200", path, status, data)
				}
				return
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil || status != 400 || capErrors(m)[tt.field]+fieldErr(m, tt.field) == "" {
				t.Errorf("emulator: POST %s = %d %s, want 400 on %s", path, status, data, tt.field)
			}
		})
	}
}
