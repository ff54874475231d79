package plan

import (
	"slices"
	"strings"
	"testing"
)

// literalCases break basePlan in how a value is written: numbers in other
// bases, with underscores, a decimal point or an exponent, and text with
// control characters, written as escapes or as they are.
var literalCases = []struct {
	name  string
	edits []string // old, new, old, new...
	want  []string
}{
	{"hexadecimal amount", []string{"amount: 5000", "amount: 0x1388"}, []string{
		"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: amounts are whole numbers of cents in decimal digits: write 5000 for 0x1388 (hexadecimal)",
	}},
	{"octal amount, capital O", []string{"amount: 5000", "amount: 0O11610"}, []string{
		"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: amounts are whole numbers of cents in decimal digits: write 5000 for 0O11610 (octal)",
	}},
	{"binary fixed fee", []string{"fees: {percent: 8}", "fees: {fixed: 0b1010}"}, []string{
		"plan.yaml:54:19: campaigns.garden-2026.fees.fixed: amounts are whole numbers of cents in decimal digits: write 10 for 0b1010 (binary)",
	}},
	{"underscores in pay-in fees", []string{"fees: 50}", "fees: 5_0}"}, []string{
		"plan.yaml:69:83: campaigns.acme-2026.contributions.0.payin.fees: amounts are whole numbers of cents in decimal digits: write 50 for 5_0 (no underscores)",
	}},
	{"leading zero in a refund amount", []string{"refund_amount: 400", "refund_amount: 0400"}, []string{
		"plan.yaml:70:93: campaigns.acme-2026.contributions.1.refund_amount: amounts are whole numbers of cents in decimal digits, without a leading 0: YAML reads 0400 as octal, which is 256",
	}},
	{"negative hexadecimal: one error, not two", []string{"amount: 5000", "amount: -0x10"}, []string{
		"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: amounts are whole numbers of cents in decimal digits: write -16 for -0x10 (hexadecimal)",
	}},
	{"hexadecimal version", []string{"version: 1", "version: 0x1"}, []string{
		"plan.yaml:2:10: version: must be written in decimal digits: write 1 for 0x1 (hexadecimal)",
	}},
	{"octal percent", []string{"percent: 8}", "percent: 0o10}"}, []string{
		"plan.yaml:54:21: campaigns.garden-2026.fees.percent: must be written in decimal digits: write 8 for 0o10 (octal)",
	}},
	{"hexadecimal in text is a type error", []string{`postal_code: "75009"`, "postal_code: 0x10"}, []string{
		`plan.yaml:16:81: users.cyrano.address.postal_code: must be text, not a whole number (put it in quotes: "0x10")`,
	}},
	{"amount beyond 64 bits", []string{"amount: 5000", "amount: 100000000000000000000"}, []string{
		"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: is too large: must be <= 9223372036854775807",
	}},
	{"amount in euros beyond int64 cents", []string{"amount: 5000", "amount: 100000000000000000.00"}, []string{
		"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: amounts are whole numbers of cents, without a decimal point, at most 9223372036854775807: 100000000000000000.00 is too large",
	}},
	{"amount in euros and cents", []string{"amount: 5000", "amount: 50.5"}, []string{
		"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: amounts are whole numbers of cents, without a decimal point: write 5050 for 50.5",
	}},
	{"amount with an exponent", []string{"amount: 5000", "amount: 5E3"}, []string{
		"plan.yaml:59:17: campaigns.garden-2026.contributions.0.amount: amounts are whole numbers of cents in decimal digits: write 5000 for 5E3",
	}},
	{"NUL escape", []string{"first_name: Cyrano", `first_name: "Cyr\0ano"`}, []string{
		`plan.yaml:10:21: users.cyrano.first_name: \0 is the control character U+0000 (NUL): text may hold printable characters only`,
	}},
	{"escapes after an escaped quote and backslash", []string{"first_name: Cyrano", `first_name: "C\"y\\r\x1Bano"`}, []string{
		`plan.yaml:10:25: users.cyrano.first_name: \x1B is the control character U+001B (ESC): text may hold printable characters only`,
	}},
	{"unicode escapes: C1 and line separator", []string{"last_name: de Bergerac", `last_name: "de\u0085Bergerac"`, "line1: Street 7", `line1: "Street\L7"`}, []string{
		`plan.yaml:11:19: users.cyrano.last_name: \u0085 is the control character U+0085 (next line): text may hold printable characters only`,
		`plan.yaml:16:29: users.cyrano.address.line1: \L is the control character U+2028 (line separator): text may hold printable characters only`,
	}},
	{"DEL escape in a flow mapping", []string{"description: Community garden}", `description: "Community\x7Fgarden"}`}, []string{
		`plan.yaml:32:55: wallets.garden.description: \x7F is the control character U+007F (DEL): text may hold printable characters only`,
	}},
	{"escape on the second line of a quoted value", []string{"name: ACME SAS", "name: \"ACME\n      S\\0AS\""}, []string{
		`plan.yaml:22:8: users.acme.name: \0 is the control character U+0000 (NUL): text may hold printable characters only`,
	}},
	{"tab in a plain value", []string{"name: ACME SAS", "name: ACME\tSAS"}, []string{
		"plan.yaml:21:15: users.acme.name: the control character U+0009 (tab) is not allowed in text: remove it",
	}},
	{"tab in a single-quoted value", []string{"name: ACME SAS", "name: 'ACME\tSAS'"}, []string{
		"plan.yaml:21:16: users.acme.name: the control character U+0009 (tab) is not allowed in text: remove it",
	}},
	{"literal block", []string{"name: ACME SAS", "name: |\n      ACME\n      SAS"}, []string{
		"plan.yaml:21:11: users.acme.name: holds a line break: text is written on one line",
	}},
	{"folded block ends with a line break", []string{"name: ACME SAS", "name: >\n      ACME SAS"}, []string{
		"plan.yaml:21:11: users.acme.name: holds a line break: text is written on one line",
	}},
	{"stripped folded block is one line", []string{"name: ACME SAS", "name: >-\n      ACME\n      SAS"}, nil},
	{"plain value over two lines is one line", []string{"name: ACME SAS", "name: ACME\n      SAS"}, nil},
	{"right-to-left override written as is", []string{"name: ACME SAS", "name: ACME \u202eSAS"}, []string{
		"plan.yaml:21:16: users.acme.name: the control character U+202E (right-to-left override) is not allowed in text: remove it",
	}},
	{"line separator written as is, in quotes", []string{"name: ACME SAS", "name: \"ACME\u2028SAS\""}, []string{
		"plan.yaml:21:16: the control character U+2028 (line separator) is not allowed in a plan: YAML reads it as a line break; remove it",
	}},
	{"next line written as is, in a comment", []string{"name: ACME SAS", "name: ACME SAS # \u0085"}, []string{
		"plan.yaml:21:22: the control character U+0085 (next line) is not allowed in a plan: YAML reads it as a line break; remove it",
	}},
	{"text as base64", []string{"first_name: Cyrano", "first_name: !!binary SW4AZXM="}, []string{
		"plan.yaml:10:17: users.cyrano.first_name: !!binary values are not allowed in a plan: write the text itself",
	}},
	{"a sign is decimal", []string{"amount: 5000", "amount: +5000"}, nil},
	{"printable escapes", []string{"first_name: Cyrano", `first_name: "Cyr\u00e9n\x41o\_"`}, nil},
}

