package plan

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"
)

// didYouMean returns ` (did you mean "x"?)` for the candidate nearest to
// name, when one is near (see nearest).
func didYouMean(name string, candidates []string) string {
	if s := nearest(name, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// nearest returns the candidate nearest to name, or "" when none is near.
// A candidate is near when its edit distance to name is at most a third
// of name's length (at least 1), so short keys get no far-fetched
// suggestion ("zoe" is not near "bob"); or when one is a prefix of the
// other, which ranks after every edit within the limit. Ties go to the
// alphabetically first candidate, so messages are stable.
func nearest(name string, candidates []string) string {
	limit := max(1, utf8.RuneCountInString(name)/3)
	best, bestD := "", limit+2
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	lname := strings.ToLower(name)
	for _, c := range sorted {
		if c == name || c == "" {
			continue
		}
		lc := strings.ToLower(c)
		d := editDistance(lname, lc)
		if d > limit {
			if name == "" || !(strings.HasPrefix(lc, lname) || strings.HasPrefix(lname, lc)) {
				continue
			}
			d = limit + 1
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between two
// strings, in runes: insertions, deletions, substitutions and swaps of
// two neighbours ("olag" for "olga") each cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := [3][]int{make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)}
	for j := range rows[1] {
		rows[1][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		pp, prev, cur := rows[0], rows[1], rows[2]
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		rows[0], rows[1], rows[2] = prev, cur, pp
	}
	return rows[1][len(rb)]
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
