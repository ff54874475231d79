package plan

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"settle/schemas"
)

// schemaCases break basePlan against the schema; each expects the wording
// of schemaErrors, at the YAML node concerned.
var schemaCases = []struct {
	name  string
	edits []string
	want  []string
}{
	{"percent above 100", []string{"fees: {percent: 8}", "fees: {percent: 108}"},
		[]string{"plan.yaml:54:21: campaigns.garden-2026.fees.percent: must be <= 100"}},
	{"percent with 3 decimals", []string{"fees: {percent: 8}", "fees: {percent: 8.125}"},
		[]string{"plan.yaml:54:21: campaigns.garden-2026.fees.percent: must have at most 2 decimals"}},
	{"percent and fixed", []string{"fees: {percent: 8}", "fees: {percent: 8, fixed: 5}"},
		[]string{"plan.yaml:54:31: campaigns.garden-2026.fees.fixed: give either percent or fixed (exactly one of them)"}},
	{"fees empty", []string{"fees: {percent: 8}", "fees: {on: payout}"},
		[]string{"plan.yaml:54:11: campaigns.garden-2026.fees: give either percent or fixed (exactly one of them)"}},
	{"payin empty", []string{"payin: {card: alice-visa}\n", "payin: {}\n"},
		[]string{"plan.yaml:60:16: campaigns.garden-2026.contributions.0.payin: give either id (an existing pay-in) or card (the card to pay in with), exactly one of them"}},
	{"unknown field with suggestion", []string{"first_name: Alice,", "firstname: Alice,"},
		[]string{
			`plan.yaml:28:10: users.alice: missing required field "first_name"`,
			`plan.yaml:28:43: users.alice.firstname: unknown field "firstname" (did you mean "first_name"?)`,
		}},
	{"unknown top-level field", []string{"currency: EUR\n", "currency: EUR\ncurency: EUR\n"},
		[]string{`plan.yaml:5:1: curency: unknown field "curency" (did you mean "currency"?)`}},
	{"bad key", []string{"  alice: {type", "  Alice_1: {type"},
		[]string{`plan.yaml:28:3: users.Alice_1: "Alice_1" is not a valid key: use lowercase letters, digits and dashes, starting with a letter or digit (at most 64)`}},
	{"enum with suggestion", []string{"outcome: succeeded", "outcome: succeed"},
		[]string{`plan.yaml:53:14: campaigns.garden-2026.outcome: "succeed" is not one of open, succeeded, failed (did you mean "succeeded"?)`}},
	{"owner without terms", []string{"terms_accepted: true\n  acme", "terms_accepted: false\n  acme"},
		[]string{"plan.yaml:17:21: users.cyrano.terms_accepted: must be true: an owner must accept MANGOPAY's terms and conditions"}},
	{"natural owner without birthday", []string{"    birthday: 1961-10-23\n", ""},
		[]string{`plan.yaml:7:3: users.cyrano: missing required field "birthday"`}},
	{"business owner without company number", []string{"    company_number: \"123456789\"\n", ""},
		[]string{`plan.yaml:18:3: users.acme: missing required field "company_number"`}},
	{"legal owner representative without birthday", []string{"birthday: 1980-12-10, ", ""},
		[]string{`plan.yaml:27:27: users.acme.legal_representative: missing required field "birthday"`}},
	{"legal owner representative without email", []string{"email: ada@acme.example.org, ", ""},
		[]string{`plan.yaml:27:27: users.acme.legal_representative: missing required field "email"`}},
	{"adopted user needs only type and category", []string{`bob:   {id: "user_m_01HV", type: natural, category: payer}`, `bob:   {id: "user_m_01HV", type: natural}`},
		[]string{`plan.yaml:29:10: users.bob: missing required field "category"`}},
	{"impossible date", []string{"birthday: 1961-10-23", "birthday: 1961-02-30"},
		[]string{"plan.yaml:13:15: users.cyrano.birthday: 1961-02-30 is not a date: February 1961 has 28 days"}},
	{"no month 13", []string{"birthday: 1961-10-23", "birthday: 1961-13-01"},
		[]string{"plan.yaml:13:15: users.cyrano.birthday: 1961-13-01 is not a date: there is no month 13 (write YYYY-MM-DD)"}},
	{"day zero", []string{"birthday: 1961-10-23", "birthday: 1961-10-00"},
		[]string{"plan.yaml:13:15: users.cyrano.birthday: 1961-10-00 is not a date: days are numbered from 01"}},
	{"date written wrong", []string{"birthday: 1961-10-23", "birthday: 23/10/1961"},
		[]string{"plan.yaml:13:15: users.cyrano.birthday: must be a date written YYYY-MM-DD, like 1961-10-23"}},
	{"wire ref too long", []string{"wire_ref: GARDEN2026", "wire_ref: GARDEN 2026 SPRING"},
		[]string{"plan.yaml:55:51: campaigns.garden-2026.payout.wire_ref: must be 1 to 12 letters, digits or spaces (MANGOPAY's limit for a bank statement reference)"}},
	{"IBAN with spaces", []string{"FR7630004000031234567890143", "FR76 3000 4000 0312 3456 7890 143"},
		[]string{"plan.yaml:38:38: bank_accounts.cyrano-iban.iban: must be an IBAN in capitals without spaces, like FR7630004000031234567890143"}},
	{"phone number with spaces", []string{"    birthday: 1961-10-23\n", "    birthday: 1961-10-23\n    phone_number: +33 6 12 34 56 78\n"},
		[]string{"plan.yaml:14:19: users.cyrano.phone_number: must be an international phone number: + then 6 to 15 digits, without spaces, like +33612345678"}},
	{"phone number country lowercase", []string{"    birthday: 1961-10-23\n", "    birthday: 1961-10-23\n    phone_number_country: fr\n"},
		[]string{"plan.yaml:14:27: users.cyrano.phone_number_country: must be a country code of 2 capital letters, like FR"}},
	{"amount zero", []string{"amount: 5000\n", "amount: 0\n"},
		[]string{"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: must be positive (at least 1 cent)"}},
	{"amount too large", []string{"amount: 5000\n", "amount: 9223372036854775808\n"},
		[]string{
			"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: is too large: must be <= 9223372036854775807",
		}},
	{"amount in euros", []string{"amount: 5000\n", "amount: 50.00\n"},
		[]string{"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: amounts are whole numbers of cents, without a decimal point: write 5000 for 50.00"}},
	{"too many pages", []string{"[kyc/id.pdf]", "[a, b, c, d, e, f]"},
		[]string{"plan.yaml:44:12: kyc_documents.cyrano-id.pages: must list at most 5 pages (MANGOPAY's limit per document)"}},
	{"no pages", []string{"[kyc/id.pdf]", "[]"},
		[]string{"plan.yaml:44:12: kyc_documents.cyrano-id.pages: must list at least 1 item"}},
	{"card number unquoted", []string{`number: "4970107111111119"`, `number: 4970107111111119`},
		[]string{`plan.yaml:48:37: cards.alice-visa.number: must be text, not a whole number (put it in quotes: "4970107111111119")`}},
	{"US address without region", []string{`postal_code: "69001", country: FR}`, `postal_code: "69001", country: US}`},
		[]string{`plan.yaml:25:14: users.acme.address: missing required field "region"`}},
	{"version 2", []string{"version: 1", "version: 2"},
		[]string{"plan.yaml:2:10: version: must be 1 (the only plan format version)"}},
	{"name too long", []string{"name: spring-2026", "name: " + strings.Repeat("a", 41)},
		[]string{"plan.yaml:3:7: name: must be at most 40 characters"}},
	{"top level is a list", []string{basePlan, "- a\n- b\n"},
		[]string{"plan.yaml:1:1: a plan must be a mapping of fields (version: 1, name: ..., currency: ...)"}},
}

