package plan

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xeipuuv/gojsonschema"
	"gopkg.in/yaml.v3"

	"settle/internal/apirules"
)

// locator returns a Plan that only knows its node tree, to locate paths.
func (l *loader) locator(root *yaml.Node) *Plan {
	p := &Plan{root: root, lines: l.lines, aliasAt: l.aliasAt}
	p.Pos = l.pos(root)
	p.Pos.File = l.file
	return p
}

// schemaErrors records schema violations. prefix is the path of the value
// that was validated (errors' contexts are relative to it).
//
// gojsonschema reports some violations twice or in its own terms; this
// rewrites them for a finance operator: "if/then" and "allOf" wrappers are
// dropped (their inner errors stay), an unknown field or a bad key is
// reported at the key, a missing field at the object that lacks it, and
// oneOf/propertyNames failures once, without the inner errors that
// explain them in schema terms.
func (l *loader) schemaErrors(root *yaml.Node, prefix string, errs []gojsonschema.ResultError) {
	loc := l.locator(root)
	oneOf := map[string]bool{}
	badNames := map[string]bool{}
	badType := map[string]bool{}
	for _, e := range errs {
		ctx := ctxPath(prefix, e)
		switch e.Type() {
		case "invalid_type":
			badType[ctx] = true
		case "number_one_of":
			oneOf[ctx] = true
		case "invalid_property_name":
			badNames[ctx+"\x00"+fmt.Sprint(e.Details()["property"])] = true
		}
	}
	for _, e := range errs {
		ctx := ctxPath(prefix, e)
		if l.writtenAt[ctx] {
			continue // the way the value is written explains it
		}
		switch e.Type() {
		case "condition_then", "condition_else", "number_all_of":
			continue
		case "const", "enum":
			if badType[ctx] {
				continue // "must be true or false" says it already
			}
			l.errs.Add(loc.PosOf(ctx), ctx, schemaMessage(e, ctx, loc))
		case "required":
			if oneOf[ctx] {
				continue
			}
			if m, ok := oneOfMessages[lastSeg(ctx)]; ok {
				l.errs.Add(loc.PosOf(ctx), ctx, m) // the "else" of an either-or
				continue
			}
			l.errs.Add(loc.PosOf(ctx), ctx, fmt.Sprintf("missing required field %q", e.Details()["property"]))
		case "additional_property_not_allowed":
			prop := fmt.Sprint(e.Details()["property"])
			p := joinPath(ctx, prop)
			l.errs.Add(loc.keyPos(p), p, fmt.Sprintf("unknown field %q", prop)+didYouMean(prop, fieldsAt(ctx)))
		case "invalid_property_name":
			prop := fmt.Sprint(e.Details()["property"])
			p := joinPath(ctx, prop)
			l.errs.Add(loc.keyPos(p), p, fmt.Sprintf("%q is not a valid key: use lowercase letters, digits and dashes, starting with a letter or digit (at most 64)", prop))
		case "pattern", "string_gte", "string_lte":
			if s, ok := e.Value().(string); ok && badNames[ctx+"\x00"+s] {
				continue
			}
			l.errs.Add(loc.PosOf(ctx), ctx, schemaMessage(e, ctx, loc))
		default:
			l.errs.Add(loc.PosOf(ctx), ctx, schemaMessage(e, ctx, loc))
		}
	}
}

