package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"settle/internal/testcert"
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
	ca := testcert.NewCA(t, "settle test CA")
	now := time.Now()
	caFile, _ := testcert.WriteFiles(t, dir, "ca", ca.Cert)
	serverCert, serverKey := testcert.WriteFiles(t, dir, "server", ca.Server(t, "127.0.0.1"))
	clientCert, clientKey := testcert.WriteFiles(t, dir, "client", ca.Client(t, "client", now.Add(-time.Hour), now.Add(time.Hour)))
	stranger := testcert.NewCA(t, "another CA").Client(t, "stranger", now.Add(-time.Hour), now.Add(time.Hour))

	bin := sbxBuildSettle(t)
	url, stop := sbxStart(t, bin, "--addr", "127.0.0.1:0", "--tls-cert", serverCert, "--tls-key", serverKey, "--client-ca", caFile)
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("listening URL %s, want https", url)
	}
	roots := ca.Pool()
	httpClient := func(cert *tls.Certificate) *http.Client {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}
		if cert != nil {
			tr.TLSClientConfig.Certificates = []tls.Certificate{*cert}
		}
		return &http.Client{Transport: tr, Timeout: 10 * time.Second}
	}

	cert, err := mangopay.LoadClientCertificate(clientCert, clientKey)
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
		Birthday: mangopay.Int64(652117514), Nationality: "DE", CountryOfResidence: "DE"})
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
