package plan

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// toJSON converts a normalized node tree into the JSON-compatible value the
// schema validator reads: map[string]any, []any, string, bool, nil and
// json.Number. Dates (YAML timestamps) stay the strings they were written
// as, since the schema (like an editor's YAML 1.2 language server) sees
// them as strings. Scalars of unknown tags, !!binary (whose decoded bytes
// the schema would never see), infinities and NaN are errors.
func (l *loader) toJSON(n *yaml.Node) any {
	return l.jsonValue(n, nil)
}

func (l *loader) jsonValue(n *yaml.Node, path []string) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			m[k] = l.jsonValue(n.Content[i+1], append(path, k))
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = l.jsonValue(c, append(path, strconv.Itoa(i)))
		}
		return s
	case yaml.ScalarNode:
		return l.jsonScalar(n, path)
	}
	l.errs.Add(l.pos(n), strings.Join(path, "."), "unexpected YAML node")
	return nil
}

func (l *loader) jsonScalar(n *yaml.Node, path []string) any {
	switch tag := n.ShortTag(); tag {
	case "!!str":
		l.checkControl(n, path)
		return n.Value
	case "!!timestamp":
		return n.Value
	case "!!binary":
		// Base64 to the schema, but its decoded bytes to the model: text
		// the checks above never see, control characters included.
		l.errs.Add(l.pos(n), strings.Join(path, "."), "!!binary values are not allowed in a plan: write the text itself")
		return nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return n.Value
		}
		return b
	case "!!null":
		return nil
	case "!!int":
		return l.jsonInt(n, path)
	case "!!float":
		return l.jsonFloat(n, path)
	default:
		l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("unsupported YAML tag %s: write the value without a tag", tag))
		return nil
	}
}

// jsonInt converts an integer scalar. Plain decimal integers (the common
// case) are used as written; other forms (0x1f, 1_000, +5) go through the
// YAML library's own resolution, and where the schema wants a number, any
// but a sign (+5) is refused: 0x1388 and 5_000 are surely not what a
// finance team means, and 05000 is octal to YAML (2560).
func (l *loader) jsonInt(n *yaml.Node, path []string) any {
	if isPlainDecimal(n.Value) {
		return json.Number(n.Value)
	}
	var v any
	if err := n.Decode(&v); err != nil {
		l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("%s is not a usable number", n.Value))
		return nil
	}
	if p := strings.Join(path, "."); isNumberPath(p) {
		if base := intBase(n.Value); base != "" {
			l.writtenError(l.pos(n), p, intFormMessage(p, n.Value, base, v))
		}
	}
	switch x := v.(type) {
	case int:
		return json.Number(strconv.Itoa(x))
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case uint64:
		return json.Number(strconv.FormatUint(x, 10))
	case float64:
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return json.Number(n.Value)
}

// jsonFloat converts a float scalar. Decimal digits alone are an integer
// too large for 64 bits, which YAML reads as a float: the schema gets it
// as written, so it says it is too large. A whole number written with a
// decimal point where an integer belongs (amount: 50.00) is refused, not
// read as 50 cents.
func (l *loader) jsonFloat(n *yaml.Node, path []string) any {
	if isPlainDecimal(n.Value) {
		return json.Number(n.Value)
	}
	var f float64
	if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("%s is not a usable number", n.Value))
		return nil
	}
	p := strings.Join(path, ".")
	if msg := floatMessage(p, n.Value, f); msg != "" {
		l.writtenError(l.pos(n), p, msg)
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// isPlainDecimal reports whether s is an integer in decimal digits,
// however large, perhaps after a minus, without a leading zero.
func isPlainDecimal(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
