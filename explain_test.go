package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"

	"settle/internal/flock"
	"settle/mangopay"
)

// TestForPeople: each kind of failure is told in the user's terms, with
// what to do, and without the chain of package names.
func TestForPeople(t *testing.T) {
	refused := &url.Error{Op: "Post", URL: "https://api.sandbox.mangopay.com/v2.01/oauth/token",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	timeout := &url.Error{Op: "Get", URL: "https://api.mangopay.com/v2.01/x/users", Err: os.ErrDeadlineExceeded}
	held := &flock.HeldError{Path: "p/.settle/x.journal.jsonl.lock", Holder: flock.Holder{PID: 42, Host: "ci-3"}}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"credentials", fmt.Errorf("executor: listing users: mangopay: GET /users: %w",
			&mangopay.Error{StatusCode: 401, Type: "invalid_client", Message: "bad secret"}),
			[]string{"MANGOPAY refused the credentials (401 invalid_client: bad secret)", "MANGOPAY_CLIENT_ID", "MANGOPAY_API_KEY"}},
		{"network", fmt.Errorf("executor: mangopay: POST /oauth/token: %w", refused),
			[]string{"cannot reach MANGOPAY at api.sandbox.mangopay.com (connection refused)", "--base-url"}},
		{"timeout", fmt.Errorf("mangopay: GET /users: %w", timeout),
			[]string{"MANGOPAY did not answer in time at api.mangopay.com", "Run the command again"}},
		{"lock", fmt.Errorf("executor: journal: %w", held),
			[]string{"is locked by another settle run: PID 42 on host ci-3", "settle unlock PLAN"}},
		{"missing file", fmt.Errorf("plan: %w", &os.PathError{Op: "open", Path: "x.yaml", Err: syscall.ENOENT}),
			[]string{"x.yaml: no such file"}},
		{"anything else", errors.New("executor: reading wallet/a: mangopay: GET /wallets/1: boom"),
			[]string{"reading wallet/a: GET /wallets/1: boom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := forPeople(tt.err)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("forPeople() = %q, want it to contain %q", got, w)
				}
			}
			if strings.Contains(got, "executor: ") || strings.Contains(got, "mangopay: ") {
				t.Errorf("forPeople() = %q names internal packages", got)
			}
		})
	}
}
