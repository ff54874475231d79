package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"settle/executor"
)

// interruptOnRead is a confirmation input on which the operator presses
// Ctrl-C: a read cancels the command's context, then blocks (as a
// terminal does) until the test ends.
type interruptOnRead struct {
	cancel  context.CancelFunc
	release chan struct{}
}

func (r interruptOnRead) Read([]byte) (int, error) {
	r.cancel()
	<-r.release
	return 0, io.EOF
}

// TestCtrlCAtProductionPrompt: Ctrl-C while apply waits for the typed
// production confirmation cancels at once with exit 130, and nothing is
// written.
func TestCtrlCAtProductionPrompt(t *testing.T) {
	s := newTestSandbox(t, testAPIKey, 0)
	chdir(t, t.TempDir())
	sandboxEnv(t, s)
	writeTestFile(t, filepath.Join("users-only.yaml"), `version: 1
name: users-only
currency: EUR
users:
  payer: {type: natural, category: payer, first_name: Paul, last_name: Young, email: paul@example.org}
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := interruptOnRead{cancel: cancel, release: make(chan struct{})}
	confirmInput = in
	t.Cleanup(func() { close(in.release); confirmInput = os.Stdin })
	r := runInProcess(ctx, "apply", "users-only.yaml", "--target", "production", "--confirm-production")
	if r.code != exitInterrupted {
		t.Errorf("apply interrupted at the prompt: exit %d, want %d\n%s", r.code, exitInterrupted, r.stderr)
	}
	if !strings.Contains(r.stderr, "Only 'yes' is accepted") || !strings.Contains(r.stderr, "apply cancelled at the production question, nothing was sent: interrupted") {
		t.Errorf("stderr = %q, want the question then the cancellation", r.stderr)
	}
	if got := apiWrites(s.sb.Stats()); got != 0 {
		t.Errorf("%d writes after Ctrl-C at the prompt, want 0", got)
	}
}

// embeddedEnv clears the credentials and base URL, so commands use the
// embedded target.
func embeddedEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{envClientID, envAPIKey, envAPIKeyFile, envBaseURL} {
		t.Setenv(k, "")
	}
	t.Setenv("NO_COLOR", "1")
}

// seedFileOf is examples/seed/<name>.seed.yaml for examples/<name>.yaml.
func seedFileOf(planFile string) string {
	name := strings.TrimSuffix(filepath.Base(planFile), ".yaml")
	return filepath.Join(filepath.Dir(planFile), "seed", name+".seed.yaml")
}

// TestApplyEveryExample applies every examples/*.yaml on the embedded
// target, each in a fresh copy of examples/, seeding first the objects it
// adopts when examples/seed/<name>.seed.yaml exists: apply exits 0 and a
// second `plan --detailed-exitcode` finds nothing to do, and every payout
// went to a Recipient (RecipientId set; an adopted legacy account's by its
// BankAccountId).
func TestApplyEveryExample(t *testing.T) {
	plans, err := filepath.Glob(filepath.Join("examples", "*.yaml"))
	if err != nil || len(plans) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	embeddedEnv(t)
	ctx := context.Background()
	seeded := 0
	for _, planFile := range plans {
		t.Run(filepath.Base(planFile), func(t *testing.T) {
			chdir(t, workDir(t))
			if _, err := os.Stat(seedFileOf(planFile)); err == nil {
				seeded++
				if r := runInProcess(ctx, "sandbox", "seed", seedFileOf(planFile), "--plan", planFile); r.code != exitOK {
					t.Fatalf("sandbox seed: exit %d\n%s", r.code, r.stderr)
				}
			}
			r := runInProcess(ctx, "apply", planFile, "--yes")
			if r.code != exitOK || !strings.Contains(r.stdout, "Apply complete:") {
				t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if r := runInProcess(ctx, "plan", planFile, "--detailed-exitcode"); r.code != exitOK {
				t.Errorf("plan --detailed-exitcode after apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			assertPaidToRecipients(t, embeddedClient(t, filepath.Dir(planFile)), planFile, 0)
		})
	}
	if seeded == 0 {
		t.Errorf("no example has a seed file in examples/seed/")
	}
}

func TestApplyExitCode(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		sum  executor.Summary
		err  error
		want int
	}{
		{"done", context.Background(), executor.Summary{Done: 3}, nil, exitOK},
		{"nothing to do", context.Background(), executor.Summary{Unchanged: 3}, nil, exitOK},
		{"pending", context.Background(), executor.Summary{Done: 2, Pending: 1}, nil, exitPending},
		{"failed steps", context.Background(), executor.Summary{Done: 2, Failed: 1, Skipped: 2}, nil, exitFailedSteps},
		{"blocked steps", context.Background(), executor.Summary{Done: 2, Blocked: 1, Skipped: 2}, nil, exitFailedSteps},
		{"failed wins over pending", context.Background(), executor.Summary{Failed: 1, Pending: 1}, nil, exitFailedSteps},
		{"blocked wins over pending", context.Background(), executor.Summary{Blocked: 1, Pending: 1}, nil, exitFailedSteps},
		{"an error wins over failed and pending", context.Background(), executor.Summary{Failed: 1, Pending: 1}, errors.New("executor: x"), exitError},
		{"in doubt wins over a journal error", context.Background(), executor.Summary{Done: 1, InDoubt: 7}, errors.New("executor: write journal: no space left on device"), exitInDoubt},
		{"in doubt wins over pending", context.Background(), executor.Summary{Pending: 1, InDoubt: 1}, nil, exitInDoubt},
		{"in doubt wins over failed", context.Background(), executor.Summary{Failed: 1, InDoubt: 1}, nil, exitInDoubt},
		{"interrupted wins over in doubt", context.Background(), executor.Summary{InDoubt: 2, Interrupted: true}, nil, exitInterrupted},
		{"cancelled context", canceled, executor.Summary{}, context.Canceled, exitInterrupted},
		{"journal error", context.Background(), executor.Summary{Done: 1}, errors.New("executor: sync journal: disk full"), exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCodeOf(applyOutcome(tt.ctx, &tt.sum, tt.err)); got != tt.want {
				t.Errorf("exitCodeOf(applyOutcome(%+v, %v)) = %d, want %d", tt.sum, tt.err, got, tt.want)
			}
		})
	}
}

// TestSavedPlanOnProductionReadsOnce: applying a saved plan on production
// reads the state once before the question: the plan made to check the
// saved one is the plan shown, as many reads as `settle plan` makes.
func TestSavedPlanOnProductionReadsOnce(t *testing.T) {
	s := newTestSandbox(t, testAPIKey, 0)
	chdir(t, workDir(t))
	productionHostEnv(t, s)
	const planFile = "examples/succeeded-natural.yaml"
	reads := func() int64 {
		st := s.sb.Stats()
		return st.Requests - st.ByRoute["POST /oauth/token"]
	}
	if err := resetStats(s.sb); err != nil {
		t.Fatal(err)
	}
	if r := runInProcess(t.Context(), "plan", planFile, "--confirm-production", "--out", "saved.json"); r.code != exitOK {
		t.Fatalf("plan --out: exit %d\n%s", r.code, r.stderr)
	}
	planReads := reads()
	if err := resetStats(s.sb); err != nil {
		t.Fatal(err)
	}
	confirmInput = strings.NewReader("no\n")
	t.Cleanup(func() { confirmInput = os.Stdin })
	r := runInProcess(t.Context(), "apply", "saved.json", "--confirm-production")
	if r.code != exitError || !strings.Contains(r.stderr, "Apply cancelled: nothing was sent") ||
		!strings.Contains(r.stdout, "Plan bakery-oven on target production") {
		t.Fatalf("apply saved.json answered no: exit %d, stdout %q, stderr %q; want the plan, then cancelled", r.code, r.stdout, r.stderr)
	}
	if got := reads(); planReads == 0 || got != planReads {
		t.Errorf("apply of a saved plan on production made %d reads before the question, want %d (one reading, as plan)", got, planReads)
	}
}
