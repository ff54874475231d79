package plan

import (
	"slices"
	"testing"
)

// TestBirthday checks birthdays against the test clock (23 November
// 2026): today and earlier (back to 1900) are accepted, tomorrow and
// before 1900 are refused.
func TestBirthday(t *testing.T) {
	for date, want := range map[string]string{
		"1961-10-23": "",
		"2026-11-23": "",
		"1900-01-01": "",
		"2026-11-24": "2026-11-24 is in the future: a birthday is a past date (check the year)",
		"2100-01-01": "2100-01-01 is in the future: a birthday is a past date (check the year)",
		"1899-12-31": "1899-12-31 is before 1900: check the year",
		"":           "",
	} {
		c, errs := testChecker()
		c.birthday("users.x", date)
		var got string
		if len(*errs) > 0 {
			got = (*errs)[0].Msg
		}
		if got != want || len(*errs) > 1 {
			t.Errorf("birthday(%q) errors = %v, want %q", date, *errs, want)
		}
	}
}

// TestCountries checks every country field of a person: unknown codes are
// refused with a hint for the usual mistakes, MANGOPAY's restrictions
// first.
func TestCountries(t *testing.T) {
	for _, tc := range []struct {
		nationality, residence, address string
		want                            []string
	}{
		{"FR", "DE", "XK", nil},
		{"XX", "FR", "FR", []string{"p.nationality: XX is not a country: write an ISO 3166-1 alpha-2 code, like FR"}},
		{"FR", "UK", "EL", []string{
			"p.address.country: EL is not an ISO 3166-1 country code: write GR for Greece",
			"p.country_of_residence: UK is not an ISO 3166-1 country code: write GB for the United Kingdom",
		}},
		{"KP", "YU", "IR", []string{
			"p.address.country: MANGOPAY does not accept addresses in IR (country restrictions)",
			"p.country_of_residence: MANGOPAY does not accept residents of YU (country restrictions)",
			"p.nationality: MANGOPAY does not accept nationality KP (country restrictions)",
		}},
		{"YU", "", "", []string{"p.nationality: YU is not a country: write an ISO 3166-1 alpha-2 code, like FR"}},
	} {
		c, errs := testChecker()
		var addr *Address
		if tc.address != "" {
			addr = &Address{Country: tc.address}
		}
		c.countries("p", tc.nationality, tc.residence, addr)
		var got []string
		for _, e := range *errs {
			got = append(got, e.Path+": "+e.Msg)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("countries(%s, %s, %s) = %q, want %q", tc.nationality, tc.residence, tc.address, got, tc.want)
		}
	}
}
