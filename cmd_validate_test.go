package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"settle/schemas"
)

func TestRunValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	writeTestFile(t, good, "version: 1\nname: ok\ncurrency: EUR\n")
	writeTestFile(t, bad, "version: 1\nname: ok\ncurrency: EUR\nwallets:\n  w: {owner: nobody}\n  v: {owner: 7}\n")
	var stdout, stderr bytes.Buffer
	if code := runValidate(context.Background(), []string{good}, &stdout, &stderr); code != exitOK {
		t.Fatalf("runValidate(good) = %d, want %d; stderr %s", code, exitOK, stderr.String())
	}
	if got, want := stdout.String(), good+": ok (0 steps)\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	stdout.Reset()
	code := runValidate(context.Background(), []string{good, bad}, &stdout, &stderr)
	if code != exitError {
		t.Errorf("runValidate(good, bad) = %d, want %d", code, exitError)
	}
	want := bad + `:5:14: wallets.w.owner: unknown user "nobody"` + "\n" +
		bad + `:6:14: wallets.v.owner: must be text, not a whole number (put it in quotes: "7")` + "\n"
	if got := stderr.String(); got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if !strings.HasPrefix(stdout.String(), good+": ok") {
		t.Errorf("stdout = %q, want the good plan's summary", stdout.String())
	}
	stderr.Reset()
	if code := runValidate(context.Background(), []string{filepath.Join(dir, "missing.yaml")}, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), "missing.yaml") {
		t.Errorf("runValidate(missing) = %d, stderr %q; want 1 naming the file", code, stderr.String())
	}
	if code := runValidate(context.Background(), nil, &stdout, &stderr); code != exitError {
		t.Errorf("runValidate() = %d, want %d (usage)", code, exitError)
	}
}

func TestRunSchema(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runSchema(context.Background(), nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("runSchema() = %d, want 0", code)
	}
	if !bytes.Equal(stdout.Bytes(), schemas.PlanSchema) {
		t.Error("runSchema() did not print plan.schema.json")
	}
	var v map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil || v["$schema"] != "http://json-schema.org/draft-07/schema#" {
		t.Errorf("schema output is not a draft-07 JSON schema: %v", err)
	}
	if code := runSchema(context.Background(), []string{"extra"}, &stdout, &stderr); code != exitError {
		t.Errorf("runSchema(extra) = %d, want 1", code)
	}
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
