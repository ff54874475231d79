package plan

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// How a value is written matters as much as what it is. YAML reads
// 0x1388, 0o11610 and 5_000 as 5000, 05000 as 2560 (octal), 50.00 as a
// number, and "In\0es" as text holding a NUL; the schema sees only the
// values, so these are checked here, on the scalars as written, while
// the plan is turned into JSON for the schema (see [loader.toJSON]).
// Each mistake is one error at the value (at the escape, for a control
// character written as one), reported with the schema's errors; the
// schema's own error about that value, if any, is then left out, since
// it follows from the way it is written. The characters YAML itself reads
// as line breaks (U+0085, U+2028, U+2029) are refused wherever they are
// written, before the file is parsed (see checkLineBreakChars).

// writtenError records a mistake in how the value at path is written.
func (l *loader) writtenError(pos Pos, path, msg string) {
	if l.writtenAt == nil {
		l.writtenAt = map[string]bool{}
	}
	l.writtenAt[path] = true
	l.written.Add(pos, path, msg)
}

// isAmountPath reports whether the value at path is an amount in cents.
// "fees" is an amount in a pay-in only: a campaign's fees is an object.
func isAmountPath(path string) bool {
	field := lastSeg(path)
	if field == "fees" {
		return lastSeg(parentPath(path)) == "payin"
	}
	return isAmount(field)
}

// isNumberPath reports whether the schema wants a number at path.
func isNumberPath(path string) bool {
	switch lastSeg(path) {
	case "version", "income_range", "percent":
		return true
	}
	return isAmountPath(path)
}

// intBase names how an integer YAML accepts is written when it is not in
// plain decimal digits (0x1388 "hexadecimal"), or returns "" for one
// written in decimal digits, perhaps with a sign (+5000).
func intBase(written string) string {
	s := strings.TrimLeft(written, "+-")
	switch {
	case len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		return "hexadecimal"
	case len(s) > 1 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O'):
		return "octal"
	case len(s) > 1 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'):
		return "binary"
	case len(s) > 1 && s[0] == '0':
		return "leading 0"
	case strings.Contains(s, "_"):
		return "underscores"
	}
	return ""
}

// intFormMessage words an integer written in another base or with
// underscores, at a field that wants a number; value is what YAML read.
func intFormMessage(path, written, base string, value any) string {
	prefix := "must be written in decimal digits"
	if isAmountPath(path) {
		prefix = "amounts are whole numbers of cents in decimal digits"
	}
	switch base {
	case "leading 0":
		return fmt.Sprintf("%s, without a leading 0: YAML reads %s as octal, which is %v", prefix, written, value)
	case "underscores":
		return fmt.Sprintf("%s: write %v for %s (no underscores)", prefix, value, written)
	}
	return fmt.Sprintf("%s: write %v for %s (%s)", prefix, value, written, base)
}

// floatMessage words a number written with a decimal point or an
// exponent at a field that wants an integer (an amount, a whole version
// or income range), or returns "" for any other value (the schema words
// the rest).
func floatMessage(path, written string, v float64) string {
	switch {
	case isAmountPath(path):
		return centsMessage(written)
	case v == math.Trunc(v) && (lastSeg(path) == "version" || lastSeg(path) == "income_range"):
		return "must be a whole number, without a decimal point"
	}
	return ""
}

// centsMessage words an amount written as a float: with a decimal point,
// shown in cents (50.00 is 5000 cents, 30.5 is 3050); with an exponent,
// shown in decimal digits (1e3 is 1000).
func centsMessage(written string) string {
	exponent := strings.ContainsAny(written, "eE")
	msg := "amounts are whole numbers of cents, without a decimal point"
	if exponent {
		msg = "amounts are whole numbers of cents in decimal digits"
	}
	r, ok := new(big.Rat).SetString(written)
	if !ok {
		return msg
	}
	if !exponent {
		r.Mul(r, big.NewRat(100, 1))
	}
	switch {
	case !r.IsInt() && exponent:
		return fmt.Sprintf("%s: %s is not a whole number", msg, written)
	case !r.IsInt():
		return fmt.Sprintf("%s: %s holds a fraction of a cent", msg, written)
	case !r.Num().IsInt64():
		return fmt.Sprintf("%s, at most %d: %s is too large", msg, int64(math.MaxInt64), written)
	}
	return fmt.Sprintf("%s: write %s for %s", msg, r.Num(), written)
}

// isControl reports whether text may not hold r: the C0 and C1 control
// characters (NUL, tab, line feed, ESC, DEL...), the Unicode line and
// paragraph separators, and the bidirectional embeddings, overrides and
// isolates (U+202A-U+202E, U+2066-U+2069), which make text read other
// than it is written. None belongs in a name, an address or a reference,
// and MANGOPAY would store (and a bank statement print) them.
func isControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' ||
		(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// firstControl returns the first character of s that text may not hold.
// It costs one pass over the bytes: only 0xC2 and 0xE2 can start the
// multi-byte ones.
func firstControl(s string) (rune, bool) {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b < 0x20 || b == 0x7F:
			return rune(b), true
		case b == 0xC2 || b == 0xE2:
			if r, _ := utf8.DecodeRuneInString(s[i:]); isControl(r) {
				return r, true
			}
		}
	}
	return 0, false
}

