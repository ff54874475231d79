package plan

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// didYouMean returns ` (did you mean "x"?)` for the candidate nearest to
// name, when one is near: within an edit distance of 2, or a prefix of the
// other. Ties go to the alphabetically first candidate, so messages are
// stable.
func didYouMean(name string, candidates []string) string {
	if s := nearest(name, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

func nearest(name string, candidates []string) string {
	best, bestD := "", 3
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if c == name {
			continue
		}
		d := levenshtein(strings.ToLower(name), strings.ToLower(c))
		if d > 2 && name != "" && (strings.HasPrefix(c, name) || strings.HasPrefix(name, c)) && c != "" {
			d = 2
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// levenshtein is the edit distance between two strings, in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// fieldsAt lists the YAML field names allowed at a dotted path of the plan,
// read from the model's yaml tags (nil when the path is not an object).
func fieldsAt(path string) []string {
	t := reflect.TypeOf(Plan{})
	if path != "" {
		for _, seg := range strings.Split(path, ".") {
			t = deref(t)
			switch t.Kind() {
			case reflect.Map, reflect.Slice:
				t = t.Elem()
			case reflect.Struct:
				f, ok := fieldByTag(t, seg)
				if !ok {
					return nil
				}
				t = f.Type
			default:
				return nil
			}
		}
	}
	t = deref(t)
	if t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" {
			names = append(names, name)
		}
	}
	return names
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); yamlName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func yamlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}
