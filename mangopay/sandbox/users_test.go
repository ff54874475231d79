package sandbox

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"settle/internal/apirules"
	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

func ownerBody() map[string]any {
	return map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true, "FirstName": "Alex",
		"LastName": "Smith", "Email": "alex@example.com", "Birthday": 652117514, "Nationality": "FR",
		"CountryOfResidence": "FR", "Occupation": "dev", "IncomeRange": "6", "PersonType": "LEGAL",
		"Address": map[string]any{"AddressLine1": "3 rue", "City": "Paris", "PostalCode": "75004", "Country": "fr"}}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func TestCreateNaturalUser(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.obj("POST", "/users/natural", ownerBody())
	want := map[string]any{"PersonType": "NATURAL", "KYCLevel": "LIGHT", "UserStatus": "ACTIVE", "UserCategory": "OWNER",
		"Capacity": "NORMAL", "Nationality": "FR", "IncomeRange": 6.0, "ProofOfIdentity": nil, "PhoneNumber": nil,
		"TermsAndConditionsAccepted": true, "Tag": nil}
	for k, v := range want {
		if u[k] != v {
			t.Errorf("%s = %#v, want %#v", k, u[k], v)
		}
	}
	if !strings.HasPrefix(u["Id"].(string), "user_m_") || len(u["Id"].(string)) != 33 {
		t.Errorf("Id = %v, want user_m_ + 26 characters", u["Id"])
	}
	if u["TermsAndConditionsAcceptedDate"] == nil || u["CreationDate"] == nil {
		t.Errorf("dates missing: %v", u)
	}
	if a := u["Address"].(map[string]any); a["Country"] != "FR" || a["AddressLine2"] != nil {
		t.Errorf("Address = %v", a)
	}

	p := x.obj("POST", "/users/natural", with(ownerBody(), "UserCategory", "PAYER", "Address", nil))
	for _, k := range []string{"Birthday", "Nationality", "CountryOfResidence", "Occupation", "IncomeRange", "TermsAndConditionsAcceptedDate"} {
		if p[k] != nil {
			t.Errorf("PAYER %s = %v, want null", k, p[k])
		}
	}
	a := p["Address"].(map[string]any)
	if len(a) != 6 || a["City"] != nil {
		t.Errorf("PAYER Address = %v, want six null fields", a)
	}
}

func TestCreateNaturalUserErrors(t *testing.T) {
	x := newSbx(t, Options{})
	tests := []struct {
		name         string
		body         map[string]any
		status       int
		typ, field   string
		wantFieldMsg string
	}{
		{"no category", with(ownerBody(), "UserCategory", nil), 400, "param_error", "UserCategory", "The UserCategory field is required."},
		{"no T&C", with(ownerBody(), "TermsAndConditionsAccepted", nil), 400, "param_error", "TermsAndConditionsAccepted", "The TermsAndConditionsAccepted field is required."},
		{"owner T&C false", with(ownerBody(), "TermsAndConditionsAccepted", false), 403, "user_hasnt_accepted_terms_and_conditions", "", ""},
		{"bad email", with(ownerBody(), "Email", "nope"), 400, "param_error", "Email", ""},
		{"no first name", with(ownerBody(), "FirstName", nil), 400, "param_error", "FirstName", "The FirstName field is required."},
		{"owner without birthday", with(ownerBody(), "Birthday", nil), 400, "param_error", "Birthday", "The Birthday field is required."},
		{"blocked residence", with(ownerBody(), "CountryOfResidence", "IR"), 400, "param_error", "CountryOfResidence", "The CountryOfResidence used is blocked"},
		{"blocked address", with(ownerBody(), "Address", map[string]any{"AddressLine1": "a", "City": "b", "PostalCode": "1", "Country": "KP"}), 400, "param_error", "Address.Country", "The Address.Country used is blocked"},
		{"address without city", with(ownerBody(), "Address", map[string]any{"AddressLine1": "a", "PostalCode": "1", "Country": "FR"}), 400, "param_error", "Address.City", "The Address.City field is required."},
		{"US without region", with(ownerBody(), "Address", map[string]any{"AddressLine1": "a", "City": "NY", "PostalCode": "1", "Country": "US"}), 400, "param_error", "Address.Region", ""},
		{"income range", with(ownerBody(), "IncomeRange", 9), 400, "param_error", "IncomeRange", ""},
		{"bad type", with(ownerBody(), "Birthday", "yesterday"), 400, "param_error", "Birthday", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := x.fails("POST", "/users/natural", tt.body, tt.status, tt.typ)
			if tt.status == 403 {
				if m["Message"] != "User must accept the terms and conditions before account creation or modification." || m["errors"] != nil {
					t.Errorf("403 body = %v", m)
				}
				return
			}
			if m["Message"] != platform.MsgParamError {
				t.Errorf("Message = %v", m["Message"])
			}
			got := fieldErr(m, tt.field)
			if got == "" || (tt.wantFieldMsg != "" && got != tt.wantFieldMsg) {
				t.Errorf("errors[%s] = %q, want %q (body %v)", tt.field, got, tt.wantFieldMsg, m)
			}
		})
	}
}

