package plan

import (
	"encoding/json"
	"os"
	"testing"
)

func TestPrintSemantic(t *testing.T) {
	if os.Getenv("PRINTCASES") == "" {
		return
	}
	out := map[string][][]string{}
	for _, tc := range semanticCases {
		text := basePlan
		for i := 0; i+1 < len(tc.edits); i += 2 {
			text = edit(t, text, tc.edits[i], tc.edits[i+1])
		}
		out[tc.name] = [][]string{tc.edits, loadErrors(t, text)}
	}
	b, _ := json.MarshalIndent(out, "", " ")
	os.WriteFile("/tmp/cases.json", b, 0o644)
}