// controlNames are the usual names of the control characters a plan is
// likely to hold.
var controlNames = map[rune]string{
	0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x09: "tab", 0x0A: "line feed",
	0x0B: "vertical tab", 0x0C: "form feed", 0x0D: "carriage return", 0x1B: "ESC",
	0x7F: "DEL", 0x85: "next line", 0x2028: "line separator", 0x2029: "paragraph separator",
	0x202A: "left-to-right embedding", 0x202B: "right-to-left embedding", 0x202C: "pop directional formatting",
	0x202D: "left-to-right override", 0x202E: "right-to-left override", 0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate", 0x2068: "first strong isolate", 0x2069: "pop directional isolate",
}

// controlName names a control character: U+0007 (BEL).
func controlName(r rune) string {
	if name, ok := controlNames[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, name)
	}
	return fmt.Sprintf("U+%04X", r)
}

// checkControl records text (a string scalar at path) that holds a
// control character: at the escape that writes it in a double-quoted
// value ("In\0es"), at the character itself when it is written as is (a
// tab), at the value when it is a line break of a value written over
// several lines.
func (l *loader) checkControl(n *yaml.Node, at []string) {
	r, found := firstControl(n.Value)
	if !found {
		return
	}
	path := strings.Join(at, ".")
	start := l.offsetOf(n)
	if n.Style&yaml.DoubleQuotedStyle != 0 {
		if at, esc, ok := controlInQuotes(l.data, start); ok {
			if esc != "" {
				l.writtenError(l.offsetPos(at), path, fmt.Sprintf("%s is the control character %s: text may hold printable characters only", esc, controlName(r)))
			} else {
				l.writtenError(l.offsetPos(at), path, fmt.Sprintf("the control character %s is not allowed in text: remove it", controlName(r)))
			}
			return
		}
	}
	if r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029 {
		l.writtenError(l.pos(n), path, "holds a line break: text is written on one line")
		return
	}
	if i := bytes.IndexRune(l.data[start:], r); i >= 0 {
		l.writtenError(l.offsetPos(start+i), path, fmt.Sprintf("the control character %s is not allowed in text: remove it", controlName(r)))
		return
	}
	l.writtenError(l.pos(n), path, fmt.Sprintf("holds the control character %s: text may hold printable characters only", controlName(r)))
}

// yamlLineBreaks are the characters besides CR and LF that YAML 1.1 (and
// so the YAML library) reads as line breaks, UTF-8 encoded.
var yamlLineBreaks = []string{"\u0085", "\u2028", "\u2029"}

// checkLineBreakChars reports each next line (U+0085), line separator
// (U+2028) and paragraph separator (U+2029) written as is in the file,
// and returns false when there is one. YAML reads them as line breaks: in
// a plain value they split it in two (a syntax error far from the cause),
// in quotes they fold into a space, so the value is not what the file
// shows. No plan needs them.
func (l *loader) checkLineBreakChars() bool {
	ok := true
	for _, lb := range yamlLineBreaks {
		for i := 0; ; {
			j := bytes.Index(l.data[i:], []byte(lb))
			if j < 0 {
				break
			}
			r, _ := utf8.DecodeRuneInString(lb)
			l.errs.Add(l.offsetPos(i+j), "", fmt.Sprintf("the control character %s is not allowed in a plan: YAML reads it as a line break; remove it", controlName(r)))
			ok = false
			i += j + len(lb)
		}
	}
	return ok
}

// offsetOf is the byte offset in the file of where a node is written
// (its opening quote, for a quoted value). Columns count characters.
func (l *loader) offsetOf(n *yaml.Node) int {
	off := 0
	for i := 0; i < n.Line-1 && i < len(l.lines); i++ {
		off += l.lines[i] + 1
	}
	for col := 1; col < n.Column && off < len(l.data); col++ {
		_, size := utf8.DecodeRune(l.data[off:])
		off += size
	}
	return min(off, len(l.data))
}

// escapeRunes are the one-letter escapes of double-quoted YAML and what
// they stand for.
var escapeRunes = map[byte]rune{
	'0': 0, 'a': 7, 'b': 8, 't': 9, '\t': 9, 'n': 10, 'v': 11, 'f': 12, 'r': 13, 'e': 0x1B,
	'N': 0x85, 'L': 0x2028, 'P': 0x2029,
}

// hexEscapes are the escapes followed by hexadecimal digits, and how many.
var hexEscapes = map[byte]int{'x': 2, 'u': 4, 'U': 8}

// controlInQuotes finds the first control character written in the
// double-quoted value whose opening quote is at data[start]: its offset,
// and the escape that writes it ("" when it is written as is). ok is
// false when none is found before the closing quote.
func controlInQuotes(data []byte, start int) (at int, esc string, ok bool) {
	if start >= len(data) || data[start] != '"' {
		return 0, "", false
	}
	for i := start + 1; i < len(data); {
		switch c := data[i]; c {
		case '"':
			return 0, "", false
		case '\\':
			if i+1 >= len(data) {
				return 0, "", false
			}
			e := data[i+1]
			if r, known := escapeRunes[e]; known && isControl(r) {
				return i, string(data[i : i+2]), true
			}
			if digits, isHex := hexEscapes[e]; isHex && i+2+digits <= len(data) {
				v, err := strconv.ParseUint(string(data[i+2:i+2+digits]), 16, 32)
				if err == nil && isControl(rune(v)) {
					return i, string(data[i : i+2+digits]), true
				}
				i += 2 + digits
				continue
			}
			i += 2
		case '\n', '\r':
			i++ // a line break inside quotes folds into a space
		default:
			r, size := utf8.DecodeRune(data[i:])
			if isControl(r) {
				return i, "", true
			}
			i += size
		}
	}
	return 0, "", false
}
