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
// them as strings. Scalars of unknown tags, infinities and NaN are errors.
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
	case "!!str", "!!timestamp", "!!binary":
		return n.Value
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
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("%s is not a usable number", n.Value))
			return nil
		}
		l.floats = append(l.floats, floatLit{path: strings.Join(path, "."), node: n})
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
	default:
		l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("unsupported YAML tag %s: write the value without a tag", tag))
		return nil
	}
}

// jsonInt converts an integer scalar. Plain decimal integers (the common
// case) are used as written; other forms (0x1f, 1_000, +5) go through the
// YAML library's own resolution.
func (l *loader) jsonInt(n *yaml.Node, path []string) any {
	if isPlainDecimal(n.Value) {
		return json.Number(n.Value)
	}
	var v any
	if err := n.Decode(&v); err != nil {
		l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("%s is not a usable number", n.Value))
		return nil
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
