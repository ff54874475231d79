package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"settle/internal/flock"
	"settle/mangopay/sandbox"
	"settle/plan"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script/*.txtar")

// Credentials of the per-script sandbox.
const (
	testClientID = "settle-test"
	testAPIKey   = "settle-test-key-0123456789"
)

func TestMain(m *testing.M) {
	// The scripts run the real main: "exec settle ..." re-executes this test
	// binary as settle.
	testscript.Main(m, map[string]func(){"settle": main})
}

// TestScripts runs testdata/script/*.txtar. Each script gets its own
// sandbox on a loopback httptest server, exported as SANDBOX_URL and as the
// target of every command (MANGOPAY_BASE_URL and credentials); a script
// clears them (env MANGOPAY_CLIENT_ID=) to use the embedded target. The
// examples are copied into $WORK/examples.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup:               setupScript,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"sandbox":  cmdSandbox,
			"exitcode": cmdExitCode,
			"jsonsub":  cmdJSONSub,
			"holdlock": cmdHoldLock,
			"visit":    cmdVisit,
		},
	})
}

// setupScript starts the script's sandbox and copies the examples.
func setupScript(env *testscript.Env) error {
	sb, err := sandbox.New(sandbox.Options{ClientID: testClientID, APIKey: testAPIKey, WalletSCA: true, LegacyBankCutoff: true})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(sb)
	env.Defer(func() {
		srv.Close()
		sb.Close()
	})
	env.Values["sandbox"] = sb
	env.Setenv("SANDBOX_URL", srv.URL)
	env.Setenv("MANGOPAY_BASE_URL", srv.URL)
	env.Setenv("MANGOPAY_CLIENT_ID", testClientID)
	env.Setenv("MANGOPAY_API_KEY", testAPIKey)
	env.Setenv("NO_COLOR", "")
	env.Setenv("CLICOLOR_FORCE", "")
	return copyDir(filepath.Join(env.WorkDir, "examples"), "examples")
}

// cmdVisit is the script command `visit FILE PATH [QUERY]`: it GETs,
// without following redirects, every http URL in FILE whose path starts
// with PATH (a page the sandbox serves for a person: SCA, identity check),
// with QUERY added to its query, as the person completing it would; it
// fails unless some URL matched and each page answered 2xx or 3xx.
func cmdVisit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: visit FILE PATH [QUERY]")
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n := 0
	for _, raw := range regexp.MustCompile(`https?://[^\s"'<>]+`).FindAllString(ts.ReadFile(args[0]), -1) {
		u, err := url.Parse(strings.TrimRight(raw, ".,;)"))
		if err != nil || !strings.HasPrefix(u.Path, args[1]) {
			continue
		}
		if len(args) == 3 {
			u.RawQuery += "&" + args[2]
		}
		resp, err := client.Get(u.String())
		ts.Check(err)
		resp.Body.Close()
		if resp.StatusCode >= 400 {
			ts.Fatalf("visit %s: %s", u, resp.Status)
		}
		n++
	}
	if n == 0 {
		ts.Fatalf("visit: no URL under %s in %s", args[1], args[0])
	}
}

// cmdExitCode is the script command `exitcode N prog args...`: it runs
// prog like exec (stdout and stderr can be checked afterwards) and fails
// unless prog exits with exactly N.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N prog [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdJSONSub is the script command `jsonsub A B`: every field of the JSON
// object in file A is in the JSON object in file B, with the same value
// (B may have more fields).
func cmdJSONSub(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jsonsub A B")
	}
	var a, b map[string]any
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &a))
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[1])), &b))
	for k, v := range a {
		if !reflect.DeepEqual(v, b[k]) {
			ts.Fatalf("%s: field %q differs from %s's", args[1], k, args[0])
		}
	}
}

// cmdHoldLock is the script command `holdlock FILE`: the test process
// takes the lock FILE (a live holder on this host) until the script ends.
func cmdHoldLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: holdlock FILE")
	}
	f, err := flock.Lock(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Defer(func() { flock.Unlock(f) })
}

// cmdSandbox is the script command `sandbox writes N` (the sandbox
// received exactly N write calls, OAuth token calls excluded), `sandbox
// requests N` (exactly N API calls of any kind, token calls included)
// and `sandbox reset-stats`.
func cmdSandbox(ts *testscript.TestScript, neg bool, args []string) {
	sb, _ := ts.Value("sandbox").(*sandbox.Server)
	if sb == nil {
		ts.Fatalf("no sandbox")
	}
	if len(args) == 0 {
		ts.Fatalf("usage: sandbox writes N | sandbox reset-stats")
	}
	switch args[0] {
	case "reset-stats":
		if err := resetStats(sb); err != nil {
			ts.Fatalf("reset-stats: %v", err)
		}
	case "writes":
		if len(args) != 2 {
			ts.Fatalf("usage: sandbox writes N")
		}
		want, err := strconv.ParseInt(args[1], 10, 64)
		ts.Check(err)
		got := apiWrites(sb.Stats())
		if (got == want) == neg {
			ts.Fatalf("sandbox writes = %d, want %s%d", got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
	case "requests":
		if len(args) != 2 {
			ts.Fatalf("usage: sandbox requests N")
		}
		want, err := strconv.ParseInt(args[1], 10, 64)
		ts.Check(err)
		if got := sb.Stats().Requests; (got == want) == neg {
			ts.Fatalf("sandbox requests = %d, want %s%d", got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
	default:
		ts.Fatalf("unknown sandbox command %q", args[0])
	}
}

// apiWrites counts the POST and PUT calls to the API, OAuth token calls
// excluded.
func apiWrites(st sandbox.Stats) int64 {
	return st.Writes - st.ByRoute["POST /oauth/token"]
}

// resetStats resets the sandbox's request counters through its admin API.
func resetStats(sb *sandbox.Server) error {
	req := httptest.NewRequest("DELETE", "/sandbox/stats", nil)
	rec := httptest.NewRecorder()
	sb.ServeHTTP(rec, req)
	if rec.Code != 204 {
		return fmt.Errorf("DELETE /sandbox/stats: %d", rec.Code)
	}
	return nil
}

// copyDir copies the regular files of src (recursively) into dst.
func copyDir(dst, src string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == ".settle" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(target, path)
	})
}

// copyFile copies one file.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

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

// writeTestFile writes text to path.
func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExitCodeOf: each typed error has its code, and when a run has
// several outcomes the README's precedence decides (130, 4, 1, 3, 2, 5).
func TestExitCodeOf(t *testing.T) {
	invalid := plan.ErrorList{{Pos: plan.Pos{File: "p.yaml", Line: 3, Col: 7}, Path: "name", Msg: "required"}}
	fault := errors.New("executor: write journal: no space left on device")
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"done", nil, exitOK},
		{"-h", flag.ErrHelp, exitOK},
		{"usage", &usageError{msg: "want exactly one PLAN"}, exitError},
		{"invalid plan", invalid, exitError},
		{"invalid plans of validate", errors.Join(invalid, fmt.Errorf("open missing.yaml: %w", os.ErrNotExist)), exitError},
		{"a fault", fault, exitError},
		{"changes pending", errChanges, exitChanges},
		{"drift", errDrift, exitChanges},
		{"failed steps", errFailedSteps, exitFailedSteps},
		{"in doubt", errInDoubt, exitInDoubt},
		{"pending", errPending, exitPending},
		{"interrupted", errInterrupted, exitInterrupted},
		{"cancelled", fmt.Errorf("mangopay: GET /users: %w", context.Canceled), exitInterrupted},
		{"an outcome wrapped with a message", fmt.Errorf("apply cancelled: %w", errInterrupted), exitInterrupted},
		{"interrupted wins over in doubt", errors.Join(errInterrupted, errInDoubt, fault), exitInterrupted},
		{"in doubt wins over a fault", errors.Join(errInDoubt, fault), exitInDoubt},
		{"a fault wins over failed steps", errors.Join(errFailedSteps, errPending, fault), exitError},
		{"failed steps win over pending", errors.Join(errFailedSteps, errPending), exitFailedSteps},
		{"drift wins over pending", errors.Join(errPending, errDrift), exitChanges},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCodeOf(tt.err); got != tt.want {
				t.Errorf("exitCodeOf(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

// TestPrintError: a plan's problems one per line, other errors prefixed
// with the command, bare outcomes silent, joined errors each in turn.
func TestPrintError(t *testing.T) {
	invalid := plan.ErrorList{{Pos: plan.Pos{File: "p.yaml", Line: 3, Col: 7}, Path: "name", Msg: "required"},
		{Pos: plan.Pos{File: "p.yaml", Line: 4, Col: 1}, Path: "currency", Msg: "unknown"}}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"bare outcomes", errors.Join(errInDoubt, errPending), ""},
		{"-h", flag.ErrHelp, ""},
		{"invalid plan", invalid, "p.yaml:3:7: name: required\np.yaml:4:1: currency: unknown\n"},
		{"a fault, without the package names", errors.New("executor: listing users: mangopay: boom \n"), "settle apply: listing users: boom\n"},
		{"an outcome with a message", fmt.Errorf("cancelled: %w", errInterrupted), "settle apply: cancelled: interrupted\n"},
		{"joined", errors.Join(errFailedSteps, invalid, errors.New("x")), "p.yaml:3:7: name: required\np.yaml:4:1: currency: unknown\nsettle apply: x\n"},
		{"usage: one line and where the help is", &usageError{msg: "want one PLAN", cmd: "apply"}, "settle apply: want one PLAN\nrun 'settle apply -h' for its usage and flags\n"},
		{"unknown command", &usageError{msg: `unknown command "x"`}, "settle apply: unknown command \"x\"\nrun 'settle help' for the commands\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			printError(&buf, "apply", tt.err)
			if got := buf.String(); got != tt.want {
				t.Errorf("printError(%v) wrote %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
