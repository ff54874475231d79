package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
)

func TestResolveTarget(t *testing.T) {
	creds := map[string]string{envClientID: "cid", envAPIKey: "key"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		name       string
		flags      targetFlags
		planTarget string
		env        map[string]string
		want       targetSpec
		wantErr    string
	}{
		{name: "no credentials: embedded", env: nil,
			want: targetSpec{Name: targetEmbedded, ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey}},
		{name: "credentials: sandbox", env: creds,
			want: targetSpec{Name: targetSandbox, BaseURL: mangopay.SandboxURL, ClientID: "cid", APIKey: "key", SCAUserRoutes: true}},
		{name: "explicit embedded ignores credentials", flags: targetFlags{target: "embedded"}, env: creds,
			want: targetSpec{Name: targetEmbedded, ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey}},
		{name: "base URL from the environment", env: with(creds, envBaseURL, "http://127.0.0.1:9"),
			want: targetSpec{Name: targetSandbox, BaseURL: "http://127.0.0.1:9", ClientID: "cid", APIKey: "key"}},
		{name: "--base-url wins over the environment", flags: targetFlags{baseURL: "http://localhost:7"}, env: with(creds, envBaseURL, "http://127.0.0.1:9"),
			want: targetSpec{Name: targetSandbox, BaseURL: "http://localhost:7", ClientID: "cid", APIKey: "key"}},
		{name: "loopback URL without credentials uses the sandbox defaults", flags: targetFlags{baseURL: "http://127.0.0.1:8080"},
			want: targetSpec{Name: targetSandbox, BaseURL: "http://127.0.0.1:8080", ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey}},
		{name: "remote URL needs credentials", flags: targetFlags{baseURL: "https://example.org"}, wantErr: "needs MANGOPAY_CLIENT_ID"},
		{name: "sandbox without credentials", flags: targetFlags{target: "sandbox"}, wantErr: "needs MANGOPAY_CLIENT_ID"},
		{name: "production needs confirmation", flags: targetFlags{target: "production"}, env: creds, wantErr: "--confirm-production"},
		{name: "production confirmed", flags: targetFlags{target: "production", confirmProduction: true}, env: creds,
			want: targetSpec{Name: targetProduction, BaseURL: mangopay.ProductionURL, ClientID: "cid", APIKey: "key", SCAUserRoutes: true}},
		{name: "the plan declares production", planTarget: "production", env: creds,
			want: targetSpec{Name: targetProduction, BaseURL: mangopay.ProductionURL, ClientID: "cid", APIKey: "key", SCAUserRoutes: true}},
		{name: "production never without credentials", planTarget: "production", flags: targetFlags{baseURL: "http://127.0.0.1:1"}, wantErr: "needs MANGOPAY_CLIENT_ID"},
		{name: "unknown target", flags: targetFlags{target: "moon"}, wantErr: "want embedded, sandbox or production"},
		{name: "embedded with --base-url", flags: targetFlags{target: "embedded", baseURL: "http://127.0.0.1:1"}, wantErr: "cannot be used"},
		{name: "key without id", env: map[string]string{envAPIKey: "key"}, wantErr: "MANGOPAY_CLIENT_ID is not"},
		{name: "id without key", env: map[string]string{envClientID: "cid"}, wantErr: "neither MANGOPAY_API_KEY"},
		{name: "--sca-user-routes=false on sandbox", flags: targetFlags{scaUserRoutes: optBool{set: true}}, env: creds,
			want: targetSpec{Name: targetSandbox, BaseURL: mangopay.SandboxURL, ClientID: "cid", APIKey: "key"}},
		{name: "MANGOPAY_SCA_USER_ROUTES=0 on sandbox", env: with(creds, envSCAUserRoutes, "0"),
			want: targetSpec{Name: targetSandbox, BaseURL: mangopay.SandboxURL, ClientID: "cid", APIKey: "key"}},
		{name: "--sca-user-routes on embedded", flags: targetFlags{scaUserRoutes: optBool{set: true, v: true}},
			want: targetSpec{Name: targetEmbedded, ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey, SCAUserRoutes: true}},
		{name: "MANGOPAY_SCA_USER_ROUTES=1 with a base URL", flags: targetFlags{baseURL: "http://127.0.0.1:8080"}, env: map[string]string{envSCAUserRoutes: "1"},
			want: targetSpec{Name: targetSandbox, BaseURL: "http://127.0.0.1:8080", ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey, SCAUserRoutes: true}},
		{name: "MANGOPAY_SCA_USER_ROUTES not a boolean", env: map[string]string{envSCAUserRoutes: "yes"}, wantErr: "want 1 or 0"},
		{name: "key and key file", env: with(creds, envAPIKeyFile, "/nonexistent"), wantErr: "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveTarget(tt.flags, tt.planTarget, func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("resolveTarget() = %+v, %v; want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("resolveTarget() = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestCredentialsFromFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(file, []byte("  secret-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{envClientID: "cid", envAPIKeyFile: file}
	id, key, ok, err := credentials(func(k string) string { return env[k] })
	if err != nil || !ok || id != "cid" || string(key) != "secret-from-file" {
		t.Errorf("credentials() = %q, %q, %v, %v; want cid, secret-from-file, true, nil", id, string(key), ok, err)
	}
	env[envAPIKeyFile] = filepath.Join(t.TempDir(), "missing")
	if _, _, _, err := credentials(func(k string) string { return env[k] }); err == nil {
		t.Errorf("credentials() with a missing key file: nil error")
	}
}

func TestEmbeddedSandboxIsLocked(t *testing.T) {
	dir := t.TempDir()
	first, err := connect(t.Context(), targetSpec{Name: targetEmbedded, ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey}, dir, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = connect(t.Context(), targetSpec{Name: targetEmbedded, ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey}, dir, false, nil)
	if err == nil || !strings.Contains(err.Error(), "locked by another settle run") {
		t.Errorf("second connect() = %v, want a lock error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".settle", "sandbox")); err != nil {
		t.Errorf("embedded state folder: %v", err)
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
		{"pending is not a failure", context.Background(), executor.Summary{Done: 2, Pending: 1}, nil, exitOK},
		{"failed steps", context.Background(), executor.Summary{Done: 2, Failed: 1, Skipped: 2}, nil, exitFailedSteps},
		{"in doubt wins over failed", context.Background(), executor.Summary{Failed: 1, InDoubt: 1}, nil, exitInDoubt},
		{"interrupted wins over in doubt", context.Background(), executor.Summary{InDoubt: 2, Interrupted: true}, nil, exitInterrupted},
		{"cancelled context", canceled, executor.Summary{}, context.Canceled, exitInterrupted},
		{"journal error", context.Background(), executor.Summary{Done: 1}, errors.New("executor: sync journal: disk full"), exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := applyExitCode(tt.ctx, &tt.sum, tt.err); got != tt.want {
				t.Errorf("applyExitCode(%+v, %v) = %d, want %d", tt.sum, tt.err, got, tt.want)
			}
		})
	}
}
