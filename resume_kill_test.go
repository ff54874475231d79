package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"settle/executor"
	"settle/internal/canonjson"
	"settle/internal/genplan"
	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// buildSettle builds the settle binary once per test into a temp folder.
func buildSettle(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "settle")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// testSandbox is a sandbox served on loopback for one test.
type testSandbox struct {
	sb  *sandbox.Server
	url string
}

// newTestSandbox starts a sandbox with the test credentials and the given
// latency on every API call.
func newTestSandbox(t *testing.T, apiKey string, latency time.Duration) *testSandbox {
	t.Helper()
	sb, err := sandbox.New(sandbox.Options{ClientID: testClientID, APIKey: apiKey, Faults: sandbox.Faults{Latency: latency}})
	if err != nil {
		t.Fatal(err)
	}
	return serveTestSandbox(t, sb)
}

// serveTestSandbox serves sb over HTTP until the test ends, then closes it.
func serveTestSandbox(t *testing.T, sb *sandbox.Server) *testSandbox {
	t.Helper()
	srv := httptest.NewServer(sb)
	t.Cleanup(func() {
		srv.Close()
		sb.Close()
	})
	return &testSandbox{sb: sb, url: srv.URL}
}

// env is the environment of a settle subprocess aimed at the sandbox.
func (s *testSandbox) env(apiKey string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MANGOPAY_") {
			env = append(env, kv)
		}
	}
	return append(env, "MANGOPAY_BASE_URL="+s.url, "MANGOPAY_CLIENT_ID="+testClientID, "MANGOPAY_API_KEY="+apiKey, "NO_COLOR=1")
}

// client returns an API client on the sandbox.
func (s *testSandbox) client(t *testing.T, apiKey string) *mangopay.Client {
	t.Helper()
	c, err := mangopay.NewClient(mangopay.Config{ClientID: testClientID, APIKey: mangopay.Secret(apiKey), BaseURL: s.url})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// workDir copies the examples into a fresh folder and returns it.
func workDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := copyDir(filepath.Join(dir, "examples"), "examples"); err != nil {
		t.Fatal(err)
	}
	return dir
}

// applyCmd is `settle apply PLAN --yes` in dir against s.
func applyCmd(bin, dir, planFile string, s *testSandbox) *exec.Cmd {
	cmd := exec.Command(bin, "apply", planFile, "--yes", "--wait", "30s")
	cmd.Dir = dir
	cmd.Env = s.env(testAPIKey)
	return cmd
}

// exitCode runs cmd to the end and returns its exit code and output.
func exitCode(cmd *exec.Cmd) (int, string, error) {
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out), nil
	}
	if err != nil {
		return -1, string(out), err
	}
	return 0, string(out), nil
}

// TestResumeAfterSIGKILL kills `settle apply` with SIGKILL at seeded random
// points, several times in a row, then runs it to completion, and checks
// the sandbox ends exactly as after an uninterrupted run: same balance in
// every wallet (FEES included), the same users and wallets, and every
// pay-in, transfer, refund and payout present once, by Tag.
//
// A kill point is a number of write calls the sandbox has received from
// the run, drawn so that the kills spread over the reference run's writes, plus a
// random delay of up to twice the injected latency, so kills land before,
// during and after the sandbox commits a write.
func TestResumeAfterSIGKILL(t *testing.T) {
	bin := buildSettle(t)
	for _, planFile := range []string{"examples/succeeded-natural.yaml", "examples/failed-to-card.yaml"} {
		t.Run(filepath.Base(planFile), func(t *testing.T) {
			const latency = 5 * time.Millisecond
			ref := newTestSandbox(t, testAPIKey, latency)
			code, out, err := exitCode(applyCmd(bin, workDir(t), planFile, ref))
			if err != nil || code != exitOK {
				t.Fatalf("uninterrupted apply: exit %d, %v\n%s", code, err, out)
			}
			want := snapshotLedger(t, ref.client(t, testAPIKey))

			killed := newTestSandbox(t, testAPIKey, latency)
			dir := workDir(t)
			rng := rand.New(rand.NewPCG(20261123, uint64(len(planFile))))
			k := killer{bin: bin, dir: dir, plan: planFile, s: killed, rng: rng, latency: latency}
			kills := k.run(t, apiWrites(ref.sb.Stats()), 6)
			if kills == 0 {
				t.Fatalf("no run was killed: the test proved nothing")
			}
			finish(t, bin, dir, planFile, killed)
			got := snapshotLedger(t, killed.client(t, testAPIKey))
			compareLedgers(t, got, want)
			t.Logf("%s: %d SIGKILLs before completion", planFile, kills)
		})
	}
}

