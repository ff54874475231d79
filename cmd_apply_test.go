package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	t.Setenv(envClientID, testClientID)
	t.Setenv(envAPIKey, testAPIKey)
	t.Setenv(envAPIKeyFile, "")
	t.Setenv(envBaseURL, s.url)
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
	if !strings.Contains(r.stderr, "Only 'yes' is accepted") || !strings.Contains(r.stderr, "Apply cancelled (interrupted): nothing was sent.") {
		t.Errorf("stderr = %q, want the question then the cancellation", r.stderr)
	}
	if got := apiWrites(s.sb.Stats()); got != 0 {
		t.Errorf("%d writes after Ctrl-C at the prompt, want 0", got)
	}
}
