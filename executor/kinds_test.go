package executor

import (
	"path/filepath"
	"sort"
	"testing"

	"settle/plan"
)

// TestKindTable: every step kind the examples expand to has its row in the
// kind table, with what every phase needs of it (found, got when adopted,
// created), and a money kind a money row and a wallet its transactions
// are searched in; the examples use every row.
func TestKindTable(t *testing.T) {
	paths, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	used := map[plan.Kind]bool{}
	for _, path := range paths {
		p, err := plan.Load(path)
		if err != nil {
			t.Fatalf("Load(%s) error = %v", path, err)
		}
		steps, err := plan.Expand(p)
		if err != nil {
			t.Fatalf("Expand(%s) error = %v", path, err)
		}
		for _, s := range steps {
			used[s.Kind] = true
			k := kindOf(s.Kind)
			switch {
			case k == nil:
				t.Errorf("%s: step %s: kind %q has no row", path, s.Key, s.Kind)
			case k.find == nil || k.get == nil || k.create == nil || k.prefetch == nil:
				t.Errorf("kind %q: a row without find, get, create or prefetch", s.Kind)
			case k.money != nil && func() bool { w, _ := searchWallet(s); return w == "" }():
				t.Errorf("%s: money step %s has no wallet to be searched in", path, s.Key)
			}
		}
	}
	var unused []string
	for k := range kinds {
		if !used[k] {
			unused = append(unused, string(k))
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("no example uses the kinds %v", unused)
	}
}
