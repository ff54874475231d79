package apirules

import (
	"regexp"
	"strings"
	"testing"
)

// textRules are the recipient schema's text rules, all of them.
var textRules = []TextRule{DisplayName, FirstName, LastName, BusinessName, AddressLine1, AddressLine2, City, Region, PostalCode}

// TestTextRule: the recipient schema's lookahead patterns, as kept.
func TestTextRule(t *testing.T) {
	for _, tt := range []struct {
		rule TextRule
		v    string
		want string // "" when v passes
	}{
		{City, "Berlin", ""},
		{City, "St. Louis", `contains "."`},
		{City, strings.Repeat("x", 81), "has 81 characters, at most 80"},
		{City, "", "is empty"},
		{PostalCode, "10178", ""},
		{PostalCode, "SW1A 1AA", ""},
		{PostalCode, "12345678901", "has 11 characters, at most 10"},
		{PostalCode, "D'02", `contains "'"`},
		{FirstName, "Jean-Luc", ""},
		{FirstName, "J_L (Jr.)", `contains "(" and ")" and "." and "_"`},
		{BusinessName, "Weber & Sons", ""},
		{BusinessName, "Weber (Sons)", `contains "(" and ")"`},
		{DisplayName, "O'Brien", `contains "'"`},
		{DisplayName, strings.Repeat("é", 50), ""},
		{AddressLine1, "7/9 rue", `contains "/"`},
		{AddressLine2, "", ""},
		{Region, "Ile-de-France", ""},
	} {
		if got := tt.rule.Problem(tt.v); got != tt.want {
			t.Errorf("%s.Problem(%q) = %q, want %q", tt.rule.Field, tt.v, got, tt.want)
		}
	}
}

// TestPatternAgreesWithProblem: the pattern a rule shows is the rule it
// applies. Go's regexp has no lookahead, so the pattern's two halves are
// checked apart: the characters, and the length.
func TestPatternAgreesWithProblem(t *testing.T) {
	if got, want := City.Pattern(), `^(?!.*[&,.:_]).{1,80}$`; got != want {
		t.Errorf("City.Pattern() = %s, want %s (the schema's)", got, want)
	}
	for _, r := range textRules {
		m := regexp.MustCompile(`^\^\(\?!\.\*\[(.*)\]\)\.\{(\d+),(\d+)\}\$$`).FindStringSubmatch(r.Pattern())
		if m == nil || m[1] != r.Forbid {
			t.Errorf("%s.Pattern() = %s", r.Field, r.Pattern())
			continue
		}
		length := regexp.MustCompile(`^.{` + m[2] + `,` + m[3] + `}$`)
		for _, v := range []string{"a", strings.Repeat("a", r.Max), strings.Repeat("a", r.Max+1), "a" + string(r.Forbid[0])} {
			if matches := length.MatchString(v) && !strings.ContainsAny(v, r.Forbid); matches != (r.Problem(v) == "") {
				t.Errorf("%s: %q matches the pattern %v, but Problem = %q", r.Field, v, matches, r.Problem(v))
			}
		}
	}
}

func TestLocalTransfer(t *testing.T) {
	for _, tt := range []struct {
		country, currency string
		want              bool
	}{
		{"DE", "EUR", true}, {"BG", "EUR", true}, {"MC", "EUR", true}, {"DK", "DKK", true}, {"CH", "CHF", true},
		{"DK", "EUR", false}, {"FR", "USD", false}, {"GB", "GBP", true}, {"TR", "TRY", false},
	} {
		if got := LocalTransfer(tt.country, tt.currency); got != tt.want {
			t.Errorf("LocalTransfer(%s, %s) = %v, want %v", tt.country, tt.currency, got, tt.want)
		}
	}
	if IBANCurrency("GBP") || !IBANCurrency("SEK") {
		t.Error("IBANCurrency: GBP has sort codes, SEK an IBAN")
	}
	if LocalCurrency("FR") != "EUR" || LocalCurrency("SE") != "SEK" || LocalCurrency("TR") != "" {
		t.Error("LocalCurrency: want EUR for FR, SEK for SE, none for TR")
	}
}

