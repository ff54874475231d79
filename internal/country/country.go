// Package country knows the country codes settle accepts and the ones
// MANGOPAY refuses: the ISO 3166-1 alpha-2 codes (FR, DE, ...) and
// MANGOPAY's country restrictions. The plan validator and the embedded
// sandbox both use it, so the table exists once and a plan that validates
// is never refused by the sandbox for a country.
package country

// codes are the 249 officially assigned ISO 3166-1 alpha-2 codes (as of
// 2026; the same as Debian's iso-codes database), plus XK, the code the
// European Commission, SWIFT's IBAN registry and banks use for Kosovo
// (ISO leaves it user-assigned): Kosovo IBANs are valid in a plan, so a
// Kosovo address must be too.
var codes = func() map[string]bool {
	m := map[string]bool{"XK": true}
	const all = "" +
		"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
		"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
		"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
		"DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
		"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
		"HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
		"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY " +
		"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
		"NA NC NE NF NG NI NL NO NP NR NU NZ OM " +
		"PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
		"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
		"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ " +
		"VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
	for i := 0; i+2 <= len(all); i += 3 {
		m[all[i:i+2]] = true
	}
	return m
}()

// Known reports whether code is a country code: an ISO 3166-1 alpha-2
// code in capitals (or XK, Kosovo).
func Known(code string) bool { return codes[code] }

// Hint returns what a well-known code that is not ISO 3166-1 stands for,
// and the code to write instead ("UK": "GB"), or "" and "" for any other
// code.
func Hint(code string) (country, use string) {
	switch code {
	case "UK":
		return "the United Kingdom", "GB"
	case "EL":
		return "Greece", "GR"
	}
	return "", ""
}

// blocked are the countries MANGOPAY refuses as a country of residence,
// an address country or a bank's country (mangopay-api.md §3.1, DOCS
// guides/users/country-restrictions.mdx). Some are withdrawn ISO codes
// (AN, YU) or not ISO codes at all (WL), which MANGOPAY names anyway.
var blocked = map[string]bool{
	"CU": true, "IR": true, "KP": true, "MM": true, "SY": true,
	"AN": true, "BV": true, "GS": true, "HM": true, "WL": true, "YU": true,
}

// Blocked reports whether MANGOPAY refuses code as a country of residence,
// an address country or a bank account's country.
func Blocked(code string) bool { return blocked[code] }

// BlockedNationality reports whether MANGOPAY refuses code as a
// nationality: of the blocked countries, only KP.
func BlockedNationality(code string) bool { return code == "KP" }
