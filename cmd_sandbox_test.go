package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"
)

// runSandbox runs `settle sandbox ARGS...` in process and returns its exit
// code, as the settle binary would (sandbox_node_test.go drives `sandbox
// serve` through it).
func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, append([]string{"sandbox"}, args...), stdout, stderr)
}

// TestServeFlags2026: the flags of MANGOPAY's 2026 behaviours reach the
// sandbox options; TLS flags that do not go together, or files that do not
// load, are usage errors (exit 1).
func TestServeFlags2026(t *testing.T) {
	sf := newServeFlags(io.Discard)
	if err := sf.fs.Parse([]string{"--wallet-sca", "--legacy-bank-cutoff", "--recipient-delay", "5s", "--proxy-consent"}); err != nil {
		t.Fatal(err)
	}
	opts, err := sf.options()
	if err != nil || !opts.WalletSCA || !opts.LegacyBankCutoff || opts.RecipientDelay != 5*time.Second || !opts.ProxyConsent || opts.TLS != nil {
		t.Errorf("options() = %+v, %v", opts, err)
	}
	missing := filepath.Join(t.TempDir(), "missing.pem")
	for _, args := range [][]string{{"serve", "--client-ca", missing}, {"serve", "--tls-cert", missing},
		{"serve", "--tls-cert", missing, "--tls-key", missing}} {
		stderr := &sbxBuffer{}
		if code := runSandbox(context.Background(), args, &sbxBuffer{}, stderr); code != 1 || stderr.String() == "" {
			t.Errorf("runSandbox(%q) = %d (%s), want 1 with a message", args, code, stderr.String())
		}
	}
}