func TestSchemaErrors(t *testing.T) {
	for _, tc := range schemaCases {
		t.Run(tc.name, func(t *testing.T) {
			text := editAll(t, basePlan, tc.edits)
			got := loadErrors(t, text)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Load() errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestSchemaDescribesEverything checks that every property of the schema
// has a description, every object forbids unknown fields, and every field
// of the model is in the schema (and the other way round).
func TestSchemaDescribesEverything(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(schemas.PlanSchema, &root); err != nil {
		t.Fatalf("plan.schema.json: %v", err)
	}
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		if s["type"] == "object" && s["properties"] != nil && s["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties = %v, want false", path, s["additionalProperties"])
		}
		props, _ := s["properties"].(map[string]any)
		for name, v := range props {
			p := v.(map[string]any)
			if d, _ := p["description"].(string); d == "" {
				t.Errorf("%s.%s has no description", path, name)
			}
			walk(path+"."+name, p)
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(path+"[]", items)
		}
	}
	walk("(root)", root)
	for name, d := range root["definitions"].(map[string]any) {
		walk("#/definitions/"+name, d.(map[string]any))
	}
	defs := root["definitions"].(map[string]any)
	for _, c := range []struct{ def, path string }{
		{"user", "users.x"}, {"wallet", "wallets.x"}, {"bank_account", "bank_accounts.x"},
		{"kyc_document", "kyc_documents.x"}, {"card", "cards.x"}, {"campaign", "campaigns.x"},
		{"contribution", "campaigns.x.contributions.0"}, {"fees", "campaigns.x.fees"},
		{"payout", "campaigns.x.payout"}, {"payin", "campaigns.x.contributions.0.payin"},
		{"address", "users.x.address"}, {"legal_representative", "users.x.legal_representative"},
	} {
		props := defs[c.def].(map[string]any)["properties"].(map[string]any)
		fields := fieldsAt(c.path)
		for _, f := range fields {
			if props[f] == nil {
				t.Errorf("model field %s.%s is not in the schema's %s", c.path, f, c.def)
			}
		}
		for p := range props {
			if !slices.Contains(fields, p) {
				t.Errorf("schema property %s.%s is not in the model", c.def, p)
			}
		}
	}
}

// TestWrongTypes checks the messages for values of the wrong type.
func TestWrongTypes(t *testing.T) {
	text := edit(t, basePlan, "amount: 5000\n", "amount: \"5000\"\n")
	text = edit(t, text, `postal_code: "75009"`, "postal_code: 75009")
	text = edit(t, text, "terms_accepted: true\n  acme", "terms_accepted: yes\n  acme")
	text = edit(t, text, "refund: {to: card}", "refund: card")
	want := []string{
		`plan.yaml:16:81: users.cyrano.address.postal_code: must be text, not a whole number (put it in quotes: "75009")`,
		`plan.yaml:17:21: users.cyrano.terms_accepted: must be true or false, not text`,
		`plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: must be a whole number, not text`,
		`plan.yaml:66:13: campaigns.acme-2026.refund: must be a mapping (key: value lines), not text`,
	}
	if got := loadErrors(t, text); !slices.Equal(got, want) {
		t.Errorf("Load() errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
