package plan

import (
	"testing"
)

func TestIBANProblem(t *testing.T) {
	for _, tc := range []struct{ iban, want string }{
		{"FR7630004000031234567890143", ""},
		{"FR7611808009101234567890147", ""},
		{"DE89370400440532013000", ""},
		{"GB29NWBK60161331926819", ""},
		{"NO9386011117947", ""},
		{"FR7630004000031234567890144", "the IBAN's check digits are wrong: a character is mistyped"},
		{"FR763000400003123456789014", "FR IBANs have 27 characters, this one has 26"},
		{"ZZ7630004000031234567890143", `"ZZ" is not a country that uses IBANs`},
		{"FR7", "is too short to be an IBAN"},
		{"DE89370400440532013001", "the IBAN's check digits are wrong: a character is mistyped"},
	} {
		if got := ibanProblem(tc.iban); got != tc.want {
			t.Errorf("ibanProblem(%q) = %q, want %q", tc.iban, got, tc.want)
		}
	}
}