func TestLenientCategory(t *testing.T) {
	x := newSbx(t, Options{LenientCategory: true})
	u := x.obj("POST", "/users/natural", map[string]any{"FirstName": "A", "LastName": "B", "Email": "a@b.co"})
	if u["UserCategory"] != "PAYER" {
		t.Errorf("UserCategory = %v, want PAYER", u["UserCategory"])
	}
}

func TestUpdateNaturalUser(t *testing.T) {
	x := newSbx(t, Options{})
	payer := x.obj("POST", "/users/natural", with(ownerBody(), "UserCategory", "PAYER", "TermsAndConditionsAccepted", false))["Id"].(string)
	owner := x.natural("OWNER")
	path := "/users/natural/"
	m := x.fails("PUT", path+payer, map[string]any{"FirstName": "Bo"}, 400, "param_error")
	if fieldErr(m, "UserCategory") == "" || fieldErr(m, "TermsAndConditionsAccepted") == "" {
		t.Errorf("PUT without category and T&C: %v", m)
	}
	m = x.fails("PUT", path+owner, map[string]any{"UserCategory": "PAYER", "TermsAndConditionsAccepted": true}, 400, "param_error")
	if fieldErr(m, "UserCategory") != "A User OWNER can't be modified to a user PAYER" {
		t.Errorf("OWNER->PAYER: %v", m)
	}
	m = x.fails("PUT", path+owner, map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": false}, 400, "invalid_action")
	if m["Message"] != "The user cannot revoke the terms and conditions acceptance" {
		t.Errorf("revoke: %v", m)
	}
	x.fails("PUT", path+payer, map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true}, 400, "param_error")
	x.fails("PUT", path+payer, with(ownerBody(), "TermsAndConditionsAccepted", false), 403, "user_hasnt_accepted_terms_and_conditions")
	u := x.obj("PUT", path+payer, with(ownerBody(), "Tag", "upgraded"))
	if u["UserCategory"] != "OWNER" || u["Nationality"] != "FR" || u["Tag"] != "upgraded" || u["TermsAndConditionsAcceptedDate"] == nil {
		t.Errorf("PAYER->OWNER = %v", u)
	}
	u = x.obj("PUT", path+owner, map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true, "Occupation": "pilot"})
	if u["Occupation"] != "pilot" || u["FirstName"] != "Alex" {
		t.Errorf("partial update = %v", u)
	}
	x.fails("PUT", path+"user_m_nope", map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true}, 404, "ressource_not_found")
}

func TestKYCDowngradeOnNameChange(t *testing.T) {
	x := newSbx(t, Options{})
	owner := x.natural("OWNER")
	x.regular(owner)
	u := x.obj("PUT", "/users/natural/"+owner, map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true, "LastName": "Other"})
	if u["KYCLevel"] != "LIGHT" || u["ProofOfIdentity"] != nil {
		t.Errorf("after name change KYCLevel = %v, ProofOfIdentity = %v", u["KYCLevel"], u["ProofOfIdentity"])
	}
	var docs []map[string]any
	x.ok("GET", "/users/"+owner+"/kyc/documents", nil, &docs)
	if len(docs) != 1 || docs[0]["Status"] != "OUT_OF_DATE" {
		t.Errorf("documents = %v, want one OUT_OF_DATE", docs)
	}
}

