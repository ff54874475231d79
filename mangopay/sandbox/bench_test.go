package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// benchLimits keeps the rate limiter in the path without ever refusing.
var benchLimits = []RateWindow{{Period: time.Hour, Limit: 1 << 30}}

// benchClient is a keep-alive client sized for parallel benchmarks.
func benchClient(h *sbx) *http.Client {
	tr := h.ts.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 256, 256
	return &http.Client{Transport: tr}
}

// runParallel sends req() from parallel goroutines and reports req/s.
func runParallel(b *testing.B, h *sbx, want int, req func(i int64) *http.Request) {
	client := benchClient(h)
	var n atomic.Int64
	b.SetParallelism(8)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Do(req(n.Add(1)))
			if err != nil {
				b.Error(err)
				return
			}
			var buf [4096]byte
			for {
				if _, err := resp.Body.Read(buf[:]); err != nil {
					break
				}
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				b.Errorf("status = %d, want %d", resp.StatusCode, want)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkServeSimple measures GETs of a user wallet on loopback
// (httptest server, keep-alive, parallel clients): the full pipeline with
// auth, rate limiting, routing, the handler under the lock and JSON writing.
func BenchmarkServeSimple(b *testing.B) {
	h := newSbx(b, Options{RateLimits: benchLimits})
	wallet := h.wallet(h.natural("PAYER"), "EUR")
	url := h.ts.URL + "/v2.01/sandbox/wallets/" + wallet
	auth := "Bearer " + h.token()
	runParallel(b, h, 200, func(int64) *http.Request {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", auth)
		return req
	})
}

// BenchmarkTransferPersisted measures POST /transfers with StateDir set:
// every request writes its changes to the log and waits for an fsync
// (shared between concurrent requests).
func BenchmarkTransferPersisted(b *testing.B) {
	h := newSbx(b, Options{RateLimits: benchLimits, StateDir: b.TempDir()})
	f := h.fund()
	url := h.ts.URL + "/v2.01/sandbox/transfers"
	auth := "Bearer " + h.token()
	body := fmt.Sprintf(`{"AuthorId":%q,"DebitedWalletId":%q,"CreditedWalletId":%q,"DebitedFunds":{"Currency":"EUR","Amount":1},"Fees":{"Currency":"EUR","Amount":0}}`,
		f.payer, f.wc, f.wp)
	runParallel(b, h, 200, func(i int64) *http.Request {
		req, _ := http.NewRequest("POST", url, strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-transfer-%020d", i))
		return req
	})
	b.StopTimer()
	if err := h.s.CheckLedger(); err != nil {
		b.Errorf("CheckLedger() = %v", err)
	}
}
