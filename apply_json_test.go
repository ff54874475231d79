package main

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// keyPaths lists the key paths of a JSON value ("steps[].amount"), the
// elements of an array merged.
func keyPaths(prefix string, v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = true
			keyPaths(p, e, out)
		}
	case []any:
		for _, e := range v {
			keyPaths(prefix+"[]", e, out)
		}
	}
}

// documentedApplyJSON is the example of docs/apply-json.md, parsed.
func documentedApplyJSON(t *testing.T) map[string]any {
	t.Helper()
	doc, err := os.ReadFile("docs/apply-json.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/apply-json.md has no json example")
	}
	var v map[string]any
	if err := json.Unmarshal(m[1], &v); err != nil {
		t.Fatalf("docs/apply-json.md example: %v", err)
	}
	return v
}

// TestApplyJSONDocumented runs `settle apply --json` on the embedded
// target and checks its document against docs/apply-json.md: the same
// format_version, every key it prints documented in the example and in
// the field table, and the example's keys all printed by the run or
// defined by the shape (omitted only when empty).
func TestApplyJSONDocumented(t *testing.T) {
	want := documentedApplyJSON(t)
	table, err := os.ReadFile("docs/apply-json.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := workDir(t)
	chdir(t, dir)
	t.Setenv("MANGOPAY_CLIENT_ID", "")
	t.Setenv("MANGOPAY_API_KEY", "")
	t.Setenv("MANGOPAY_API_KEY_FILE", "")
	t.Setenv("MANGOPAY_BASE_URL", "")
	r := runInProcess(context.Background(), "apply", "examples/failed-to-card.yaml", "--json")
	if r.code != exitOK {
		t.Fatalf("apply --json: exit %d\n%s", r.code, r.stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("apply --json printed no single JSON document: %v\n%s", err, r.stdout)
	}
	if got["format_version"] != want["format_version"] || got["format_version"] != float64(applyFormatVersion) {
		t.Errorf("format_version %v, documented %v, constant %d", got["format_version"], want["format_version"], applyFormatVersion)
	}
	gotKeys, wantKeys := map[string]bool{}, map[string]bool{}
	keyPaths("", got, gotKeys)
	keyPaths("", want, wantKeys)
	for k := range gotKeys {
		if !wantKeys[k] {
			t.Errorf("apply --json prints %q, not in docs/apply-json.md's example", k)
		}
	}
	omitEmpty := []string{"steps[].error", "steps[].result_code", "steps[].result_message"} // no step failed in this run
	for k := range wantKeys {
		if !gotKeys[k] && !slices.Contains(omitEmpty, k) {
			t.Errorf("docs/apply-json.md documents %q, which apply --json did not print", k)
		}
	}
	var missing []string
	for k := range wantKeys {
		last := k[strings.LastIndex(k, ".")+1:]
		if strings.HasPrefix(k, "campaigns") || strings.HasPrefix(k, "totals") || strings.HasPrefix(k, "counts.") {
			continue // the columns of report.md and the summary's counts
		}
		if !strings.Contains(string(table), last+"`") {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("docs/apply-json.md's table lacks %q", missing)
	}
	if steps, _ := got["steps"].([]any); len(steps) != 20 {
		t.Errorf("%d steps, want the plan's 20", len(steps))
	}
}

// TestApplyJSONStream: --json-stream prints exactly one line per step,
// each a JSON object, then the --json document as the last line.
func TestApplyJSONStream(t *testing.T) {
	chdir(t, workDir(t))
	for _, k := range []string{"MANGOPAY_CLIENT_ID", "MANGOPAY_API_KEY", "MANGOPAY_API_KEY_FILE", "MANGOPAY_BASE_URL"} {
		t.Setenv(k, "")
	}
	r := runInProcess(context.Background(), "apply", "examples/failed-to-card.yaml", "--json-stream")
	if r.code != exitOK {
		t.Fatalf("apply --json-stream: exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	seen := map[string]bool{}
	for i, line := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("line %d is not one JSON object: %v\n%s", i+1, err, line)
		}
		switch ev["event"] {
		case "step":
			step, _ := ev["step"].(string)
			if seen[step] || i == len(lines)-1 {
				t.Errorf("line %d: step %q twice, or a step last", i+1, step)
			}
			seen[step] = true
		case "summary":
			if i != len(lines)-1 {
				t.Errorf("line %d: the summary before the end", i+1)
			}
			if steps, _ := ev["steps"].([]any); len(steps) != len(seen) {
				t.Errorf("summary lists %d steps, %d step lines", len(steps), len(seen))
			}
		default:
			t.Errorf("line %d: event %v", i+1, ev["event"])
		}
	}
	if len(seen) != 20 {
		t.Errorf("%d step lines, want the plan's 20", len(seen))
	}
}