func legalBody() map[string]any {
	return map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true, "LegalPersonType": "BUSINESS",
		"Name": "Acme", "Email": "ceo@acme.test", "LegalRepresentativeFirstName": "Jo", "LegalRepresentativeLastName": "Doe",
		"LegalRepresentativeBirthday": 652117514, "LegalRepresentativeNationality": "FR",
		"LegalRepresentativeCountryOfResidence": "FR", "CompanyNumber": "123456789",
		"HeadquartersAddress": map[string]any{"AddressLine1": "1 av", "City": "Lyon", "PostalCode": "69001", "Country": "FR"}}
}

func TestLegalUser(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.obj("POST", "/users/legal", legalBody())
	if u["PersonType"] != "LEGAL" || u["CompanyNumber"] != "123456789" || u["Statute"] != nil || u["KYCLevel"] != "LIGHT" {
		t.Errorf("legal owner = %v", u)
	}
	m := x.fails("POST", "/users/legal", with(legalBody(), "CompanyNumber", nil), 400, "param_error")
	if fieldErr(m, "CompanyNumber") != "The CompanyNumber field is required." {
		t.Errorf("no CompanyNumber: %v", m)
	}
	m = x.fails("POST", "/users/legal", with(legalBody(), "LegalPersonType", "CLUB"), 400, "param_error")
	if fieldErr(m, "LegalPersonType") == "" {
		t.Errorf("bad LegalPersonType: %v", m)
	}
	p := x.obj("POST", "/sca/users/legal", with(legalBody(), "UserCategory", "PAYER", "HeadquartersAddress", nil))
	hq := p["HeadquartersAddress"].(map[string]any)
	if p["LegalRepresentativeBirthday"] != nil || p["CompanyNumber"] != nil || hq["City"] != nil {
		t.Errorf("legal PAYER = %v", p)
	}
	id := u["Id"].(string)
	x.fails("GET", "/users/natural/"+id, nil, 404, "ressource_not_found")
	x.fails("GET", "/sca/users/legal/"+x.natural("OWNER"), nil, 404, "ressource_not_found")
	got := x.obj("GET", "/users/legal/"+id, nil)
	if got["Name"] != "Acme" {
		t.Errorf("GET legal = %v", got)
	}
	got = x.obj("PUT", "/users/legal/"+id, map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true, "Name": "Acme SA"})
	if got["Name"] != "Acme SA" {
		t.Errorf("PUT legal = %v", got)
	}
}

