package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
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
		},
	})
}

// setupScript starts the script's sandbox and copies the examples.
func setupScript(env *testscript.Env) error {
	sb, err := sandbox.New(sandbox.Options{ClientID: testClientID, APIKey: testAPIKey})
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

// TestReportReconcileDrift moves money behind settle's back after an apply
// (a payer's refunded money back to the project) and checks that
// `report --reconcile` shows the drift on both wallets.
func TestReportReconcileDrift(t *testing.T) {
	ctx := context.Background()
	s := newTestSandbox(t, testAPIKey, 0)
	chdir(t, workDir(t))
	t.Setenv("MANGOPAY_CLIENT_ID", testClientID)
	t.Setenv("MANGOPAY_API_KEY", testAPIKey)
	t.Setenv("MANGOPAY_API_KEY_FILE", "")
	t.Setenv("MANGOPAY_BASE_URL", s.url)
	const planFile = "examples/failed-to-wallet.yaml"
	if r := runInProcess(ctx, "apply", planFile); r.code != exitOK {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	records, err := executor.ReadJournal(filepath.Join("examples", ".settle", "skate-ramp.journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	h := executor.Fold(records)
	from, to := h["wallet/gaelle"].ID, h["wallet/skate-ramp"].ID
	tr, err := s.client(t, testAPIKey).Transfers.Create(ctx, &mangopay.TransferCreateParams{
		AuthorId: h["user/gaelle"].ID, DebitedWalletId: from, CreditedWalletId: to,
		DebitedFunds: mangopay.Money{Currency: "EUR", Amount: 1000}, Fees: mangopay.Money{Currency: "EUR"}})
	if err != nil || tr.Status != mangopay.StatusSucceeded {
		t.Fatalf("out-of-band transfer: %v %+v", err, tr)
	}
	r := runInProcess(ctx, "report", planFile, "--reconcile", "--format", "csv")
	if r.code != exitChanges {
		t.Fatalf("report --reconcile: exit %d, want %d (drift)\n%s", r.code, exitChanges, r.stderr)
	}
	for _, want := range []string{"wallet,gaelle,EUR," + from + ",5000,4000,-1000",
		"wallet,skate-ramp,EUR," + to + ",0,1000,1000", "wallet,henri,EUR,"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report --reconcile --format csv lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runInProcess(ctx, "report", planFile, "--reconcile")
	if r.code != exitChanges || !strings.Contains(r.stdout, "2 wallet(s) drift from the journal.") {
		t.Errorf("report --reconcile does not count 2 drifting wallets:\n%s", r.stdout)
	}
}
