package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"settle/mangopay"
)

// TestSandboxServeMTLS starts `settle sandbox serve` with --tls-cert,
// --tls-key and --client-ca, as MANGOPAY's api-mtls hosts work, and drives
// settle's client with a client certificate (mangopay.Config.ClientCertificate)
// against it: OAuth token, users, wallets, a Recipient. The server refuses
// any TLS connection without a certificate signed by the client CA, so
// every call that succeeds presented it; calls without a certificate, or
// with one from another CA, fail at the handshake, OAuth included.
func TestSandboxServeMTLS(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := newTestCA(t, "settle test CA")
	otherCA, otherKey := newTestCA(t, "another CA")
	writeCert(t, dir, "ca", ca, nil)
	for name, by := range map[string]struct {
		ca     *tls.Certificate
		key    *ecdsa.PrivateKey
		client bool
	}{"server": {ca, caKey, false}, "client": {ca, caKey, true}, "stranger": {otherCA, otherKey, true}} {
		cn := name
		if name == "server" {
			cn = "127.0.0.1"
		}
		cert, key := issue(t, by.ca, by.key, cn, by.client)
		writeCert(t, dir, name, cert, key)
	}

	bin := sbxBuildSettle(t)
	url, stop := sbxStart(t, bin, "--addr", "127.0.0.1:0", "--tls-cert", filepath.Join(dir, "server.pem"),
		"--tls-key", filepath.Join(dir, "server.key"), "--client-ca", filepath.Join(dir, "ca.pem"))
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("listening URL %s, want https", url)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Leaf)
	httpClient := func(cert *tls.Certificate) *http.Client {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}
		if cert != nil {
			tr.TLSClientConfig.Certificates = []tls.Certificate{*cert}
		}
		return &http.Client{Transport: tr, Timeout: 10 * time.Second}
	}

	cert, err := mangopay.LoadClientCertificate(filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := mangopay.NewClient(mangopay.Config{ClientID: "sandbox", APIKey: "sandbox-api-key", BaseURL: url,
		ClientCertificate: &cert, HTTPClient: httpClient(nil)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	owner, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: mangopay.CategoryOwner,
		TermsAndConditionsAccepted: true, FirstName: "John", LastName: "Doe", Email: "john.doe+accept@example.org",
		Birthday: ptrInt64(652117514), Nationality: "DE", CountryOfResidence: "DE"})
	if err != nil {
		t.Fatalf("CreateNatural over mTLS: %v", err)
	}
	if _, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Owners: []string{owner.Id}, Description: "project", Currency: "EUR"}); err != nil {
		t.Fatalf("Wallets.Create over mTLS: %v", err)
	}
	rec, err := c.Recipients.Create(ctx, owner.Id, &mangopay.RecipientCreateParams{DisplayName: "John Doe EUR DE account",
		PayoutMethodType: mangopay.PayoutLocalBankTransfer, RecipientType: mangopay.RecipientIndividual, Currency: "EUR", Country: "DE",
		IndividualRecipient: &mangopay.IndividualRecipient{FirstName: "John", LastName: "Doe", Address: &mangopay.AddressParams{
			AddressLine1: "Oranienburger Str. 87", City: "Berlin", PostalCode: "10178", Country: "DE"}},
		LocalBankTransfer: mangopay.LocalBankTransfer{"EUR": {IBAN: "DE75512108001245126199"}}})
	if err != nil || rec.Status != mangopay.RecipientPending {
		t.Fatalf("Recipients.Create over mTLS = %+v, %v", rec, err)
	}

	// The server saw the OAuth call and the resource calls, all over mTLS.
	resp, err := httpClient(&cert).Get(url + "/sandbox/stats")
	if err != nil {
		t.Fatal(err)
	}
	var stats struct{ ByRoute map[string]int64 }
	err = json.NewDecoder(resp.Body).Decode(&stats)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, route := range []string{"POST /oauth/token", "POST /users/natural", "POST /wallets", "POST /users/{userid}/recipients"} {
		if stats.ByRoute[route] != 1 {
			t.Errorf("stats[%q] = %d, want 1 (all: %v)", route, stats.ByRoute[route], stats.ByRoute)
		}
	}

	// Without a certificate, or with a stranger's, nothing gets through:
	// not the OAuth token request, not a resource call.
	stranger, err := tls.LoadX509KeyPair(filepath.Join(dir, "stranger.pem"), filepath.Join(dir, "stranger.key"))
	if err != nil {
		t.Fatal(err)
	}
	for name, hc := range map[string]*http.Client{"no certificate": httpClient(nil), "another CA": httpClient(&stranger)} {
		for _, path := range []string{"/v2.01/oauth/token", "/v2.01/sandbox/users"} {
			req, _ := http.NewRequest(http.MethodPost, url+path, strings.NewReader("grant_type=client_credentials"))
			req.SetBasicAuth("sandbox", "sandbox-api-key")
			if resp, err := hc.Do(req); err == nil {
				resp.Body.Close()
				t.Errorf("%s: POST %s = %d, want a TLS handshake failure", name, path, resp.StatusCode)
			}
		}
		plain, err := mangopay.NewClient(mangopay.Config{ClientID: "sandbox", APIKey: "sandbox-api-key", BaseURL: url, HTTPClient: hc,
			MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := plain.Users.Get(ctx, owner.Id); err == nil {
			t.Errorf("%s: settle's client got through", name)
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("settle sandbox serve exit code after SIGINT = %d, want 0", code)
	}
}

// newTestCA makes a self-signed CA certificate and its key.
func newTestCA(t *testing.T, name string) (*tls.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, key
}

// issue makes a certificate signed by ca: a server certificate for the IP
// name, or a client certificate.
func issue(t *testing.T, ca *tls.Certificate, caKey *ecdsa.PrivateKey, name string, client bool) (*tls.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if client {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	} else {
		tmpl.IPAddresses = []net.IP{net.ParseIP(name)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Leaf, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, key
}

// writeCert writes name.pem (and name.key when key is given).
func writeCert(t *testing.T, dir, name string, cert *tls.Certificate, key *ecdsa.PrivateKey) {
	t.Helper()
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
	if err := os.WriteFile(filepath.Join(dir, name+".pem"), pemCert, 0o600); err != nil {
		t.Fatal(err)
	}
	if key == nil {
		return
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func ptrInt64(v int64) *int64 { return &v }