func TestGetUsers(t *testing.T) {
	x := newSbx(t, Options{})
	id := x.natural("OWNER")
	u := x.obj("GET", "/sca/users/"+id, nil)
	if u["Id"] != id || u["FirstName"] != "Alex" {
		t.Errorf("GET /sca/users/{id} = %v", u)
	}
	m := x.fails("GET", "/users/user_m_missing", nil, 404, "ressource_not_found")
	if m["Message"] != "The ressource does not exist" ||
		fieldErr(m, "ResourceNotFound") != "Cannot found the resource User with the id=user_m_missing " {
		t.Errorf("404 body = %v", m)
	}
	_, body := x.do("GET", "/users?per_page=100", nil)
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(body, &list); err != nil || len(list) != 1 {
		t.Fatalf("GET /users = %s (%v)", body, err)
	}
	var keys []string
	for k := range list[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := "CreationDate,Email,Id,KYCLevel,PersonType,Tag,TermsAndConditionsAccepted,TermsAndConditionsAcceptedDate,UserCategory,UserStatus"
	if got := strings.Join(keys, ","); got != want {
		t.Errorf("summary keys = %s, want %s", got, want)
	}
}

// TestOwnerIdentityRules: the 2026-02-19 rules on natural OWNERs (personal
// Email, no legal-entity marker in the names) and the country checks.
func TestOwnerIdentityRules(t *testing.T) {
	tests := []struct {
		name  string
		body  map[string]any
		field string // "" when accepted
	}{
		{"personal email", ownerBody(), ""},
		{"info@", with(ownerBody(), "Email", "info@example.com"), "Email"},
		{"HR@ in capitals", with(ownerBody(), "Email", "HR@example.com"), "Email"},
		{"contact@", with(ownerBody(), "Email", "contact@example.com"), "Email"},
		{"info+tag@: the role is the local part before the tag", with(ownerBody(), "Email", "info+payroll@example.com"), "Email"},
		{"generic word inside a local part", with(ownerBody(), "Email", "info.smith@example.com"), ""},
		{"Ltd in the last name", with(ownerBody(), "LastName", "Smith Ltd."), "LastName"},
		{"GmbH in the first name", with(ownerBody(), "FirstName", "Alex GmbH"), "FirstName"},
		{"SAS", with(ownerBody(), "LastName", "Martin-SAS"), "LastName"},
		{"marker inside a word", with(ownerBody(), "LastName", "Sassi"), ""},
		{"payer with info@", with(ownerBody(), "UserCategory", "PAYER", "Email", "info@example.com", "LastName", "Smith Ltd"), ""},
		{"unknown nationality", with(ownerBody(), "Nationality", "XX"), "Nationality"},
		{"blocked nationality", with(ownerBody(), "Nationality", "KP"), "Nationality"},
		{"unknown residence", with(ownerBody(), "CountryOfResidence", "ZZ"), "CountryOfResidence"},
		{"unknown address country", with(ownerBody(), "Address", map[string]any{"AddressLine1": "1 rue", "City": "Paris",
			"PostalCode": "75001", "Country": "XX"}), "Address.Country"},
	}
	x := newSbx(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/users/natural", "/sca/users/natural"} {
				if tt.field == "" {
					x.ok("POST", path, tt.body, nil)
					continue
				}
				m := x.fails("POST", path, tt.body, 400, "param_error")
				if fieldErr(m, tt.field) == "" {
					t.Errorf("POST %s errors = %v, want %s", path, m["errors"], tt.field)
				}
			}
			// The rules hold on update too.
			if tt.field != "" && !strings.HasPrefix(tt.field, "Address") {
				id := x.natural("OWNER")
				m := x.fails("PUT", "/users/natural/"+id, tt.body, 400, "param_error")
				if fieldErr(m, tt.field) == "" {
					t.Errorf("PUT errors = %v, want %s", m["errors"], tt.field)
				}
			}
		})
	}
}

func TestLegalRepresentativeNationality(t *testing.T) {
	tests := []struct {
		nationality string
		ok          bool
	}{{"FR", true}, {"XX", false}, {"KP", false}, {"fr", true}}
	x := newSbx(t, Options{})
	for _, tt := range tests {
		body := with(legalBody(), "LegalRepresentativeNationality", tt.nationality)
		if tt.ok {
			x.ok("POST", "/users/legal", body, nil)
			continue
		}
		m := x.fails("POST", "/users/legal", body, 400, "param_error")
		if fieldErr(m, "LegalRepresentativeNationality") == "" {
			t.Errorf("%s: errors = %v", tt.nationality, m["errors"])
		}
	}
}