func TestOwnerRules(t *testing.T) {
	for email, want := range map[string]bool{"info@x.example": true, "HR@x.example": true, "info+accept@x.example": true,
		"ines.moreau+accept@example.org": false, "informatics@x.example": false, "not-an-email": false} {
		if got := GenericEmail(email); got != want {
			t.Errorf("GenericEmail(%q) = %v, want %v", email, got, want)
		}
	}
	for name, want := range map[string]string{"Weber GmbH": "GmbH", "Acme Ltd.": "Ltd", "Sasha": "", "Weber-SAS": "SAS", "Ines": ""} {
		if got := LegalEntityMarker(name); got != want {
			t.Errorf("LegalEntityMarker(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestUserRules(t *testing.T) {
	for email, want := range map[string]bool{"ines.moreau@example.org": true, "a+accept@b.example": true,
		"ines moreau@example.org": false, "ines@example": false, "a@b@c.example": false, "@example.org": false} {
		if got := Email.MatchString(email); got != want {
			t.Errorf("Email matches %q: %v, want %v", email, got, want)
		}
	}
	for code, want := range map[string]bool{"FR": true, "XK": true, "fr": false, "FRA": false, "F": false} {
		if got := Country.MatchString(code); got != want {
			t.Errorf("Country matches %q: %v, want %v", code, got, want)
		}
	}
	for country, want := range map[string]bool{"US": true, "CA": true, "MX": true, "FR": false, "us": false, "": false} {
		if got := RegionRequired(country); got != want {
			t.Errorf("RegionRequired(%q) = %v, want %v", country, got, want)
		}
	}
	for lpt, want := range map[string]bool{"BUSINESS": true, "SOLETRADER": true, "soletrader": false, "TRUST": false, "": false} {
		if got := IsLegalPersonType(lpt); got != want {
			t.Errorf("IsLegalPersonType(%q) = %v, want %v", lpt, got, want)
		}
	}
	if l := LegalPersonTypes(); len(l) != 4 || IsLegalPersonType(l[0]+"X") {
		t.Errorf("LegalPersonTypes() = %v", l)
	}
}

func TestKYCSandboxVerdict(t *testing.T) {
	for _, tt := range []struct {
		tag        string
		accept, ok bool
		refusal    string
	}{
		{"accept", true, true, ""},
		{"refuse_unreadable", false, true, "DOCUMENT_UNREADABLE"},
		{"refuse_no_user_data_match", false, true, "DOCUMENT_DO_NOT_MATCH_USER_DATA"},
		{"refuse_underage", false, true, "UNDERAGE_PERSON"},
		{"Accept", false, false, ""},
		{"refuse_other", false, false, ""},
		{"", false, false, ""},
	} {
		accept, refusal, ok := KYCSandboxVerdict(tt.tag)
		if accept != tt.accept || refusal != tt.refusal || ok != tt.ok {
			t.Errorf("KYCSandboxVerdict(%q) = %v, %q, %v; want %v, %q, %v", tt.tag, accept, refusal, ok, tt.accept, tt.refusal, tt.ok)
		}
	}
	tags := KYCSandboxTags()
	if len(tags) != 10 || tags[0] != "accept" {
		t.Errorf("KYCSandboxTags() = %v, want accept and the 9 refuse_* Tags", tags)
	}
	for _, tag := range tags[1:] {
		if accept, refusal, ok := KYCSandboxVerdict(tag); accept || refusal == "" || !ok || !strings.HasPrefix(tag, "refuse_") {
			t.Errorf("KYCSandboxVerdict(%q) = %v, %q, %v: want a refusal", tag, accept, refusal, ok)
		}
	}
}
