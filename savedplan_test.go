package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadSavedPlan: only a JSON object whose saved.format is a saved
// plan's is one; a damaged one is an error, never a crash.
func TestReadSavedPlan(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, text string
		ok         bool
		errWant    string
	}{
		{"a YAML plan", "version: 1\nname: x\n", false, ""},
		{"a JSON plan", `{"version": 1, "name": "x"}`, false, ""},
		{"another saved format", `{"saved": {"format": "terraform"}}`, false, ""},
		{"saved is not an object", `{"saved": 3}`, false, ""},
		{"no plan in it", `{"saved": {"format": "settle saved plan", "format_version": 1, "plan_file": "p.yaml", "state_sha256": "x"}}`, true, "missing"},
		{"a newer version", `{"plan": "x", "saved": {"format": "settle saved plan", "format_version": 9}}`, true, "format_version 9"},
		{"bad types", `{"plan": 3, "saved": {"format": "settle saved plan", "format_version": 1}}`, true, "damaged"},
		{"whole", `{"plan": "x", "changes": [], "saved": {"format": "settle saved plan", "format_version": 1, "plan_file": "p.yaml", "state_sha256": "x"}}`, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			sp, ok, err := readSavedPlan(path)
			if ok != tt.ok || (tt.errWant == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.errWant) {
				t.Fatalf("readSavedPlan() = %v, %v, %v; want ok %v, error %q", sp, ok, err, tt.ok, tt.errWant)
			}
			if ok && err == nil && (sp.PreviewJSON == nil || sp.Plan != "x") {
				t.Errorf("readSavedPlan() = %+v, want the plan JSON", sp)
			}
		})
	}
}
