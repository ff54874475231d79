package plan

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSyntaxScanValidYAML checks that the syntax lexer suspects nothing in
// files the YAML library parses: the examples, the bad plans whose
// mistakes are not syntax, and basePlan. A suspect there would be a false
// lead the day such a file has a real syntax error elsewhere.
func TestSyntaxScanValidYAML(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../examples/*.yaml", "testdata/bad/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	sources := map[string][]byte{"basePlan": []byte(basePlan)}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources[f] = data
	}
	scanned := 0
	for name, data := range sources {
		if firstParseError(data) != nil {
			continue
		}
		scanned++
		for _, s := range syntaxScan(splitLines(data)) {
			t.Errorf("syntaxScan(%s) suspects %d:%d: %s", name, s.line+1, s.at+1, s.msg)
		}
	}
	if scanned < 100 {
		t.Errorf("scanned %d valid files, want at least 100", scanned)
	}
}