// TestUpdateUserChecks pins the order of the checks of a user PUT, the
// same on both person types: the user (found on its own route) before the
// body, the body's JSON before UserCategory and T&C, those alone before the
// category rules (OWNER->PAYER, T&C revocation), those before the fields,
// the fields before the OWNER's 403; /sca/ and the nested
// LegalRepresentative name the representative's fields; LenientCategory
// keeps the stored category.
func TestUpdateUserChecks(t *testing.T) {
	owner := map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true}
	tests := []struct {
		name     string
		lenient  bool
		route    string // PUT route, before the Id
		user     string // "natural", "legal", "natural payer", "legal payer"
		body     any
		status   int
		typ      string
		errors   map[string]any // the whole errors object, nil when none
		category string         // on 200: the UserCategory answered
	}{
		{"natural user on the legal route", false, "/users/legal/", "natural", map[string]any{"Email": "nope"}, 404, "ressource_not_found", nil, ""},
		{"legal user on the natural route", false, "/sca/users/natural/", "legal", map[string]any{"Email": "nope"}, 404, "ressource_not_found", nil, ""},
		{"JSON before category", false, "/users/natural/", "natural", `{"FirstName":`, 400, "param_error",
			map[string]any{"Body": "The request body is not valid JSON."}, ""},
		{"type before category", false, "/users/legal/", "legal", `{"LegalRepresentativeBirthday":"x"}`, 400, "param_error",
			map[string]any{"LegalRepresentativeBirthday": "The value is not valid for LegalRepresentativeBirthday: expected int64."}, ""},
		{"category and T&C alone", false, "/users/natural/", "natural", map[string]any{"Email": "nope", "UserCategory": "CLUB"}, 400, "param_error",
			map[string]any{"UserCategory": "The value CLUB is not valid for UserCategory.",
				"TermsAndConditionsAccepted": "The TermsAndConditionsAccepted field is required."}, ""},
		{"legal category and T&C alone", false, "/users/legal/", "legal", map[string]any{"Email": "nope"}, 400, "param_error",
			map[string]any{"UserCategory": "The UserCategory field is required.",
				"TermsAndConditionsAccepted": "The TermsAndConditionsAccepted field is required."}, ""},
		{"OWNER->PAYER before fields", false, "/users/legal/", "legal", map[string]any{"UserCategory": "payer", "TermsAndConditionsAccepted": true, "Email": "nope"},
			400, "param_error", map[string]any{"UserCategory": "A User OWNER can't be modified to a user PAYER"}, ""},
		{"revocation before fields", false, "/users/natural/", "natural", map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": false, "Email": "nope"},
			400, "invalid_action", nil, ""},
		{"fields before the 403", false, "/users/natural/", "natural payer", map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": false, "Email": "nope"},
			400, "param_error", map[string]any{"Email": "The field Email must match the regular expression '" + apirules.EmailPattern + "'.",
				"Birthday": "The Birthday field is required.", "Nationality": "The Nationality field is required.",
				"CountryOfResidence": "The CountryOfResidence field is required."}, ""},
		{"legal fields before the 403", false, "/users/legal/", "legal payer", map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": false},
			400, "param_error", map[string]any{"HeadquartersAddress": "The HeadquartersAddress field is required.",
				"LegalRepresentativeBirthday":           "The LegalRepresentativeBirthday field is required.",
				"LegalRepresentativeNationality":        "The LegalRepresentativeNationality field is required.",
				"LegalRepresentativeCountryOfResidence": "The LegalRepresentativeCountryOfResidence field is required.",
				"CompanyNumber":                         "The CompanyNumber field is required."}, ""},
		{"legal 403", false, "/users/legal/", "legal payer", with(legalBody(), "TermsAndConditionsAccepted", false),
			403, "user_hasnt_accepted_terms_and_conditions", nil, ""},
		{"/sca/ wants the representative's Email", false, "/sca/users/legal/", "legal", owner, 400, "param_error",
			map[string]any{"LegalRepresentativeEmail": "The LegalRepresentativeEmail field is required."}, ""},
		{"nested representative", false, "/sca/users/legal/", "legal", with(owner, "LegalRepresentative", map[string]any{"Nationality": "XX"}),
			400, "param_error", map[string]any{"LegalRepresentative.Email": "The LegalRepresentative.Email field is required.",
				"LegalRepresentative.Nationality": "The value XX is not valid for LegalRepresentative.Nationality."}, ""},
		{"legacy route without the Email", false, "/users/legal/", "legal", owner, 200, "", nil, "OWNER"},
		{"lenient keeps OWNER", true, "/users/natural/", "natural", map[string]any{"TermsAndConditionsAccepted": true}, 200, "", nil, "OWNER"},
		{"lenient keeps PAYER", true, "/users/legal/", "legal payer", map[string]any{}, 200, "", nil, "PAYER"},
		{"lenient without T&C revokes", true, "/users/legal/", "legal", map[string]any{"Tag": "t"}, 400, "invalid_action", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, Options{LenientCategory: tt.lenient})
			var id string
			switch tt.user {
			case "natural":
				id = x.natural("OWNER")
			case "natural payer":
				id = x.obj("POST", "/users/natural", with(ownerBody(), "UserCategory", "PAYER", "TermsAndConditionsAccepted", false))["Id"].(string)
			case "legal":
				id = x.obj("POST", "/users/legal", legalBody())["Id"].(string)
			case "legal payer":
				id = x.obj("POST", "/users/legal", with(legalBody(), "UserCategory", "PAYER", "TermsAndConditionsAccepted", false))["Id"].(string)
			}
			if tt.status == 200 {
				if u := x.obj("PUT", tt.route+id, tt.body); u["UserCategory"] != tt.category {
					t.Errorf("UserCategory = %v, want %s", u["UserCategory"], tt.category)
				}
				return
			}
			m := x.fails("PUT", tt.route+id, tt.body, tt.status, tt.typ)
			if tt.status == 404 {
				if want := "Cannot found the resource User with the id=" + id + " "; fieldErr(m, "ResourceNotFound") != want {
					t.Errorf("404 body = %v", m)
				}
				return
			}
			got, _ := m["errors"].(map[string]any)
			if len(got) != len(tt.errors) {
				t.Errorf("errors = %v, want %v", got, tt.errors)
			}
			for k, v := range tt.errors {
				if got[k] != v {
					t.Errorf("errors[%s] = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

// TestUpdateUserSideEffects: what a PUT changes besides the user: a
// REGULAR user's identity change (natural: names, Nationality, Birthday;
// legal: LegalPersonType and the representative's names, Nationality,
// Birthday) downgrades it to LIGHT, other fields do not; PAYER->OWNER
// emits USER_CATEGORY_UPDATED_TO_OWNER; a PUT through /sca/ does not make
// the user enrol.
func TestUpdateUserSideEffects(t *testing.T) {
	owner := map[string]any{"UserCategory": "OWNER", "TermsAndConditionsAccepted": true}
	tests := []struct {
		name, route string
		legal       bool
		body        map[string]any
		downgraded  bool
	}{
		{"natural Tag", "/users/natural/", false, with(owner, "Tag", "t", "Email", "other@example.com"), false},
		{"natural Birthday", "/users/natural/", false, with(owner, "Birthday", 652117515), true},
		{"natural Nationality", "/sca/users/natural/", false, with(owner, "Nationality", "BE"), true},
		{"legal Name", "/users/legal/", true, with(owner, "Name", "Acme SA", "CompanyNumber", "1"), false},
		{"legal LegalPersonType", "/users/legal/", true, with(owner, "LegalPersonType", "organization"), true},
		{"legal representative's Birthday", "/users/legal/", true, with(owner, "LegalRepresentativeBirthday", 1), true},
		{"legal nested LastName", "/users/legal/", true, with(owner, "LegalRepresentative", map[string]any{"LastName": "Roe"}), true},
		{"legal representative's residence", "/users/legal/", true, with(owner, "LegalRepresentativeCountryOfResidence", "BE"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, Options{})
			id, docs := x.natural("OWNER"), []string{"IDENTITY_PROOF"}
			if tt.legal {
				id = x.obj("POST", "/users/legal", with(legalBody(), "LegalRepresentativeEmail", "jo@acme.test"))["Id"].(string)
				docs = []string{"IDENTITY_PROOF", "REGISTRATION_PROOF", "ARTICLES_OF_ASSOCIATION"}
			}
			for _, typ := range docs {
				var d mangopay.KYCDocument
				x.ok("POST", "/users/"+id+"/kyc/documents", map[string]any{"Type": typ, "Tag": "accept"}, &d)
				if st, body := x.do("POST", "/users/"+id+"/kyc/documents/"+d.Id+"/pages", map[string]any{"File": page(33 << 10)}); st != 204 {
					t.Fatalf("page = %d %s", st, body)
				}
				x.ok("PUT", "/users/"+id+"/kyc/documents/"+d.Id, map[string]any{"Status": "VALIDATION_ASKED"}, nil)
			}
			if u := x.obj("GET", "/users/"+id, nil); u["KYCLevel"] != "REGULAR" {
				t.Fatalf("KYCLevel = %v before the update", u["KYCLevel"])
			}
			u := x.obj("PUT", tt.route+id, tt.body)
			want := map[bool]string{true: "LIGHT", false: "REGULAR"}[tt.downgraded]
			if u["KYCLevel"] != want || u["UserStatus"] != "ACTIVE" || u["PendingUserAction"] != nil {
				t.Errorf("KYCLevel = %v, UserStatus = %v, PendingUserAction = %v; want %s, ACTIVE, none",
					u["KYCLevel"], u["UserStatus"], u["PendingUserAction"], want)
			}
		})
	}
	x := newSbx(t, Options{})
	payers := []string{
		x.obj("POST", "/users/natural", with(ownerBody(), "UserCategory", "PAYER"))["Id"].(string),
		x.obj("POST", "/users/legal", with(legalBody(), "UserCategory", "PAYER"))["Id"].(string),
	}
	x.obj("PUT", "/sca/users/natural/"+payers[0], ownerBody())
	x.obj("PUT", "/users/legal/"+payers[1], legalBody())
	x.obj("PUT", "/users/legal/"+payers[1], legalBody())
	var events []mangopay.Event
	x.ok("GET", "/events?EventType=USER_CATEGORY_UPDATED_TO_OWNER", nil, &events)
	if len(events) != 2 || events[0].ResourceId != payers[1] || events[1].ResourceId != payers[0] {
		t.Errorf("USER_CATEGORY_UPDATED_TO_OWNER events = %+v, want one for each of %v", events, payers)
	}
	if u := x.obj("GET", "/users/"+payers[0], nil); u["UserStatus"] != "ACTIVE" {
		t.Errorf("after PUT /sca/ UserStatus = %v, want ACTIVE", u["UserStatus"])
	}
}

// TestCreateUserChecks: a POST reports UserCategory and T&C together with
// the fields; under LenientCategory a user without UserCategory is an OWNER
// when it would pass as one on its route (on /sca/users/legal that needs
// the representative's Email) and then needs no T&C; an OWNER created
// through /sca/ must enrol.
func TestCreateUserChecks(t *testing.T) {
	x := newSbx(t, Options{})
	m := x.fails("POST", "/users/legal", with(legalBody(), "UserCategory", nil, "Email", "nope"), 400, "param_error")
	if fieldErr(m, "UserCategory") == "" || fieldErr(m, "Email") == "" || len(m["errors"].(map[string]any)) != 2 {
		t.Errorf("errors = %v, want UserCategory and Email", m["errors"])
	}
	m = x.fails("POST", "/users/natural", with(ownerBody(), "UserCategory", "PAYER", "TermsAndConditionsAccepted", nil, "Email", "nope"), 400, "param_error")
	if fieldErr(m, "TermsAndConditionsAccepted") == "" || fieldErr(m, "Email") == "" || len(m["errors"].(map[string]any)) != 2 {
		t.Errorf("errors = %v, want TermsAndConditionsAccepted and Email", m["errors"])
	}
	y := newSbx(t, Options{LenientCategory: true})
	tests := []struct {
		path           string
		body           map[string]any
		category, user string
	}{
		{"/sca/users/legal", with(legalBody(), "UserCategory", nil, "TermsAndConditionsAccepted", false), "PAYER", "ACTIVE"},
		{"/sca/users/legal", with(legalBody(), "UserCategory", nil, "TermsAndConditionsAccepted", false, "LegalRepresentativeEmail", "jo@acme.test"), "OWNER", "PENDING_USER_ACTION"},
		{"/users/legal", with(legalBody(), "UserCategory", nil, "TermsAndConditionsAccepted", nil), "OWNER", "ACTIVE"},
		{"/sca/users/natural", with(ownerBody(), "UserCategory", nil, "TermsAndConditionsAccepted", false), "OWNER", "PENDING_USER_ACTION"},
		{"/sca/users/natural", with(ownerBody(), "UserCategory", nil, "Nationality", nil), "PAYER", "ACTIVE"},
	}
	for _, tt := range tests {
		u := y.obj("POST", tt.path, tt.body)
		if u["UserCategory"] != tt.category || u["UserStatus"] != tt.user || u["TermsAndConditionsAccepted"] != (tt.body["TermsAndConditionsAccepted"] == true) {
			t.Errorf("POST %s %v = %v, want %s %s", tt.path, tt.body, u, tt.category, tt.user)
		}
	}
}
