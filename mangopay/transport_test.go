package mangopay_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"settle/internal/testcert"
	"settle/mangopay"
)

// TestClientKeepsConnections: 32 callers of a client built without an
// HTTPClient make five waves of calls; the default transport keeps their
// connections between waves. net/http's default (2 idle per host) would
// close about 30 and dial them again at every wave, about 150 dials.
func TestClientKeepsConnections(t *testing.T) {
	var dials atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(benchWallet)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := mangopay.NewClient(mangopay.Config{ClientID: "cid", APIKey: "key", BaseURL: srv.URL, Auth: mangopay.AuthBasic})
	if err != nil {
		t.Fatal(err)
	}
	const callers, waves = 32, 5
	for range waves {
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				if _, err := c.Wallets.Get(context.Background(), "w1"); err != nil {
					t.Errorf("Get() error = %v", err)
				}
			})
		}
		wg.Wait()
	}
	if n := dials.Load(); n > 2*callers {
		t.Errorf("%d connections dialled for %d waves of %d calls, want at most %d (kept between waves)", n, waves, callers, 2*callers)
	}
}

// TestNewHTTPClientSizes: the idle pool is sized to the callers, at least
// DefaultConns.
func TestNewHTTPClientSizes(t *testing.T) {
	for _, tc := range []struct{ conns, want int }{{0, mangopay.DefaultConns}, {8, mangopay.DefaultConns}, {200, 200}} {
		tr, ok := mangopay.NewHTTPClient(tc.conns).Transport.(*http.Transport)
		if !ok || tr.MaxIdleConnsPerHost != tc.want || tr.MaxIdleConns < tc.want {
			t.Errorf("NewHTTPClient(%d) transport = %T %+v, want %d idle per host", tc.conns, tr, tr, tc.want)
		}
	}
}

// testPKI is a CA and a client certificate it signed, in memory and as
// PEM files.
type testPKI struct {
	pool              *x509.CertPool
	cert              tls.Certificate
	certFile, keyFile string
	expiredCertFile   string
	expiredKeyFile    string
}

// newTestPKI makes a CA and two client certificates (CN settle-client):
// one valid now, one that expired yesterday.
func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	ca := testcert.NewCA(t, "test CA")
	now := time.Now()
	dir := t.TempDir()
	p := &testPKI{pool: ca.Pool()}
	p.certFile, p.keyFile = testcert.WriteFiles(t, dir, "client", ca.Client(t, "settle-client", now.Add(-time.Hour), now.Add(time.Hour)))
	p.expiredCertFile, p.expiredKeyFile = testcert.WriteFiles(t, dir, "expired",
		ca.Client(t, "settle-client", now.Add(-48*time.Hour), now.Add(-24*time.Hour)))
	var err error
	if p.cert, err = mangopay.LoadClientCertificate(p.certFile, p.keyFile); err != nil {
		t.Fatalf("LoadClientCertificate() error = %v", err)
	}
	return p
}

// TestMTLSOnEveryCall serves the API over TLS that requires and verifies
// a client certificate from the test CA: with the certificate, the OAuth
// token request and the resource calls all present it; without it, the
// very first call (the token request) fails and nothing reaches the API.
func TestMTLSOnEveryCall(t *testing.T) {
	pki := newTestPKI(t)
	var mu sync.Mutex
	var seen []string // path of each request, with the verified client CN
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cn := ""
		if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 {
			cn = r.TLS.VerifiedChains[0][0].Subject.CommonName
		}
		mu.Lock()
		seen = append(seen, r.URL.Path+" "+cn)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/oauth/token") {
			w.Write([]byte(`{"access_token":"tok","token_type":"Bearer","expires_in":3600}`))
			return
		}
		w.Write([]byte(`{"Id":"w1","Currency":"EUR"}`))
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pki.pool}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	newClient := func(cert *tls.Certificate) *mangopay.Client {
		c, err := mangopay.NewClient(mangopay.Config{ClientID: "cid", APIKey: "key", BaseURL: srv.URL,
			HTTPClient: srv.Client(), ClientCertificate: cert, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	c := newClient(&pki.cert)
	for _, id := range []string{"w1", "w2"} {
		if _, err := c.Wallets.Get(ctx, id); err != nil {
			t.Fatalf("Get(%s) with the certificate: %v", id, err)
		}
	}
	want := []string{"/v2.01/oauth/token settle-client", "/v2.01/cid/wallets/w1 settle-client", "/v2.01/cid/wallets/w2 settle-client"}
	if !slices.Equal(seen, want) {
		t.Errorf("requests = %q, want %q", seen, want)
	}

	seen = nil
	_, err := newClient(nil).Wallets.Get(ctx, "w1")
	if err == nil || !strings.Contains(err.Error(), "/oauth/token") {
		t.Errorf("Get() without a certificate = %v, want the token request to fail", err)
	}
	if len(seen) != 0 {
		t.Errorf("requests without a certificate = %q, want none", seen)
	}
}

func TestLoadClientCertificate(t *testing.T) {
	pki := newTestPKI(t)
	if _, err := mangopay.LoadClientCertificate(pki.expiredCertFile, pki.expiredKeyFile); err == nil || !strings.Contains(err.Error(), "not now") {
		t.Errorf("expired certificate: error = %v, want its validity named", err)
	}
	if _, err := mangopay.LoadClientCertificate(pki.certFile, pki.expiredKeyFile); err == nil {
		t.Errorf("certificate with another key: no error")
	}
	if _, err := mangopay.LoadClientCertificate(filepath.Join(t.TempDir(), "none.crt"), pki.keyFile); err == nil {
		t.Errorf("missing file: no error")
	}
}

// TestMTLSBaseURL: with a certificate, the default host is api-mtls.
func TestMTLSBaseURL(t *testing.T) {
	tests := []struct {
		env  mangopay.Env
		mtls bool
		want string
	}{
		{mangopay.EnvSandbox, false, "https://api.sandbox.mangopay.com"},
		{mangopay.EnvSandbox, true, "https://api-mtls.sandbox.mangopay.com"},
		{mangopay.EnvProduction, false, "https://api.mangopay.com"},
		{mangopay.EnvProduction, true, "https://api-mtls.mangopay.com"},
	}
	for _, tt := range tests {
		if got := mangopay.BaseURL(tt.env, tt.mtls); got != tt.want {
			t.Errorf("BaseURL(%v, %v) = %q, want %q", tt.env, tt.mtls, got, tt.want)
		}
	}
	pki := newTestPKI(t)
	c, err := mangopay.NewClient(mangopay.Config{ClientID: "cid", APIKey: "key", ClientCertificate: &pki.cert})
	if err != nil || !strings.Contains(c.String(), mangopay.SandboxMTLSURL) {
		t.Errorf("NewClient(certificate, no BaseURL) = %v, %v; want %s", c, err, mangopay.SandboxMTLSURL)
	}
	_, err = mangopay.NewClient(mangopay.Config{ClientID: "cid", APIKey: "key", ClientCertificate: &pki.cert,
		HTTPClient: &http.Client{Transport: roundTripFunc(http.DefaultTransport.RoundTrip)}})
	if err == nil {
		t.Errorf("NewClient(certificate, transport that is not an *http.Transport): no error")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
