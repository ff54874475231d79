package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		{name: "a production host in the environment is production", env: with(creds, envBaseURL, "https://api.mangopay.com"),
			wantErr: "https://api.mangopay.com is MANGOPAY production: it needs --confirm-production"},
		{name: "a production host wins over --target sandbox", flags: targetFlags{target: "sandbox", baseURL: "https://API.Mangopay.com.:443/"}, env: creds,
			wantErr: "is MANGOPAY production: it needs --confirm-production"},
		{name: "the mTLS production host", flags: targetFlags{baseURL: "https://api-mtls.mangopay.com"}, env: creds,
			wantErr: "is MANGOPAY production"},
		{name: "a production host without credentials", env: map[string]string{envBaseURL: "https://api.mangopay.com"}, wantErr: "MANGOPAY production"},
		{name: "a production host confirmed", flags: targetFlags{confirmProduction: true}, env: with(creds, envBaseURL, "https://api-mtls.mangopay.com"),
			want: targetSpec{Name: targetProduction, BaseURL: "https://api-mtls.mangopay.com", ClientID: "cid", APIKey: "key", SCAUserRoutes: true}},
		{name: "a production host the plan declares", planTarget: "production", env: with(creds, envBaseURL, "https://api.mangopay.com"),
			want: targetSpec{Name: targetProduction, BaseURL: "https://api.mangopay.com", ClientID: "cid", APIKey: "key", SCAUserRoutes: true}},
		{name: "explicit embedded never uses the environment's production URL", flags: targetFlags{target: "embedded"}, env: with(creds, envBaseURL, "https://api.mangopay.com"),
			want: targetSpec{Name: targetEmbedded, ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey}},
		{name: "a look-alike host is not production", flags: targetFlags{baseURL: "https://api.mangopay.com.example.org"}, env: creds,
			want: targetSpec{Name: targetSandbox, BaseURL: "https://api.mangopay.com.example.org", ClientID: "cid", APIKey: "key"}},
		{name: "the MANGOPAY sandbox host by URL keeps the SCA routes", flags: targetFlags{baseURL: "https://api.sandbox.mangopay.com"}, env: creds,
			want: targetSpec{Name: targetSandbox, BaseURL: "https://api.sandbox.mangopay.com", ClientID: "cid", APIKey: "key", SCAUserRoutes: true}},
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

// refuseRoundTrips is a transport that fails the test on any request.
type refuseRoundTrips struct{ t *testing.T }

func (r refuseRoundTrips) RoundTrip(req *http.Request) (*http.Response, error) {
	r.t.Errorf("%s %s: a connection was opened", req.Method, req.URL)
	return nil, errors.New("test: no connection allowed")
}

