package plan

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

// ibanCheckDigits computes the two check digits of an IBAN whose digits 3-4
// are ignored; test helpers use it to build valid IBANs.
func ibanCheckDigits(iban string) string {
	s := iban[4:] + iban[:2] + "00"
	n := new(big.Int)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'A' && ch <= 'Z' {
			n.Mul(n, big.NewInt(100)).Add(n, big.NewInt(int64(ch-'A'+10)))
		} else {
			n.Mul(n, big.NewInt(10)).Add(n, big.NewInt(int64(ch-'0')))
		}
	}
	r := 98 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%02d", r)
}

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

// TestIBANMod97Property builds valid IBANs for every country and checks
// that each passes and that any single changed digit fails.
func TestIBANMod97Property(t *testing.T) {
	for country, n := range ibanLengths {
		body := strings.Repeat("7", n-4)
		iban := country + "00" + body
		iban = country + ibanCheckDigits(iban) + body
		if msg := checkIBAN(iban); msg != "" {
			t.Errorf("checkIBAN(%s) = %q, want valid", iban, msg)
		}
		broken := iban[:6] + "1" + iban[7:]
		if msg := checkIBAN(broken); msg == "" {
			t.Errorf("checkIBAN(%s) is valid, want a checksum error", broken)
		}
	}
}

func TestLuhn(t *testing.T) {
	for number, want := range map[string]bool{
		"4970107111111119": true, "4970105181818183": true, "5033951000000004": true,
		"375989111111119": true, "4706750000000009": true,
		"4970107111111118": false, "1234567812345678": false, "": false, "49701071111111a9": false,
	} {
		if got := luhn(number); got != want {
			t.Errorf("luhn(%q) = %v, want %v", number, got, want)
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
