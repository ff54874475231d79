package mangopay_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"settle/mangopay"
)

// benchWallet is the body both benchmarks fetch.
var benchWallet = []byte(`{"Description":"project","Owners":["user_m_01J82SPSKW53XZM936PDVN76W0"],"Id":"wlt_m_01J82SPSKW53XZM936PDVN76W1",` +
	`"Balance":{"Currency":"EUR","Amount":125000},"Currency":"EUR","FundsType":"DEFAULT","Tag":"settle:bench/wallet/w","CreationDate":1724921476}`)

// benchServer answers like MANGOPAY: a token endpoint, and a wallet with
// the four rate-limit windows on every answer (with huge limits).
func benchServer(b *testing.B) *httptest.Server {
	var made atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2.01/oauth/token" {
			w.Write([]byte(`{"access_token":"094696b3724d4aa5a182eac360dcd537","token_type":"bearer","expires_in":1200}`))
			return
		}
		n := made.Add(1)
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		for range 4 {
			h.Add("X-RateLimit", strconv.FormatInt(n, 10))
			h.Add("X-RateLimit-Remaining", strconv.FormatInt(1<<40-n, 10))
			h.Add("X-RateLimit-Reset", "4102444800")
		}
		w.Write(benchWallet)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkClientGet is one Wallets.Get through the client: token cache,
// governor, retry loop, logging check, JSON decoding.
func BenchmarkClientGet(b *testing.B) {
	srv := benchServer(b)
	c, err := mangopay.NewClient(mangopay.Config{ClientID: "cid", APIKey: "key", BaseURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		w, err := c.Wallets.Get(ctx, "wlt_m_01J82SPSKW53XZM936PDVN76W1")
		if err != nil || w.Balance.Amount != 125000 {
			b.Fatalf("Get() = %+v, %v", w, err)
		}
	}
}

// BenchmarkRawGet is the same call with net/http alone: build the
// request, send it, read and decode the body.
func BenchmarkRawGet(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{}
	url := srv.URL + "/v2.01/cid/wallets/wlt_m_01J82SPSKW53XZM936PDVN76W1"
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "bearer 094696b3724d4aa5a182eac360dcd537")
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		var w mangopay.Wallet
		if err != nil || json.Unmarshal(body, &w) != nil || w.Balance.Amount != 125000 {
			b.Fatalf("raw get: %v", err)
		}
	}
}
