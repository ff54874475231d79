package mangopay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// This file is the harness of package mangopay_test: an embedded sandbox
// served on loopback (with its admin API and fault injection), a client
// for it, and a funded flow to run calls against.

// embedded is a running embedded sandbox.
type embedded struct {
	sb  *sandbox.Server
	srv *httptest.Server
}

// admin calls the sandbox's admin API.
func (e *embedded) admin(ctx context.Context, method, path string, body string) error {
	req, err := http.NewRequestWithContext(ctx, method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return nil
}

// newEmbedded starts an embedded sandbox on loopback and returns a client
// for it with short backoffs.
func newEmbedded(t testing.TB, opts sandbox.Options, mod ...func(*mangopay.Config)) (*mangopay.Client, conformanceEnv, *embedded) {
	t.Helper()
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatalf("sandbox.New() error = %v", err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(func() {
		srv.Close()
		sb.Close()
	})
	cfg := mangopay.Config{ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey, BaseURL: srv.URL,
		MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := mangopay.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient() error = %v", err)
	}
	cfg.SCAUserRoutes = true
	sca, err := mangopay.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient(SCA) error = %v", err)
	}
	e := &embedded{sb: sb, srv: srv}
	env := conformanceEnv{
		SCA:        sca,
		Wait:       10 * time.Second,
		Recipients: true,
		ValidateKYC: func(ctx context.Context, id string) error {
			return e.admin(ctx, http.MethodPost, "/sandbox/kyc/"+id+"/validate", "")
		},
		ProcessPayouts: func(ctx context.Context) error {
			return e.admin(ctx, http.MethodPost, "/sandbox/payouts/process", "")
		},
	}
	return c, env, e
}

// syncBuffer is a concurrency-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// flow is a funded contributor and a project, made without faults.
type flow struct {
	payer, owner, payerWallet, ownerWallet string
}

// newFlow creates a PAYER with a wallet funded by a 100000 card pay-in and
// an OWNER with an empty project wallet.
func newFlow(t *testing.T, c *mangopay.Client) flow {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	payer, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: mangopay.CategoryPayer,
		FirstName: "A", LastName: "B", Email: "a@example.org"})
	must(err)
	bday := int64(400000000)
	owner, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: mangopay.CategoryOwner,
		TermsAndConditionsAccepted: true, FirstName: "C", LastName: "D", Email: "c@example.org",
		Birthday: &bday, Nationality: "FR", CountryOfResidence: "FR"})
	must(err)
	pw, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Owners: []string{payer.Id}, Description: "p", Currency: "EUR"})
	must(err)
	ow, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Owners: []string{owner.Id}, Description: "o", Currency: "EUR"})
	must(err)
	reg, err := c.CardRegistrations.Create(ctx, &mangopay.CardRegistrationCreateParams{UserId: payer.Id, Currency: "EUR"})
	must(err)
	data, err := c.CardRegistrations.Tokenize(ctx, reg, "4970107111111119", expiry(), "123")
	must(err)
	reg, err = c.CardRegistrations.Update(ctx, reg.Id, &mangopay.CardRegistrationUpdateParams{RegistrationData: data})
	must(err)
	p, err := c.PayIns.CreateCardDirect(ctx, &mangopay.PayInCardDirectCreateParams{AuthorId: payer.Id,
		CreditedWalletId: pw.Id, DebitedFunds: eur(100000), Fees: eur(0), CardId: string(reg.CardId),
		SecureModeReturnURL: "https://example.org/r", IpAddress: "127.0.0.1",
		BrowserInfo: &mangopay.BrowserInfo{AcceptHeader: "text/html", Language: "fr-FR", ColorDepth: 24,
			ScreenHeight: 800, ScreenWidth: 600, UserAgent: "UA", JavascriptEnabled: true}})
	must(err)
	if p.Status != mangopay.StatusSucceeded {
		t.Fatalf("pay-in = %+v", p)
	}
	return flow{payer: payer.Id, owner: owner.Id, payerWallet: pw.Id, ownerWallet: ow.Id}
}

// setFaults replaces the embedded sandbox's faults through its admin API.
func (e *embedded) setFaults(t *testing.T, doc map[string]any) {
	t.Helper()
	b, _ := json.Marshal(doc)
	if err := e.admin(context.Background(), http.MethodPut, "/sandbox/faults", string(b)); err != nil {
		t.Fatalf("setting faults: %v", err)
	}
}

// checkLedger asks the sandbox whether its balances add up.
func (e *embedded) checkLedger(t *testing.T) {
	t.Helper()
	if err := e.admin(context.Background(), http.MethodGet, "/sandbox/ledger", ""); err != nil {
		t.Errorf("ledger: %v", err)
	}
}
