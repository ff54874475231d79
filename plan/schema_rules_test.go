package plan_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"settle/internal/apirules"
	"settle/schemas"
)

// A MANGOPAY rule that the plan's JSON schema states too (so that editors
// show it as the operator types, and `settle validate` reports it at the
// value in plain words) is kept in internal/apirules, which the emulator
// applies; the schema's copy is held to it here. A rule the schema cannot
// state (the recipient schema's forbidden characters: a negative lookahead,
// which JSON Schema's Go engine lacks) is checked by apirules alone, and
// the schema's description only names it, held to it here too.
//
// The rules of a Recipient's address (City at most 80 characters, Region
// 50, PostalCode 10) are not the schema's address rules (a user's Address:
// apirules.AddressFieldMax characters a field, a postal code of up to 50
// letters, digits, dashes and spaces): the same address must pass both
// when it becomes a Recipient's, which the plan's recipient check
// (apirules alone) sees to.
//
// Two 255-character limits of the schema are its own, not held here:
// an email's (MANGOPAY documents only a pattern) and a company_number's
// (MANGOPAY documents none, and the emulator applies none).

// schemaFact is one rule as the schema states it: the value at a JSON
// pointer into plan.schema.json, and what apirules says it is. A
// description only has to contain want.
type schemaFact struct {
	name    string
	pointer string
	want    any
}

// schemaFacts lists every rule that plan.schema.json and apirules both
// state.
func schemaFacts() []schemaFact {
	facts := []schemaFact{
		{"BIC pattern", "/definitions/bank_account/properties/bic/pattern", apirules.BICPattern},
		{"address PostalCode pattern", "/definitions/address/properties/postal_code/pattern", apirules.AddressPostalCodePattern},
		{"currencies", "/definitions/currency/enum", apirules.Currencies()},
		{"Email pattern", "/definitions/email/pattern", apirules.EmailPattern},
		{"Country pattern", "/definitions/country/pattern", apirules.CountryPattern},
		{"user FirstName and LastName MaxLength", "/definitions/person_name/maxLength", apirules.UserNameMax},
		{"IncomeRange minimum", "/definitions/user/properties/income_range/minimum", apirules.IncomeRangeMin},
		{"IncomeRange maximum", "/definitions/user/properties/income_range/maximum", apirules.IncomeRangeMax},
		{"IncomeRange bounds", "/definitions/user/properties/income_range/description",
			fmt.Sprintf("%d to %d", apirules.IncomeRangeMin, apirules.IncomeRangeMax)},
		{"LegalPersonType values", "/definitions/user/properties/legal_person_type/enum", apirules.LegalPersonTypes()},
		{"KYC sandbox Tags", "/definitions/kyc_document/properties/sandbox_outcome/enum", apirules.KYCSandboxTags()},
		{"Region required countries", "/definitions/address/if/properties/country/enum", apirules.RegionCountries()},
		{"Region required", "/definitions/address/then/required", []string{"region"}},
		{"Region required countries named", "/definitions/address/properties/region/description",
			"required for " + andList(apirules.RegionCountries())},
	}
	for _, field := range []string{"line1", "line2", "city", "region"} {
		facts = append(facts, schemaFact{"Address " + field + " MaxLength",
			"/definitions/address/properties/" + field + "/maxLength", apirules.AddressFieldMax})
	}
	for _, text := range [][2]string{{"Occupation", "user/properties/occupation"}, {"legal user Name", "user/properties/name"},
		{"wallet Description", "wallet/properties/description"}, {"bank account OwnerName", "bank_account/properties/owner_name"}} {
		facts = append(facts, schemaFact{text[0] + " MaxLength", "/definitions/" + text[1] + "/maxLength", apirules.TextMax})
	}
	// textRule adds the facts of a recipient text field: its forbidden
	// characters as its description names them and, when the schema holds
	// them, its lengths (in the description too when it states them).
	textRule := func(r apirules.TextRule, property string, lengths bool) {
		at := "/definitions/recipient/properties/" + property
		facts = append(facts, schemaFact{r.Field + " forbidden characters", at + "/description", "none of " + strings.Join(strings.Split(r.Forbid, ""), " ")})
		if lengths {
			facts = append(facts,
				schemaFact{r.Field + " MinLength", at + "/minLength", r.Min},
				schemaFact{r.Field + " MaxLength", at + "/maxLength", r.Max})
		}
	}
	textRule(apirules.DisplayName, "display_name", true)
	facts = append(facts, schemaFact{"DisplayName lengths", "/definitions/recipient/properties/display_name/description",
		fmt.Sprintf("%d to %d characters", apirules.DisplayName.Min, apirules.DisplayName.Max)})
	textRule(apirules.BusinessName, "business_name", true)
	// An Individual's names are the plan's person_name (at most
	// apirules.UserNameMax characters, a user's names' rule, within the
	// recipient schema's 255); only the characters are the recipient
	// schema's.
	textRule(apirules.FirstName, "first_name", false)
	textRule(apirules.LastName, "last_name", false)
	return facts
}

// TestSchemaAgreesWithAPIRules: every rule the JSON schema and apirules
// both state is the same in both.
func TestSchemaAgreesWithAPIRules(t *testing.T) {
	var schema any
	if err := json.Unmarshal(schemas.PlanSchema, &schema); err != nil {
		t.Fatal(err)
	}
	for _, f := range schemaFacts() {
		t.Run(f.name, func(t *testing.T) {
			got, err := jsonPointer(schema, f.pointer)
			if err != nil {
				t.Fatalf("plan.schema.json: %v", err)
			}
			switch want := f.want.(type) {
			case int:
				if n, ok := got.(float64); !ok || n != float64(want) {
					t.Errorf("plan.schema.json %s = %v, apirules says %d", f.pointer, got, want)
				}
			case string:
				s, _ := got.(string)
				if strings.HasSuffix(f.pointer, "/description") {
					if !strings.Contains(s, want) {
						t.Errorf("plan.schema.json %s = %q, want it to say %q (apirules)", f.pointer, s, want)
					}
				} else if s != want {
					t.Errorf("plan.schema.json %s = %v, apirules says %s", f.pointer, got, want)
				}
			case []string:
				var enum []string
				list, _ := got.([]any)
				for _, v := range list {
					s, _ := v.(string)
					enum = append(enum, s)
				}
				if !slices.Equal(enum, want) {
					t.Errorf("plan.schema.json %s = %v, apirules says %v", f.pointer, enum, want)
				}
			default:
				t.Fatalf("fact %s: want of type %T", f.name, f.want)
			}
		})
	}
}

// andList writes a list as prose: "US, CA and MX".
func andList(list []string) string {
	if len(list) < 2 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}

// jsonPointer resolves an RFC 6901 pointer (object members only) in doc.
func jsonPointer(doc any, pointer string) (any, error) {
	v := doc
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: %q is not inside an object", pointer, tok)
		}
		if v, ok = m[tok]; !ok {
			return nil, fmt.Errorf("%s: no %q", pointer, tok)
		}
	}
	return v, nil
}
