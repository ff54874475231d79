package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/internal/testcert"
	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// writeClientCertificate writes a client certificate (CN
// settle-test-client) signed by a new test CA, and its key, as PEM files
// in dir; it returns their paths and a pool holding the CA.
func writeClientCertificate(t *testing.T, dir string) (certFile, keyFile string, cas *x509.CertPool) {
	t.Helper()
	ca := testcert.NewCA(t, "settle test CA")
	now := time.Now()
	certFile, keyFile = testcert.WriteFiles(t, dir, "client", ca.Client(t, "settle-test-client", now.Add(-time.Hour), now.Add(time.Hour)))
	return certFile, keyFile, ca.Pool()
}

// TestClientCertificateFromEnvironment: MANGOPAY_CLIENT_CERT_FILE and
// MANGOPAY_CLIENT_KEY_FILE reach the client. The emulator is served over
// TLS by a server that refuses any connection without that certificate;
// `settle plan` reads the whole plan's state through it (the OAuth token
// call included) and every request it answered carried the certificate.
func TestClientCertificateFromEnvironment(t *testing.T) {
	sb, err := sandbox.New(sandbox.Options{ClientID: testClientID, APIKey: testAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	certFile, keyFile, cas := writeClientCertificate(t, t.TempDir())
	var mu sync.Mutex
	seen := map[string]int{} // guarded by mu: requests by client certificate subject, "" for none
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		subject := ""
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			subject = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		mu.Lock()
		seen[subject]++
		if strings.HasSuffix(r.URL.Path, "/oauth/token") {
			seen["oauth"]++
		}
		mu.Unlock()
		sb.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: cas}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes below
	srv.StartTLS()
	t.Cleanup(srv.Close)
	// The test server's own certificate is trusted by the client's
	// transport; it stays an *http.Transport, which mangopay needs to add
	// the client certificate to.
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	transportHook = func(rt http.RoundTripper) http.RoundTripper {
		tr := rt.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{RootCAs: roots}
		return tr
	}
	t.Cleanup(func() { transportHook = nil })

	chdir(t, workDir(t))
	t.Setenv(envClientID, testClientID)
	t.Setenv(envAPIKey, testAPIKey)
	t.Setenv(envAPIKeyFile, "")
	t.Setenv(envBaseURL, srv.URL)
	t.Setenv(envClientCertFile, certFile)
	t.Setenv(envClientKeyFile, keyFile)
	t.Setenv("NO_COLOR", "1")
	r := runInProcess(t.Context(), "plan", "examples/succeeded-natural.yaml")
	if r.code != exitOK {
		t.Fatalf("plan with the client certificate: exit %d\n%s", r.code, r.stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["settle-test-client"] == 0 || seen[""] != 0 || seen["oauth"] == 0 {
		t.Errorf("requests by client certificate: %v; want all (the OAuth token call included) with settle-test-client", seen)
	}

	// Without the certificate the server refuses the handshake.
	t.Setenv(envClientCertFile, "")
	t.Setenv(envClientKeyFile, "")
	if r := runInProcess(t.Context(), "plan", "examples/succeeded-natural.yaml"); r.code == exitOK {
		t.Errorf("plan without the client certificate: exit 0, want a refused TLS handshake")
	}
}

// TestClientCertificateErrors: a certificate without its key, a missing
// file, and flags on the embedded target are refused with the setting
// named, before any call.
func TestClientCertificateErrors(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := writeClientCertificate(t, dir)
	chdir(t, workDir(t))
	t.Setenv(envClientID, "cid")
	t.Setenv(envAPIKey, "key")
	t.Setenv(envAPIKeyFile, "")
	t.Setenv(envBaseURL, "")
	t.Setenv(envClientKeyFile, "")
	transportHook = func(http.RoundTripper) http.RoundTripper { return refuseRoundTrips{t} }
	t.Cleanup(func() { transportHook = nil })
	missing := filepath.Join(dir, "missing.crt")
	for _, tt := range []struct {
		name string
		env  string // MANGOPAY_CLIENT_CERT_FILE
		args []string
		want string
	}{
		{name: "missing certificate file", env: missing, args: []string{"--client-key", keyFile},
			want: "the mTLS client certificate (--client-cert or MANGOPAY_CLIENT_CERT_FILE, --client-key or MANGOPAY_CLIENT_KEY_FILE) cannot be used: client certificate " + missing},
		{name: "certificate without key", env: certFile,
			want: "needs its private key: set --client-key or MANGOPAY_CLIENT_KEY_FILE"},
		{name: "key without certificate", args: []string{"--client-key", keyFile},
			want: "needs its certificate: set --client-cert or MANGOPAY_CLIENT_CERT_FILE"},
		{name: "key that is not the certificate's", args: []string{"--client-cert", certFile, "--client-key", certFile},
			want: "cannot be used: client certificate " + certFile + ", key " + certFile},
		{name: "embedded target", args: []string{"--target", "embedded", "--client-cert", certFile, "--client-key", keyFile},
			want: "cannot be used with --target embedded"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envClientCertFile, tt.env)
			r := runInProcess(t.Context(), append([]string{"plan", "examples/succeeded-natural.yaml"}, tt.args...)...)
			if r.code != exitError || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// TestClientCertificateDefaultHosts: with a client certificate, the
// sandbox and production targets default to MANGOPAY's api-mtls hosts.
func TestClientCertificateDefaultHosts(t *testing.T) {
	env := map[string]string{envClientID: "cid", envAPIKey: "key", envClientCertFile: "c.pem", envClientKeyFile: "k.pem"}
	getenv := func(k string) string { return env[k] }
	for _, tt := range []struct {
		flags targetFlags
		want  string
	}{
		{targetFlags{}, mangopay.SandboxMTLSURL},
		{targetFlags{target: "production", confirmProduction: true}, mangopay.ProductionMTLSURL},
		{targetFlags{baseURL: "https://emulator.example.org"}, "https://emulator.example.org"},
	} {
		spec, err := resolveTarget(tt.flags, "", getenv)
		// MANGOPAY's api-mtls hosts are MANGOPAY's: the /sca/users routes
		// are on by default there, as on its other hosts.
		if err != nil || spec.BaseURL != tt.want || spec.CertFile != "c.pem" || spec.KeyFile != "k.pem" || spec.SCAUserRoutes != mangopayHost(tt.want) {
			t.Errorf("resolveTarget(%+v) = %+v, %v; want base URL %s with the certificate", tt.flags, spec, err, tt.want)
		}
	}
	if !mangopayHost(mangopay.SandboxMTLSURL) || !mangopayHost(mangopay.ProductionMTLSURL) {
		t.Error("the api-mtls hosts are not recognised as MANGOPAY's")
	}
}