// ctxPath turns an error's context ("(root).users.alice") into a plan path.
func ctxPath(prefix string, e gojsonschema.ResultError) string {
	c := e.Context().String()
	c = strings.TrimPrefix(strings.TrimPrefix(c, "(root)"), ".")
	return joinPath(prefix, c)
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

func lastSeg(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// schemaMessage words one violation for the plan's author.
func schemaMessage(e gojsonschema.ResultError, path string, loc *Plan) string {
	d := e.Details()
	field := lastSeg(path)
	switch e.Type() {
	case "invalid_type":
		return typeMessage(fmt.Sprint(d["expected"]), fmt.Sprint(d["given"]), path, loc)
	case "const":
		return constMessage(field, d["allowed"])
	case "enum":
		return enumMessage(e.Value(), fmt.Sprint(d["allowed"]))
	case "pattern":
		if m, ok := patternMessages[field]; ok {
			return m
		}
		if isKeyRef(field) {
			return patternMessages["key"]
		}
		return fmt.Sprintf("does not have the expected form (%v)", d["pattern"])
	case "format":
		return dateMessage(e.Value())
	case "number_one_of":
		if m, ok := oneOfMessages[field]; ok {
			return m
		}
	case "false":
		// The schema uses false only to make two fields exclusive.
		if m, ok := oneOfMessages[lastSeg(parentPath(path))]; ok {
			return m
		}
		return "is not allowed here"
	}
	if m := boundMessage(e.Type(), d, field); m != "" {
		return m
	}
	return e.Description()
}

// boundMessage words the violation of a bound (length, value, count), or
// returns "" for other kinds of violation.
func boundMessage(kind string, d gojsonschema.ErrorDetails, field string) string {
	switch kind {
	case "string_gte":
		if boundText(d["min"]) == "1" {
			return "must not be empty"
		}
		return fmt.Sprintf("must be at least %s characters", boundText(d["min"]))
	case "string_lte":
		return fmt.Sprintf("must be at most %s characters", boundText(d["max"]))
	case "number_gte":
		if boundText(d["min"]) == "1" && isAmount(field) {
			return "must be positive (at least 1 cent)"
		}
		return "must be >= " + boundText(d["min"])
	case "number_lte":
		if boundText(d["max"]) == strconv.FormatInt(1<<63-1, 10) {
			return "is too large: must be <= " + boundText(d["max"])
		}
		return "must be <= " + boundText(d["max"])
	case "multiple_of":
		return "must have at most 2 decimals"
	case "array_min_items":
		return fmt.Sprintf("must list at least %s", plural(boundText(d["min"]), "item"))
	case "array_max_items":
		if field == "pages" {
			return fmt.Sprintf("must list at most %s (MANGOPAY's limit per document)", plural(boundText(d["max"]), "page"))
		}
		return fmt.Sprintf("must list at most %s", plural(boundText(d["max"]), "item"))
	}
	return ""
}

var patternMessages = map[string]string{
	"name":                 "must be lowercase letters, digits and dashes, starting with a letter or digit",
	"key":                  "must be a plan key: lowercase letters, digits and dashes, starting with a letter or digit",
	"id":                   "must be a MANGOPAY Id: letters, digits, _ and -",
	"country":              "must be a country code of 2 capital letters, like FR",
	"nationality":          "must be a country code of 2 capital letters, like FR",
	"country_of_residence": "must be a country code of 2 capital letters, like FR",
	"email":                "must be an email address, like alice@example.org",
	"iban":                 "must be an IBAN in capitals without spaces, like FR7630004000031234567890143",
	"bic":                  "must be a BIC of 8 or 11 letters and digits, like BNPAFRPP",
	"postal_code":          fmt.Sprintf("may hold only letters, digits, dashes and spaces (at most %d)", apirules.AddressPostalCodeMax),
	"number":               "must be a card number of 12 to 19 digits, without spaces",
	"expiry":               "must be the expiry month and year as MM/YY, like \"12/29\"",
	"cvx":                  "must be 3 or 4 digits",
	"wire_ref":             "must be 1 to 12 letters, digits or spaces (MANGOPAY's limit for a bank statement reference)",
	"phone_number":         "must be an international phone number: + then 6 to 15 digits, without spaces, like +33612345678",
	"phone_number_country": "must be a country code of 2 capital letters, like FR",
}

// oneOfMessages words the either-or objects of the schema, by field name.
var oneOfMessages = map[string]string{
	"fees":  "give either percent or fixed (exactly one of them)",
	"payin": "give either id (an existing pay-in) or card (the card to pay in with), exactly one of them",
}

func parentPath(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// isAmount reports whether a field holds an amount in cents.
func isAmount(field string) bool {
	switch field {
	case "amount", "fixed", "fees", "refund_amount":
		return true
	}
	return false
}

// isKeyRef reports whether a field holds a plan key (a reference).
func isKeyRef(field string) bool {
	switch field {
	case "owner", "user", "from", "wallet", "bank_account", "card":
		return true
	}
	return false
}

var typeNames = map[string]string{
	"integer": "a whole number",
	"number":  "a number",
	"string":  "text",
	"object":  "a mapping (key: value lines)",
	"array":   "a list",
	"boolean": "true or false",
	"null":    "empty",
}

func typeMessage(want, given, path string, loc *Plan) string {
	if path == "" {
		return "a plan must be a mapping of fields (version: 1, name: ..., currency: ...)"
	}
	w, g := typeNames[want], typeNames[given]
	if w == "" {
		w = want
	}
	if g == "" {
		g = given
	}
	msg := fmt.Sprintf("must be %s, not %s", w, g)
	n, _, _ := loc.locate(path)
	if want == "string" && n != nil && n.Kind == yaml.ScalarNode && given != "null" {
		msg += fmt.Sprintf(" (put it in quotes: %q)", n.Value)
	}
	return msg
}

var datePattern = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})$`)

// dateMessage words a date the schema refused: written wrong, or written
// right but not a day of the calendar (1981-02-29).
func dateMessage(v any) string {
	s, _ := v.(string)
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return "must be a date written YYYY-MM-DD, like 1961-10-23"
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return "must be a date written YYYY-MM-DD, like 1961-10-23"
	}
	year, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	if month < 1 || month > 12 {
		return fmt.Sprintf("%s is not a date: there is no month %s (write YYYY-MM-DD)", s, m[2])
	}
	if day, _ := strconv.Atoi(m[3]); day == 0 {
		return fmt.Sprintf("%s is not a date: days are numbered from 01", s)
	}
	days := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return fmt.Sprintf("%s is not a date: %s %d has %d days", s, time.Month(month), year, days)
}

func constMessage(field string, allowed any) string {
	switch field {
	case "terms_accepted":
		return "must be true: an owner must accept MANGOPAY's terms and conditions"
	case "version":
		return "must be 1 (the only plan format version)"
	}
	return fmt.Sprintf("must be %v", allowed)
}

func enumMessage(value any, allowed string) string {
	var opts []string
	for _, s := range strings.Split(allowed, ", ") {
		if u, err := strconv.Unquote(s); err == nil {
			s = u
		}
		opts = append(opts, s)
	}
	v := fmt.Sprint(value)
	if s, ok := value.(string); ok {
		v = strconv.Quote(s)
	}
	msg := fmt.Sprintf("%s is not one of %s", v, strings.Join(opts, ", "))
	if s, ok := value.(string); ok {
		msg += didYouMean(s, opts)
	}
	return msg
}

// boundText prints a schema bound exactly (gojsonschema gives *big.Float).
func boundText(v any) string {
	switch x := v.(type) {
	case *big.Float:
		return x.Text('f', -1)
	case *big.Rat:
		return x.RatString()
	}
	return fmt.Sprint(v)
}

func plural(n, word string) string {
	if n == "1" {
		return "1 " + word
	}
	return n + " " + word + "s"
}
