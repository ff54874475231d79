package plan

import (
	"testing"
	"time"
)

func TestCheckIBAN(t *testing.T) {
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
		if got := checkIBAN(tc.iban); got != tc.want {
			t.Errorf("checkIBAN(%q) = %q, want %q", tc.iban, got, tc.want)
		}
	}
}

func TestCardExpiry(t *testing.T) {
	now := func() time.Time { return time.Date(2026, time.November, 23, 22, 0, 0, 0, time.UTC) }
	for expiry, wantErr := range map[string]bool{
		"11/26": false, // valid until the end of its month
		"12/26": false,
		"10/26": true,
		"01/20": true,
		"12/49": false,
	} {
		var errs ErrorList
		c := &checker{p: &Plan{}, errs: &errs, clock: now}
		c.cardExpiry("cards.x.expiry", expiry, c.now())
		if got := len(errs) > 0; got != wantErr {
			t.Errorf("cardExpiry(%s) errors = %v, want error %v", expiry, errs, wantErr)
		}
	}
}