// TestProductionHostOpensNoConnection: a base URL on MANGOPAY's
// production host, given without --confirm-production, is refused before
// any client exists (the transport hook is never reached) by every command
// that talks to the API, whatever --target says.
func TestProductionHostOpensNoConnection(t *testing.T) {
	chdir(t, workDir(t))
	t.Setenv(envClientID, "cid")
	t.Setenv(envAPIKey, "key")
	t.Setenv(envAPIKeyFile, "")
	t.Setenv(envBaseURL, "https://api.mangopay.com")
	transportHook = func(http.RoundTripper) http.RoundTripper {
		t.Errorf("a client was built for the production host")
		return refuseRoundTrips{t}
	}
	t.Cleanup(func() { transportHook = nil })
	const planFile = "examples/succeeded-natural.yaml"
	if err := os.MkdirAll(filepath.Join("examples", ".settle"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join("examples", ".settle", "bakery-oven.journal.jsonl"), "") // report --reconcile needs one
	for _, args := range [][]string{
		{"plan", planFile},
		{"apply", planFile, "--yes"},
		{"apply", planFile, "--yes", "--target", "sandbox"},
		{"apply", planFile, "--yes", "--base-url", "https://api-mtls.mangopay.com"},
		{"report", planFile, "--reconcile"},
	} {
		r := runInProcess(t.Context(), args...)
		if r.code != exitError || !strings.Contains(r.stderr, "is MANGOPAY production: it needs --confirm-production") {
			t.Errorf("settle %v: exit %d, stderr %q; want 1 and the production guard", args, r.code, r.stderr)
		}
	}
}

// redirectTo answers every request for host from the server at base:
// settle believes it talks to host.
// productionHostEnv aims the commands at the production host with the
// test credentials, the host answered by s through the transport hook.
func productionHostEnv(t *testing.T, s *testSandbox) {
	t.Helper()
	sandboxEnv(t, s)
	t.Setenv(envBaseURL, "https://api.mangopay.com")
	transportHook = redirectTo("api.mangopay.com", s.url)
	t.Cleanup(func() { transportHook = nil })
}

func redirectTo(host, base string) func(http.RoundTripper) http.RoundTripper {
	u, err := url.Parse(base)
	if err != nil {
		panic(err)
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			if req.URL.Hostname() != host {
				return nil, fmt.Errorf("test: request to %s, want %s", req.URL.Host, host)
			}
			req = req.Clone(req.Context())
			req.URL.Scheme, req.URL.Host, req.Host = u.Scheme, u.Host, u.Host
			return next.RoundTrip(req)
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// TestProductionHostIsProduction: MANGOPAY_BASE_URL on the production
// host, no --target, is the production target (here answered by a local
// sandbox through the transport hook): the header names it and its URL,
// raw card numbers are blocked, and apply asks before writing anything.
func TestProductionHostIsProduction(t *testing.T) {
	s := newTestSandbox(t, testAPIKey, 0)
	chdir(t, workDir(t))
	productionHostEnv(t, s)
	const planFile = "examples/succeeded-natural.yaml"
	r := runInProcess(t.Context(), "plan", planFile, "--confirm-production")
	if r.code != exitOK {
		t.Fatalf("plan --confirm-production: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"Plan bakery-oven on target production (https://api.mangopay.com)\n",
		"! card/alice-visa", "raw card numbers are refused on target production"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	confirmInput = strings.NewReader("no\n")
	t.Cleanup(func() { confirmInput = os.Stdin })
	r = runInProcess(t.Context(), "apply", planFile, "--confirm-production")
	if r.code != exitError || !strings.Contains(r.stderr, "Apply cancelled: nothing was sent") {
		t.Errorf("apply answered no: exit %d, stderr %q; want 1, cancelled", r.code, r.stderr)
	}
	if got := apiWrites(s.sb.Stats()); got != 0 {
		t.Errorf("apply answered no: %d writes reached MANGOPAY, want 0", got)
	}
}

// TestProxyConsent: the platform holds proxy consent only when the
// operator says so, by flag or environment, and the flag wins.
func TestProxyConsent(t *testing.T) {
	for _, tt := range []struct {
		flags   targetFlags
		env     string
		want    bool
		wantErr string
	}{
		{want: false},
		{env: "1", want: true},
		{env: "0", want: false},
		{flags: targetFlags{proxyConsent: optBool{set: true, v: true}}, want: true},
		{flags: targetFlags{proxyConsent: optBool{set: true}}, env: "1", want: false},
		{env: "yes", wantErr: "MANGOPAY_PROXY_CONSENT=\"yes\": want 1 or 0"},
	} {
		spec, err := resolveTarget(tt.flags, "", func(k string) string { return map[string]string{envProxyConsent: tt.env}[k] })
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("flags %+v, env %q: error %v, want %q", tt.flags, tt.env, err, tt.wantErr)
			}
			continue
		}
		if err != nil || spec.ProxyConsent != tt.want {
			t.Errorf("flags %+v, env %q: ProxyConsent %v, %v; want %v", tt.flags, tt.env, spec.ProxyConsent, err, tt.want)
		}
	}
}