func TestLiterals(t *testing.T) {
	for _, tc := range literalCases {
		t.Run(tc.name, func(t *testing.T) {
			got := loadErrors(t, editAll(t, basePlan, tc.edits))
			if !slices.Equal(got, tc.want) {
				t.Errorf("Load() errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestIntBase(t *testing.T) {
	for written, want := range map[string]string{
		"5000": "", "+5000": "", "-5000": "", "0": "",
		"0x1388": "hexadecimal", "-0X10": "hexadecimal", "0o17": "octal", "0b101": "binary",
		"017": "leading 0", "0_10": "leading 0", "5_000": "underscores",
	} {
		if got := intBase(written); got != want {
			t.Errorf("intBase(%q) = %q, want %q", written, got, want)
		}
	}
}

func TestControlInQuotes(t *testing.T) {
	for _, tc := range []struct {
		src     string
		at      int
		esc     string
		wantHit bool
	}{
		{`"plain"`, 0, "", false},
		{`"a\tb"`, 2, `\t`, true},
		{`"a\\tb"`, 0, "", false}, // an escaped backslash, then t
		{`"a\"\x00"`, 4, `\x00`, true},
		{`"a\x41\u0009"`, 6, `\u0009`, true},
		{`"a\U0000001B"`, 2, `\U0000001B`, true},
		{"\"a\tb\"", 2, "", true},
		{"\"a\nb\\e\"", 4, `\e`, true},
		{`"ab" \0`, 0, "", false}, // after the closing quote
		{`"a\x0`, 0, "", false},   // cut short
	} {
		at, esc, ok := controlInQuotes([]byte(tc.src), 0)
		if ok != tc.wantHit || at != tc.at || esc != tc.esc {
			t.Errorf("controlInQuotes(%q) = %d, %q, %v; want %d, %q, %v", tc.src, at, esc, ok, tc.at, tc.esc, tc.wantHit)
		}
	}
}
