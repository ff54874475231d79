package campaignimport_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"settle/internal/campaignimport"
	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// seededCampaign is a sandbox holding a campaign of n contributions, each
// from its own payer: a card pay-in into the payer's wallet, then a
// transfer of it into the project wallet.
type seededCampaign struct {
	srv    *httptest.Server
	sb     *sandbox.Server
	wallet string
}

// seedCampaign seeds the campaign (no rate limits: the benchmark measures
// import, not MANGOPAY's windows).
func seedCampaign(tb testing.TB, n int) *seededCampaign {
	tb.Helper()
	sb, err := sandbox.New(sandbox.Options{RateLimits: []sandbox.RateWindow{}})
	if err != nil {
		tb.Fatal(err)
	}
	const owner, project = "user_m_OWNER", "wlt_m_PROJECT"
	doc := &sandbox.SeedDoc{Currency: "EUR",
		Users: map[string]sandbox.SeedUser{owner: {Type: "natural", Category: "owner", FirstName: "Olga", LastName: "Owner",
			Email: "olga.accept@example.org", Birthday: "1980-01-01", Nationality: "FR", CountryOfResidence: "FR",
			Address: &sandbox.SeedAddress{Line1: "1 rue de la Paix", City: "Paris", PostalCode: "75002", Country: "FR"}}},
		Wallets:      map[string]sandbox.SeedWallet{project: {Owner: owner, Description: "Big campaign"}},
		BankAccounts: map[string]sandbox.SeedBankAccount{"ba_m_OWNER": {Owner: owner, IBAN: "FR7630004000031234567890143", BIC: "BNPAFRPP"}},
		PayIns:       map[string]sandbox.SeedPayIn{},
		Transfers:    map[string]sandbox.SeedTransfer{},
	}
	for i := range n {
		u, w := fmt.Sprintf("user_m_P%05d", i), fmt.Sprintf("wlt_m_P%05d", i)
		amount := int64(1000 + i%50*100)
		doc.Users[u] = sandbox.SeedUser{Type: "natural", Category: "payer", FirstName: "Payer", LastName: fmt.Sprint(i),
			Email: fmt.Sprintf("payer%d@example.org", i)}
		doc.Wallets[w] = sandbox.SeedWallet{Owner: u}
		doc.PayIns[fmt.Sprintf("payin_m_P%05d", i)] = sandbox.SeedPayIn{Wallet: w, CardNumber: "4970107111111119", Amount: amount}
		doc.Transfers[fmt.Sprintf("xfer_m_P%05d", i)] = sandbox.SeedTransfer{From: w, To: project, Amount: amount}
	}
	if _, err := sb.Seed(context.Background(), doc); err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	return &seededCampaign{srv: srv, sb: sb, wallet: project}
}

func (s *seededCampaign) client(tb testing.TB) *mangopay.Client {
	c, err := mangopay.NewClient(mangopay.Config{ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey, BaseURL: s.srv.URL})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

var (
	bigOnce     sync.Once
	bigCampaign *seededCampaign
)

// BenchmarkImport10000 imports a campaign of 10,000 contributions from
// 10,000 payers, as failed (pay-ins read to know they are card pay-ins)
// and as succeeded, and reports the API calls each import makes (counted
// by the sandbox) beside the list pages among them.
func BenchmarkImport10000(b *testing.B) {
	bigOnce.Do(func() { bigCampaign = seedCampaign(b, 10_000) })
	s := bigCampaign
	for _, outcome := range []string{"succeeded", "failed"} {
		b.Run(outcome, func(b *testing.B) {
			c := s.client(b)
			var calls, gets int64
			for b.Loop() {
				before := s.sb.Stats()
				src, err := campaignimport.Read(context.Background(), c, campaignimport.ReadOptions{WalletID: s.wallet,
					PlanName: "big", Campaign: "big", CardCheck: outcome == "failed"})
				if err != nil {
					b.Fatal(err)
				}
				imp, err := src.Plan(outcome)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := imp.YAML(); err != nil {
					b.Fatal(err)
				}
				after := s.sb.Stats()
				calls = after.Requests - before.Requests - (after.ByRoute["POST /oauth/token"] - before.ByRoute["POST /oauth/token"])
				gets = after.ByRoute["GET /payins/{id}"] - before.ByRoute["GET /payins/{id}"]
				if len(src.Contributions) != 10_000 || int64(src.Calls) != calls {
					b.Fatalf("contributions %d, calls counted %d, sandbox saw %d", len(src.Contributions), src.Calls, calls)
				}
			}
			b.ReportMetric(float64(calls), "calls/op")
			b.ReportMetric(float64(calls-gets), "pages/op")
		})
	}
}

// BenchmarkImportLatency imports a campaign of 1,000 contributions from a
// sandbox that answers every call after 20 ms, as a remote API does: the
// per-wallet reads, Parallelism at a time, keep the import far below
// calls × latency.
func BenchmarkImportLatency(b *testing.B) {
	s := seedCampaign(b, 1000)
	defer s.srv.Close()
	req := httptest.NewRequest("PUT", "/sandbox/faults", strings.NewReader(`{"Latency":"20ms"}`))
	rec := httptest.NewRecorder()
	s.sb.ServeHTTP(rec, req)
	if rec.Code != 200 && rec.Code != 204 {
		b.Fatalf("PUT /sandbox/faults: %d %s", rec.Code, rec.Body)
	}
	c := s.client(b)
	var calls int
	for b.Loop() {
		src, err := campaignimport.Read(context.Background(), c, campaignimport.ReadOptions{WalletID: s.wallet,
			PlanName: "big", Campaign: "big"})
		if err != nil {
			b.Fatal(err)
		}
		calls = src.Calls
	}
	b.ReportMetric(float64(calls), "calls/op")
	b.ReportMetric(float64(calls)*0.020/b.Elapsed().Seconds()*float64(b.N), "speedup")
}
