package checksum

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// checkDigits computes the two check digits of an IBAN whose digits 3-4 are
// ignored, the slow way (big integers), to build valid IBANs.
func checkDigits(iban string) string {
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
	return fmt.Sprintf("%02d", 98-new(big.Int).Mod(n, big.NewInt(97)).Int64())
}

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
		{"FRA630004000031234567890143", "the IBAN's 3rd and 4th characters are its check digits: they must be digits"},
	} {
		if got := IBANProblem(tc.iban); got != tc.want {
			t.Errorf("IBANProblem(%q) = %q, want %q", tc.iban, got, tc.want)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	for iban, want := range map[string]bool{
		"FR7630004000031234567890143": true, "FR7611808009101234567890147": true, "DE89370400440532013000": true,
		"GB82WEST12345698765432": true, "FR541558929750ZZZZZZAC01915": true, "NO9386011117947": true,
		"FR7630004000031234567890144": false, "FR763000400003123456789014": false, "ZZ7630004000031234567890143": false,
		"XX00": false, "FR7": false, "": false, "FR76 3000400003123456789014": false, "fr7630004000031234567890143": false,
	} {
		if got := ValidIBAN(iban); got != want {
			t.Errorf("ValidIBAN(%q) = %v, want %v", iban, got, want)
		}
	}
}

// TestIBANEveryCountry builds a valid IBAN for every country and checks
// that it passes and that a single changed digit fails.
func TestIBANEveryCountry(t *testing.T) {
	for _, country := range IBANCountries() {
		n, _ := IBANLength(country)
		body := strings.Repeat("7", n-4)
		iban := country + checkDigits(country+"00"+body) + body
		if !ValidIBAN(iban) {
			t.Errorf("ValidIBAN(%s) = false, want true", iban)
		}
		if broken := iban[:6] + "1" + iban[7:]; ValidIBAN(broken) {
			t.Errorf("ValidIBAN(%s) = true, want false", broken)
		}
	}
}

func TestLuhn(t *testing.T) {
	for number, want := range map[string]bool{
		"4970107111111119": true, "4970105181818183": true, "5033951000000004": true,
		"375989111111119": true, "4706750000000009": true,
		"4970107111111118": false, "1234567812345678": false, "": false, "49701071111111a9": false,
	} {
		if got := Luhn(number); got != want {
			t.Errorf("Luhn(%q) = %v, want %v", number, got, want)
		}
	}
}
