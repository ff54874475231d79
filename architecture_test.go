package main

import (
	"bufio"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// TestArchitecture checks docs/architecture.md against the code: every
// package of the module is in its table, and each imports only the settle
// packages its row allows.
func TestArchitecture(t *testing.T) {
	allowed := architectureTable(t, "docs/architecture.md")
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(f[0], "settle"), "/")
		if pkg == "" {
			pkg = "settle"
		}
		seen[pkg] = true
		may, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s is not in docs/architecture.md's table", pkg)
			continue
		}
		for _, imp := range f[1:] {
			if imp != "settle" && !strings.HasPrefix(imp, "settle/") {
				continue
			}
			dep := strings.TrimPrefix(imp, "settle/")
			if !may[dep] {
				t.Errorf("%s imports %s; docs/architecture.md does not allow it", pkg, dep)
			}
		}
	}
	var gone []string
	for pkg := range allowed {
		if !seen[pkg] {
			gone = append(gone, pkg)
		}
	}
	sort.Strings(gone)
	for _, pkg := range gone {
		t.Errorf("docs/architecture.md lists %s, which is not in the module", pkg)
	}
}

// architectureTable reads the "| `package` | owns | may import |" rows.
func architectureTable(t *testing.T, path string) map[string]map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	table := map[string]map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		name := strings.Trim(strings.Fields(strings.TrimSpace(cells[1]))[0], "`")
		deps := map[string]bool{}
		for _, d := range strings.Split(cells[3], ",") {
			if d = strings.TrimSpace(d); d != "" {
				deps[d] = true
			}
		}
		table[name] = deps
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(table) == 0 {
		t.Fatalf("%s: no package table found", path)
	}
	return table
}