// TestResumeAfterSIGKILLReport (issue 10): a generated plan with payouts,
// refunds to cards and to wallets, and an open campaign is SIGKILLed at
// seeded random points, several times in a row, then resumed to
// completion. `settle report --format json` then equals the report of an
// uninterrupted run of the same plan (whole documents, compared with their
// arrays sorted: the order in which runs finish steps is no part of the
// report's meaning), the journal leaves no step in doubt, and the ledger
// is the uninterrupted run's.
func TestResumeAfterSIGKILLReport(t *testing.T) {
	bin := buildSettle(t)
	const planFile = "examples/generated.yaml"
	data := genplan.GenerateWith(genplan.Options{Campaigns: 4, Contributions: 3, Payers: 4, KYCPage: "kyc/identity.pdf",
		PayInAll: true})
	const latency = 5 * time.Millisecond
	ref := newTestSandbox(t, testAPIKey, latency)
	refDir := generatedDir(t, planFile, data)
	if code, out, err := exitCode(applyCmd(bin, refDir, planFile, ref)); err != nil || code != exitOK {
		t.Fatalf("uninterrupted apply: exit %d, %v\n%s", code, err, out)
	}
	want := reportJSON(t, bin, refDir, planFile, ref)
	wantLedger := snapshotLedger(t, ref.client(t, testAPIKey))
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint("seed-", seed), func(t *testing.T) {
			killed := newTestSandbox(t, testAPIKey, latency)
			dir := generatedDir(t, planFile, data)
			rng := rand.New(rand.NewPCG(20261205, seed))
			k := killer{bin: bin, dir: dir, plan: planFile, s: killed, rng: rng, latency: latency}
			kills := k.run(t, apiWrites(ref.sb.Stats()), 8)
			if kills == 0 {
				t.Fatalf("no run was killed: the test proved nothing")
			}
			finish(t, bin, dir, planFile, killed)
			if got := reportJSON(t, bin, dir, planFile, killed); got != want {
				t.Errorf("report after %d SIGKILLs and a resume =\n%s\nwant (uninterrupted run)\n%s", kills, got, want)
			}
			records, err := executor.ReadJournal(filepath.Join(dir, "examples", ".settle", "generated.journal.jsonl"))
			if err != nil || len(records) == 0 {
				t.Fatalf("ReadJournal() = %d records, %v", len(records), err)
			}
			for key, h := range executor.Fold(records) {
				if h.InDoubt() {
					t.Errorf("%s is in doubt in the journal: %+v", key, h.Last)
				}
			}
			compareLedgers(t, snapshotLedger(t, killed.client(t, testAPIKey)), wantLedger)
			t.Logf("seed %d: %d SIGKILLs before completion", seed, kills)
		})
	}
}

