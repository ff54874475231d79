package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// canaryKey is an API key that must never be written anywhere.
const canaryKey = "canary-7f3a9c2e-settle-secret-do-not-print"

// captured is the output of one in-process command.
type captured struct {
	args   []string
	code   int
	stdout string
	stderr string
}

// runInProcess runs settle's run with the given arguments.
func runInProcess(ctx context.Context, args ...string) captured {
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	return captured{args: args, code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// chdir moves the test into dir for its duration (tests using it must not
// run in parallel).
func chdir(t *testing.T, dir string) {
	t.Helper()
	old, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(old) })
}

// TestCanaryKeyNeverLeaks runs every command with debug logs (text and
// JSON) against a sandbox that accepts a canary API key, then with a
// sandbox that refuses it, and checks that the key appears in no stdout,
// no stderr, and no file settle wrote (journal, --out, sandbox state).
func TestCanaryKeyNeverLeaks(t *testing.T) {
	ctx := context.Background()
	good := newTestSandbox(t, canaryKey, 0)
	bad := newTestSandbox(t, "another-key", 0)
	dir := workDir(t)
	chdir(t, dir)
	const planFile = "examples/failed-to-wallet.yaml"
	t.Setenv("MANGOPAY_CLIENT_ID", testClientID)
	t.Setenv("MANGOPAY_API_KEY", canaryKey)
	t.Setenv("MANGOPAY_API_KEY_FILE", "")
	t.Setenv("MANGOPAY_BASE_URL", good.url)

	debug := []string{"--log-level", "debug"}
	runs := []captured{
		runInProcess(ctx, append([]string{"plan", planFile, "--out", "plan.json"}, debug...)...),
		runInProcess(ctx, append([]string{"apply", planFile, "--log-format", "json"}, debug...)...),
		runInProcess(ctx, append([]string{"plan", planFile, "--json"}, debug...)...),
		runInProcess(ctx, append([]string{"report", planFile, "--reconcile", "--format", "json"}, debug...)...),
		runInProcess(ctx, "report", planFile, "--format", "csv"),
		runInProcess(ctx, "graph", planFile),
	}
	if runs[1].code != exitOK {
		t.Fatalf("apply: exit %d\n%s", runs[1].code, runs[1].stderr)
	}
	t.Setenv("MANGOPAY_BASE_URL", bad.url)
	refused := runInProcess(ctx, append([]string{"apply", planFile, "--journal", "refused.jsonl"}, debug...)...)
	if refused.code == exitOK {
		t.Errorf("apply with a refused key: exit 0, want an error")
	}
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte(canaryKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MANGOPAY_API_KEY", "")
	t.Setenv("MANGOPAY_API_KEY_FILE", keyFile)
	t.Setenv("MANGOPAY_BASE_URL", good.url)
	runs = append(runs, refused, runInProcess(ctx, append([]string{"plan", planFile}, debug...)...))
	for _, r := range runs {
		if strings.Contains(r.stdout, canaryKey) || strings.Contains(r.stderr, canaryKey) {
			t.Errorf("settle %s printed the API key", strings.Join(r.args, " "))
		}
	}
	if last := runs[len(runs)-1]; last.code != exitOK {
		t.Errorf("plan with MANGOPAY_API_KEY_FILE: exit %d\n%s", last.code, last.stderr)
	}
	checkFilesClean(t, dir, keyFile)
}

// checkFilesClean fails if any file under dir but skip holds the canary.
func checkFilesClean(t *testing.T, dir, skip string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == skip {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		if bytes.Contains(data, []byte(canaryKey)) {
			t.Errorf("%s holds the API key", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	journals, _ := filepath.Glob(filepath.Join(dir, "examples", ".settle", "*.journal.jsonl"))
	if len(journals) == 0 || files < 3 {
		t.Errorf("%d journals among %d files: the check above proved nothing", len(journals), files)
	}
}
