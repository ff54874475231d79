package country

import (
	"testing"

	"settle/internal/checksum"
)

func TestKnown(t *testing.T) {
	for code, want := range map[string]bool{
		"FR": true, "DE": true, "GB": true, "US": true, "AX": true, "SS": true, "XK": true,
		"XX": false, "UK": false, "EL": false, "EU": false, "fr": false, "F": false, "FRA": false, "": false,
		"YU": false, "AN": false, "WL": false, // withdrawn or never assigned
	} {
		if got := Known(code); got != want {
			t.Errorf("Known(%q) = %v, want %v", code, got, want)
		}
	}
	if n := len(codes); n != 250 {
		t.Errorf("the table has %d codes, want the 249 of ISO 3166-1 plus XK", n)
	}
}

// TestIBANCountriesKnown checks that every country with IBANs is a known
// country, so the two tables cannot drift apart.
func TestIBANCountriesKnown(t *testing.T) {
	for _, c := range checksum.IBANCountries() {
		if !Known(c) {
			t.Errorf("IBAN country %s is not a known country", c)
		}
	}
}

func TestHint(t *testing.T) {
	for code, want := range map[string]string{"UK": "GB", "EL": "GR", "XX": "", "FR": ""} {
		if _, got := Hint(code); got != want {
			t.Errorf("Hint(%q) use = %q, want %q", code, got, want)
		}
		if _, use := Hint(code); use != "" && !Known(use) {
			t.Errorf("Hint(%q) suggests %q, not a known code", code, use)
		}
	}
}

func TestBlocked(t *testing.T) {
	for code, want := range map[string]bool{"KP": true, "IR": true, "YU": true, "FR": false, "MA": false} {
		if got := Blocked(code); got != want {
			t.Errorf("Blocked(%q) = %v, want %v", code, got, want)
		}
	}
	if !BlockedNationality("KP") || BlockedNationality("IR") {
		t.Error("BlockedNationality: only KP is refused as a nationality")
	}
}
