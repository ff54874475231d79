package mask

import "testing"

func TestIBAN(t *testing.T) {
	for in, want := range map[string]string{
		"FR7630004000031234567890143":       "FR76*******************0143",
		"FR76 3000 4000 0312 3456 7890 143": "FR76*******************0143",
		"DE12345678":                        "DE12**5678",
		"12345678":                          "********",
		"":                                  "",
	} {
		if got := IBAN(in); got != want {
			t.Errorf("IBAN(%q) = %q, want %q", in, got, want)
		}
	}
}