// generatedDir is a work folder holding the examples (for their KYC
// pages) and the generated plan at planFile.
func generatedDir(t *testing.T, planFile string, data []byte) string {
	t.Helper()
	dir := workDir(t)
	if err := os.WriteFile(filepath.Join(dir, planFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// reportJSON is `settle report PLAN --format json` in dir, in canonical
// form (see canonjson).
func reportJSON(t *testing.T, bin, dir, planFile string, s *testSandbox) string {
	t.Helper()
	cmd := exec.Command(bin, "report", planFile, "--format", "json")
	cmd.Dir, cmd.Env = dir, s.env(testAPIKey)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("settle report: %v\n%s", err, out)
	}
	canon, err := canonjson.Canonical(out)
	if err != nil {
		t.Fatalf("settle report --format json: %v\n%s", err, out)
	}
	return string(canon)
}

// killer starts applies and SIGKILLs them at random points.
type killer struct {
	bin, dir, plan string
	s              *testSandbox
	rng            *rand.Rand
	latency        time.Duration
}

// run starts the apply n times, killing each run after a random number
// of its own writes, drawn in [1, refWrites/n] so that the n kills spread
// over the whole run. It returns how many runs were killed.
func (k *killer) run(t *testing.T, refWrites int64, n int) int {
	t.Helper()
	kills := 0
	for i := range n {
		base := apiWrites(k.s.sb.Stats())
		at := 1 + k.rng.Int64N(max(1, refWrites/int64(n)))
		extra := time.Duration(k.rng.Int64N(int64(2 * k.latency)))
		if k.once(t, base+at, extra) {
			kills++
			continue
		}
		t.Logf("run %d ended before its kill point (write %d + %s)", i, at, extra)
	}
	return kills
}

// once starts one apply and kills it once the sandbox has seen writes
// write calls, after extra. It reports whether the run was killed.
func (k *killer) once(t *testing.T, writes int64, extra time.Duration) bool {
	t.Helper()
	cmd := applyCmd(k.bin, k.dir, k.plan, k.s)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	tick := time.NewTicker(200 * time.Microsecond)
	defer tick.Stop()
	for apiWrites(k.s.sb.Stats()) < writes {
		select {
		case <-done:
			return false
		case <-tick.C:
		}
	}
	select {
	case <-done:
		return false
	case <-time.After(extra):
	}
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	<-done
	return true
}

// finish re-runs the apply until it exits 0 (a run may end 4, in doubt,
// if the previous kill left a write unresolvable for now).
func finish(t *testing.T, bin, dir, planFile string, s *testSandbox) {
	t.Helper()
	for attempt := range 5 {
		code, out, err := exitCode(applyCmd(bin, dir, planFile, s))
		if err != nil {
			t.Fatal(err)
		}
		if code == exitOK {
			return
		}
		t.Logf("resume attempt %d: exit %d\n%s", attempt, code, out)
	}
	t.Fatalf("apply never converged to exit 0")
}

// ledger is what a sandbox holds after a run, keyed by Tag.
type ledger struct {
	balances map[string]int64 // wallet Tag (or FEES_<cur>) -> balance
	txTags   map[string]int   // transaction Tag -> count
	txState  map[string]string
	users    int // users listed
	wallets  int // user wallets listed
}

// snapshotLedger lists every user's wallets and their transactions.
func snapshotLedger(t *testing.T, c *mangopay.Client) *ledger {
	t.Helper()
	ctx := context.Background()
	l := &ledger{balances: map[string]int64{}, txTags: map[string]int{}, txState: map[string]string{}}
	seen := map[string]bool{}
	for u, err := range c.Users.List(ctx, &mangopay.ListOptions{PerPage: 100}) {
		if err != nil {
			t.Fatal(err)
		}
		l.users++
		for w, err := range c.Wallets.ListByUser(ctx, u.Id, &mangopay.ListOptions{PerPage: 100}) {
			if err != nil {
				t.Fatal(err)
			}
			l.wallets++
			l.balances[string(w.Tag)] = w.Balance.Amount
			l.addTransactions(t, c.Transactions.ListByWallet(ctx, w.Id, &mangopay.ListOptions{PerPage: 100}), seen)
		}
	}
	for w, err := range c.ClientWallets.ListByFundsType(ctx, "FEES", &mangopay.ListOptions{PerPage: 100}) {
		if err != nil {
			t.Fatal(err)
		}
		l.balances["FEES_"+w.Currency] = w.Balance.Amount
	}
	return l
}

// addTransactions counts each transaction once (it is listed by both
// wallets it touches).
func (l *ledger) addTransactions(t *testing.T, seq func(func(mangopay.Transaction, error) bool), seen map[string]bool) {
	t.Helper()
	for tx, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		if seen[tx.Id] {
			continue
		}
		seen[tx.Id] = true
		tag := string(tx.Tag)
		l.txTags[tag]++
		l.txState[tag] = fmt.Sprintf("%s %s %s %d", tx.Type, tx.Nature, tx.Status, tx.DebitedFunds.Amount)
	}
}

// compareLedgers checks balances and transactions against the reference.
func compareLedgers(t *testing.T, got, want *ledger) {
	t.Helper()
	if len(want.txTags) == 0 {
		t.Fatalf("the reference run moved no money")
	}
	for tag, n := range got.txTags {
		if n != 1 {
			t.Errorf("transaction Tag %q appears %d times, want once", tag, n)
		}
	}
	for tag, st := range want.txState {
		if got.txState[tag] != st {
			t.Errorf("transaction %q = %q, want %q", tag, got.txState[tag], st)
		}
	}
	if len(got.txTags) != len(want.txTags) {
		t.Errorf("%d distinct transaction Tags, want %d", len(got.txTags), len(want.txTags))
	}
	for tag, b := range want.balances {
		if got.balances[tag] != b {
			t.Errorf("balance of %q = %d, want %d", tag, got.balances[tag], b)
		}
	}
	if got.users != want.users || got.wallets != want.wallets {
		t.Errorf("%d users and %d wallets, want %d and %d (one created twice?)", got.users, got.wallets, want.users, want.wallets)
	}
}

// TestInterruptExits130 sends SIGINT to `settle apply` in the middle of a
// run: it stops dispatching, journals what was in flight and exits 130;
// the next apply finishes the job with exit 0 and the ledger of an
// uninterrupted run.
func TestInterruptExits130(t *testing.T) {
	bin := buildSettle(t)
	const planFile = "examples/succeeded-natural.yaml"
	ref := newTestSandbox(t, testAPIKey, 0)
	if code, out, err := exitCode(applyCmd(bin, workDir(t), planFile, ref)); err != nil || code != exitOK {
		t.Fatalf("uninterrupted apply: exit %d, %v\n%s", code, err, out)
	}
	s := newTestSandbox(t, testAPIKey, 20*time.Millisecond)
	dir := workDir(t)
	cmd := applyCmd(bin, dir, planFile, s)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(200 * time.Microsecond)
	for apiWrites(s.sb.Stats()) < 5 {
		<-tick.C
	}
	tick.Stop()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted apply: %v, want exit %d\n%s", err, exitInterrupted, out.String())
	}
	if !strings.Contains(out.String(), "Apply interrupted") {
		t.Errorf("interrupted apply's summary does not say so:\n%s", out.String())
	}
	finish(t, bin, dir, planFile, s)
	compareLedgers(t, snapshotLedger(t, s.client(t, testAPIKey)), snapshotLedger(t, ref.client(t, testAPIKey)))
}
