// Package canonjson rewrites a JSON document in a canonical form, for tests
// that compare documents whose arrays' order carries no meaning (two runs
// of the same plan that finished steps in another order): objects with
// sorted keys, arrays sorted by their elements' canonical encoding,
// indented.
package canonjson

import (
	"encoding/json"
	"sort"
)

// Canonical returns data in canonical form, or the error decoding it.
func Canonical(data []byte) ([]byte, error) {
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return json.MarshalIndent(sortArrays(doc), "", "  ")
}

// Marshal is Canonical of v's JSON encoding.
func Marshal(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Canonical(data)
}

// sortArrays sorts every array of v, innermost first. Maps are encoded
// with sorted keys by encoding/json already.
func sortArrays(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = sortArrays(x)
		}
	case []any:
		keys := make([]string, len(v))
		for i, x := range v {
			v[i] = sortArrays(x)
			b, _ := json.Marshal(v[i]) // decoded JSON always encodes
			keys[i] = string(b)
		}
		sort.Sort(byKey{v, keys})
	}
	return v
}

// byKey sorts values by their encodings.
type byKey struct {
	v    []any
	keys []string
}

func (b byKey) Len() int           { return len(b.v) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.v[i], b.v[j] = b.v[j], b.v[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}
