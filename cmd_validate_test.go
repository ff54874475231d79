package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	writeTestFile(t, good, "version: 1\nname: ok\ncurrency: EUR\n")
	writeTestFile(t, bad, "version: 1\nname: ok\ncurrency: EUR\nwallets:\n  w: {owner: nobody}\n  v: {owner: 7}\n")
	var stdout, stderr bytes.Buffer
	runValidate := func(args ...string) int { // settle validate ARGS, in process
		return run(context.Background(), append([]string{"validate"}, args...), &stdout, &stderr)
	}
	if code := runValidate(good); code != exitOK {
		t.Fatalf("runValidate(good) = %d, want %d; stderr %s", code, exitOK, stderr.String())
	}
	if got, want := stdout.String(), good+": ok (0 steps)\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	stdout.Reset()
	code := runValidate(good, bad)
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
	if code := runValidate(filepath.Join(dir, "missing.yaml")); code != exitError || !strings.Contains(stderr.String(), "missing.yaml") {
		t.Errorf("runValidate(missing) = %d, stderr %q; want 1 naming the file", code, stderr.String())
	}
	if code := runValidate(); code != exitError {
		t.Errorf("runValidate() = %d, want %d (usage)", code, exitError)
	}
}
