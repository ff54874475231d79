package apirules

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// docs/plan-format.md explains these rules to plan authors in its own
// words, row by row, so it is written by hand; the figures it states are
// held here to the rules as kept: each row of its recipient rules table
// (lengths, optional or not, forbidden characters, patterns), the IBAN
// currencies and the display name's length in its "derived from" table,
// and the role addresses and legal-entity markers of its owner rules.

const planFormatDoc = "../../docs/plan-format.md"

// backticked are the `code spans` of s, in order.
func backticked(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile("`([^`]*)`").FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// docTable returns the rows (cells trimmed) of the Markdown table of doc
// whose header row starts with header.
func docTable(t *testing.T, doc, header string) [][]string {
	t.Helper()
	var rows [][]string
	in := false
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, header):
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "|"):
			var cells []string
			for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
				cells = append(cells, strings.TrimSpace(c))
			}
			rows = append(rows, cells)
		case in:
			return rows
		}
	}
	if rows == nil {
		t.Fatalf("%s: no table headed %q", planFormatDoc, header)
	}
	return rows
}

// docSection returns the text of doc from the heading to the next heading
// of the same level.
func docSection(t *testing.T, doc, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("%s: no section %q", planFormatDoc, heading)
	}
	level := heading[:strings.IndexByte(heading, ' ')+1]
	if i := strings.Index(rest, "\n"+level); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// TestPlanFormatDocAgreesWithAPIRules: the rule figures docs/plan-format.md
// states are apirules'.
func TestPlanFormatDocAgreesWithAPIRules(t *testing.T) {
	b, err := os.ReadFile(planFormatDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)

	t.Run("recipient rules", func(t *testing.T) {
		byField := map[string]TextRule{}
		for _, r := range textRules {
			byField[r.Field] = r
		}
		seen := map[string]bool{}
		lengths := regexp.MustCompile(`(?:(\d+)-(\d+)|at most (\d+)) characters`)
		for _, row := range docTable(t, doc, "| field | rule") {
			if len(row) != 2 {
				t.Errorf("row %q: want 2 cells", row)
				continue
			}
			field, rule := row[0], row[1]
			if field == "IBAN" {
				seen[field] = true
				if !slices.Contains(backticked(rule), IBANPattern) {
					t.Errorf("IBAN row %q: want the pattern %s", rule, IBANPattern)
				}
				continue
			}
			names := backticked(field)
			if len(names) == 0 {
				t.Errorf("row %q: no field named", field)
			}
			for _, name := range names {
				r, ok := byField[strings.TrimPrefix(name, "Address.")]
				if !ok {
					t.Errorf("row %q: apirules has no rule %s", field, name)
					continue
				}
				seen[r.Field] = true
				m := lengths.FindStringSubmatch(rule)
				if m == nil {
					t.Errorf("%s: %q states no length", r.Field, rule)
					continue
				}
				min, max := m[1], m[2]
				if m[3] != "" {
					min, max = "0", m[3]
				}
				if min != strconv.Itoa(r.Min) || max != strconv.Itoa(r.Max) {
					t.Errorf("%s: the doc says %q, apirules %d to %d characters", r.Field, m[0], r.Min, r.Max)
				}
				if optional := strings.Contains(rule, "optional"); optional != (r.Min == 0) {
					t.Errorf("%s: the doc says %q (optional: %v), apirules a minimum of %d characters", r.Field, rule, optional, r.Min)
				}
				forbid := regexp.MustCompile("none of `([^`]*)`").FindStringSubmatch(rule)
				if want := strings.Join(strings.Split(r.Forbid, ""), " "); forbid == nil || forbid[1] != want {
					t.Errorf("%s: the doc says %q, apirules none of %s", r.Field, rule, want)
				}
				for _, code := range backticked(rule) {
					if strings.HasPrefix(code, "^") && code != r.Pattern() {
						t.Errorf("%s: the doc shows the pattern %s, apirules %s", r.Field, code, r.Pattern())
					}
				}
			}
		}
		for _, r := range textRules {
			if !seen[r.Field] {
				t.Errorf("the recipient rules table has no row for %s", r.Field)
			}
		}
		if !seen["IBAN"] {
			t.Error("the recipient rules table has no IBAN row")
		}
	})

	t.Run("derived recipient fields", func(t *testing.T) {
		derived := map[string]string{}
		for _, row := range docTable(t, doc, "| Recipient field |") {
			derived[row[0]] = row[len(row)-1]
		}
		m := regexp.MustCompile(`own IBAN currency \(([A-Z, ]+)\)`).FindStringSubmatch(derived["`PayoutMethodType`"])
		var want []string
		for c := range ibanCurrencies {
			if c != "EUR" {
				want = append(want, c)
			}
		}
		slices.Sort(want)
		if m == nil || m[1] != strings.Join(want, ", ") {
			t.Errorf("PayoutMethodType: the doc says %q, want its IBAN currencies to be %s (and EUR)", derived["`PayoutMethodType`"], strings.Join(want, ", "))
		}
		if want := "shortened to " + strconv.Itoa(DisplayName.Max) + " characters"; !strings.Contains(derived["`DisplayName`"], want) {
			t.Errorf("DisplayName: the doc says %q, want %q", derived["`DisplayName`"], want)
		}
	})

	t.Run("owner rules", func(t *testing.T) {
		var emails, markers int
		for _, code := range backticked(docSection(t, doc, "## Owners (MANGOPAY's rules of 2026-02-19)")) {
			switch {
			case strings.HasSuffix(code, "@"):
				emails++
				if !GenericEmail(code + "example.org") {
					t.Errorf("the doc names %s as a role address, which GenericEmail does not refuse", code)
				}
			case regexp.MustCompile(`^[A-Z][A-Za-z]+$`).MatchString(code):
				markers++
				if LegalEntityMarker("Weber "+code) != code {
					t.Errorf("the doc names %s as a legal-entity marker, which LegalEntityMarker does not find", code)
				}
			}
		}
		if emails == 0 || markers == 0 {
			t.Errorf("the owner rules name %d role addresses and %d legal-entity markers, want some of each", emails, markers)
		}
	})
}
