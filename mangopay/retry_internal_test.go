package mangopay

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestShouldRetry(t *testing.T) {
	mk := func(method, key string) *http.Request {
		r, _ := http.NewRequest(method, "http://127.0.0.1/x", nil)
		if key != "" {
			r.Header.Set("Idempotency-Key", key)
		}
		return r
	}
	resp := func(code int) *response { return &response{http: &http.Response{StatusCode: code}} }
	apiErr := func(code int, typ string) *response {
		return &response{http: &http.Response{StatusCode: code}, body: []byte(`{"Type":"` + typ + `","Message":"m"}`)}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	transport := errors.New("connection reset")
	token := func() *http.Request { return mk("POST", "") }
	lookup := func() *http.Request { return mk("GET", "") }
	notStored := func() *response { return apiErr(400, TypeCorrelationIDNotFound) }
	tests := []struct {
		name string
		a    attempt
		want bool
	}{
		{"GET transport error", attempt{req: mk("GET", ""), err: transport}, true},
		{"GET 500", attempt{req: mk("GET", ""), res: resp(500)}, true},
		{"GET 503", attempt{req: mk("GET", ""), res: resp(503)}, true},
		{"GET 429", attempt{req: mk("GET", ""), res: resp(429)}, true},
		{"GET 404", attempt{req: mk("GET", ""), res: resp(404)}, false},
		{"GET 200", attempt{req: mk("GET", ""), res: resp(200)}, false},
		{"POST with key transport error", attempt{req: mk("POST", "k"), err: transport}, true},
		{"POST with key 502", attempt{req: mk("POST", "k"), res: resp(502)}, true},
		{"POST without key transport error", attempt{req: mk("POST", ""), err: transport}, false},
		{"POST without key 500", attempt{req: mk("POST", ""), res: resp(500)}, false},
		{"POST without key 429", attempt{req: mk("POST", ""), res: resp(429)}, true},
		{"POST 400", attempt{req: mk("POST", "k"), res: resp(400)}, false},
		{"POST 409", attempt{req: mk("POST", "k"), res: resp(409)}, false},
		{"PUT 500", attempt{req: mk("PUT", ""), res: resp(500)}, false},
		{"PUT 429", attempt{req: mk("PUT", ""), res: resp(429)}, true},
		{"PUT transport error", attempt{req: mk("PUT", ""), err: transport}, false},
		{"PUT 409", attempt{req: mk("PUT", ""), res: resp(409)}, false},
		{"idempotent PUT 500", attempt{req: mk("PUT", ""), res: resp(500), put: idempotentPut}, true},
		{"idempotent PUT transport error", attempt{req: mk("PUT", ""), err: transport, put: idempotentPut}, true},
		{"idempotent PUT 409", attempt{req: mk("PUT", ""), res: resp(409), put: idempotentPut}, true},
		{"idempotent PUT 400", attempt{req: mk("PUT", ""), res: resp(400), put: idempotentPut}, false},
		{"read-back PUT 503", attempt{req: mk("PUT", ""), res: resp(503), put: readBack[KYCDocument]("/kyc/documents/d", nil)}, true},
		{"read-back PUT 404", attempt{req: mk("PUT", ""), res: resp(404), put: readBack[KYCDocument]("/kyc/documents/d", nil)}, false},
		{"context cancelled", attempt{req: mk("GET", "").WithContext(cancelled), err: context.Canceled}, false},
		{"no request", attempt{err: transport}, false},
		{"GET 500 retries spent", attempt{req: mk("GET", ""), res: resp(500), retries: 4}, false},
		{"GET 429 after the ordinary budget is spent", attempt{req: mk("GET", ""), res: resp(429), retries: 4}, true},
		{"GET 429 budget spent", attempt{req: mk("GET", ""), res: resp(429), limited: 10}, false},

		// The token request: no side effect, so retried like a GET though it
		// is a POST without a key; 429s in the ordinary budget.
		{"token 500", attempt{class: tokenCall, req: token(), res: resp(500)}, true},
		{"token 503", attempt{class: tokenCall, req: token(), res: resp(503)}, true},
		{"token 429", attempt{class: tokenCall, req: token(), res: resp(429)}, true},
		{"token transport error", attempt{class: tokenCall, req: token(), err: transport}, true},
		{"token 401", attempt{class: tokenCall, req: token(), res: apiErr(401, "invalid_client")}, false},
		{"token 400", attempt{class: tokenCall, req: token(), res: apiErr(400, "invalid_client")}, false},
		{"token 500 retries spent", attempt{class: tokenCall, req: token(), res: resp(500), retries: 4}, false},
		{"token 429 retries spent", attempt{class: tokenCall, req: token(), res: resp(429), retries: 4}, false},
		{"token context cancelled", attempt{class: tokenCall, req: token().WithContext(cancelled), err: context.Canceled}, false},

		// The lookup of a 409's stored answer: not stored yet is retried.
		{"lookup correlationid_not_found", attempt{class: conflictLookup, req: lookup(), res: notStored()}, true},
		{"lookup correlationid_not_found, budget left", attempt{class: conflictLookup, req: lookup(), res: notStored(), retries: 3}, true},
		{"lookup correlationid_not_found, budget spent", attempt{class: conflictLookup, req: lookup(), res: notStored(), retries: 4}, false},
		{"lookup other 400", attempt{class: conflictLookup, req: lookup(), res: apiErr(400, "param_error")}, false},
		{"lookup 404", attempt{class: conflictLookup, req: lookup(), res: apiErr(404, TypeCorrelationIDNotFound)}, false},
		{"lookup 502", attempt{class: conflictLookup, req: lookup(), res: resp(502)}, true},
		{"lookup context cancelled", attempt{class: conflictLookup, req: lookup().WithContext(cancelled), res: notStored()}, false},
		{"caller's own lookup correlationid_not_found", attempt{req: lookup(), res: notStored()}, false},
	}
	p := newRetryPolicy(Config{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := p.shouldRetry(tt.a)
			if d.retry != tt.want {
				t.Errorf("shouldRetry() = %v (%s), want %v", d.retry, d.reason, tt.want)
			}
			if d.retry && d.reason == "" {
				t.Errorf("shouldRetry() gave no reason")
			}
			if !d.retry && d.wait != 0 {
				t.Errorf("shouldRetry() = no retry with a wait of %v", d.wait)
			}
		})
	}
}

// TestShouldRetryWait: the wait is the backoff of the retries made so far
// (both budgets), except after a 429 that the governor waits out at the
// next acquire; the token request, which the governor does not pace,
// always backs off and counts its 429s in the ordinary budget.
func TestShouldRetryWait(t *testing.T) {
	get, _ := http.NewRequest("GET", "http://127.0.0.1/x", nil)
	post, _ := http.NewRequest("POST", "http://127.0.0.1/v2.01/oauth/token", nil)
	resp := func(code int) *response { return &response{http: &http.Response{StatusCode: code}} }
	notStored := &response{http: &http.Response{StatusCode: 400}, body: []byte(`{"Type":"correlationid_not_found"}`)}
	const step = 100 * time.Millisecond
	tests := []struct {
		name        string
		a           attempt
		backoffN    int // the wait is backoff(backoffN); -1: no wait
		rateLimited bool
	}{
		{"first 5xx", attempt{req: get, res: resp(503)}, 0, false},
		{"third 5xx", attempt{req: get, res: resp(503), retries: 2}, 2, false},
		{"5xx after 429s", attempt{req: get, res: resp(503), retries: 1, limited: 2}, 3, false},
		{"429, governor waits", attempt{req: get, res: resp(429), govWaits: true}, -1, true},
		{"429, no usable headers", attempt{req: get, res: resp(429), retries: 1}, 1, true},
		{"token 429, window exhausted", attempt{class: tokenCall, req: post, res: resp(429), govWaits: true}, 0, false},
		{"token transport error", attempt{class: tokenCall, req: post, err: errors.New("reset"), retries: 1}, 1, false},
		{"correlationid_not_found", attempt{class: conflictLookup, req: get, res: notStored, retries: 2}, 2, false},
	}
	p := newRetryPolicy(Config{MinBackoff: step, MaxBackoff: time.Hour})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := p.shouldRetry(tt.a)
			if !d.retry || d.rateLimited != tt.rateLimited {
				t.Fatalf("shouldRetry() = %+v, want a retry with rateLimited %v", d, tt.rateLimited)
			}
			if tt.backoffN < 0 {
				if d.wait != 0 {
					t.Errorf("wait = %v, want none (the governor waits)", d.wait)
				}
				return
			}
			full := step << tt.backoffN
			if d.wait < full/2 || d.wait > full {
				t.Errorf("wait = %v, want backoff(%d) in [%v, %v]", d.wait, tt.backoffN, full/2, full)
			}
		})
	}
}

func TestBackoffBounds(t *testing.T) {
	p := newRetryPolicy(Config{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	for n := range 40 {
		want := min(100*time.Millisecond<<min(n, 20), time.Second)
		for range 20 {
			if d := p.backoff(n); d < want/2 || d > want {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, d, want/2, want)
			}
		}
	}
	if p.max != 4 {
		t.Errorf("default max retries = %d, want 4", p.max)
	}
	if q := newRetryPolicy(Config{MaxRetries: -1}); q.max != 0 || q.rateLimitMax != 0 {
		t.Errorf("MaxRetries -1: max = %d, 429 max = %d; want 0 and 0", q.max, q.rateLimitMax)
	}
}

func TestValidIdempotencyKey(t *testing.T) {
	tests := map[string]bool{
		"":                                      false,
		"short":                                 false,
		"abcdefghijklmno":                       false, // 15
		"abcdefghijklmnop":                      true,  // 16
		"123e4567-e89b-12d3-a456-426614174000":  true,  // 36
		"123e4567-e89b-12d3-a456-4266141740001": false, // 37
		"abcdefghijklmnop_":                     false,
		"abcdefghijklmnop é":                    false,
		"settle-plan-0123456789ABCDEF":          true,
	}
	for k, want := range tests {
		if got := ValidIdempotencyKey(k); got != want {
			t.Errorf("ValidIdempotencyKey(%q) = %v, want %v", k, got, want)
		}
	}
}

func TestRetryServerErrorsThenSuccess(t *testing.T) {
	var calls atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			writeJSON(w, 503, map[string]any{"Type": "other", "Message": "busy"})
			return
		}
		writeJSON(w, 200, Wallet{Id: "w1", Currency: "EUR"})
	}))
	w, err := c.Wallets.Get(context.Background(), "w1")
	if err != nil {
		t.Fatalf("Get() error = %v", err)
	}
	if w.Id != "w1" || calls.Load() != 3 {
		t.Errorf("Get() = %+v after %d calls, want w1 after 3", w, calls.Load())
	}
}

func TestRetryGivesUpAfterMax(t *testing.T) {
	var calls atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 500, map[string]any{"Type": "other", "Message": "Internal Server Error"})
	}), func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.Wallets.Get(context.Background(), "w1")
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 500 {
		t.Fatalf("Get() error = %v, want a 500 *Error", err)
	}
	if calls.Load() != 3 {
		t.Errorf("calls = %d, want 3 (1 + 2 retries)", calls.Load())
	}
}

func TestPostWithoutKeyNotRetried(t *testing.T) {
	var calls atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 500, map[string]any{"Type": "other"})
	}))
	_, err := c.Transfers.Create(context.Background(), &TransferCreateParams{AuthorId: "u"})
	if err == nil || calls.Load() != 1 {
		t.Errorf("Create() error = %v after %d calls, want an error after 1", err, calls.Load())
	}
}

func TestInvalidIdempotencyKeyRefused(t *testing.T) {
	var calls atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	_, err := c.Transfers.Create(context.Background(), &TransferCreateParams{Params: Params{IdempotencyKey: "bad key"}})
	if err == nil || !strings.Contains(err.Error(), "Idempotency-Key") || calls.Load() != 0 {
		t.Errorf("Create() error = %v, calls %d; want a key error and no call", err, calls.Load())
	}
}

// conflictServer answers POST /transfers 409 (or runs first, once) and
// serves the stored answer at GET /responses/{key}.
func conflictServer(t *testing.T, stored IdempotencyResponse, first http.HandlerFunc) (http.Handler, *atomic.Int32) {
	var posts atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2.01/cid/transfers", func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		if r.Header.Get("Idempotency-Key") != "transfer-key-0001" {
			t.Errorf("Idempotency-Key = %q", r.Header.Get("Idempotency-Key"))
		}
		if posts.Add(1) == 1 && first != nil {
			first(w, r)
			return
		}
		writeJSON(w, 409, map[string]any{"Type": TypeIdempotentCreationConflict,
			"Message": "A resource has already been created with this Idempotency Key", "errors": nil})
	})
	mux.HandleFunc("GET /v2.01/cid/responses/transfer-key-0001", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, stored)
	})
	return mux, &posts
}

func TestConflictOnFirstAttemptResolvedThroughResponses(t *testing.T) {
	stored := IdempotencyResponse{StatusCode: "200", ContentType: "application/json; charset=utf-8",
		Resource: []byte(`{"Id":"xfer_1","Status":"SUCCEEDED","DebitedFunds":{"Currency":"EUR","Amount":1000}}`)}
	h, posts := conflictServer(t, stored, nil)
	c, _ := newTestClient(t, h)
	tr, err := c.Transfers.Create(context.Background(), &TransferCreateParams{Params: Params{IdempotencyKey: "transfer-key-0001"}})
	if err != nil {
		t.Fatalf("Create() error = %v", err)
	}
	if tr.Id != "xfer_1" || tr.Status != StatusSucceeded || tr.DebitedFunds.Amount != 1000 || posts.Load() != 1 {
		t.Errorf("Create() = %+v after %d POSTs, want xfer_1 after 1", tr, posts.Load())
	}
}

func TestConflictStoredErrorIsReturned(t *testing.T) {
	stored := IdempotencyResponse{StatusCode: "400",
		Resource: []byte(`{"Type":"param_error","Message":"bad","Id":"e1","errors":{"AuthorId":"wrong"}}`)}
	h, _ := conflictServer(t, stored, nil)
	c, _ := newTestClient(t, h)
	_, err := c.Transfers.Create(context.Background(), &TransferCreateParams{Params: Params{IdempotencyKey: "transfer-key-0001"}})
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 400 || e.Errors["AuthorId"] != "wrong" || !errors.Is(err, ErrParam) {
		t.Errorf("Create() error = %v, want the stored 400 param_error", err)
	}
}

func TestDropAfterCommitResolvedThroughResponses(t *testing.T) {
	stored := IdempotencyResponse{StatusCode: "200", Resource: []byte(`{"Id":"xfer_2","Status":"SUCCEEDED"}`)}
	drop := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("Hijack() error = %v", err)
			return
		}
		conn.Close()
	}
	h, posts := conflictServer(t, stored, drop)
	c, _ := newTestClient(t, h)
	tr, err := c.Transfers.Create(context.Background(), &TransferCreateParams{Params: Params{IdempotencyKey: "transfer-key-0001"}})
	if err != nil {
		t.Fatalf("Create() error = %v", err)
	}
	if tr.Id != "xfer_2" || posts.Load() < 2 {
		t.Errorf("Create() = %+v after %d POSTs, want xfer_2 after at least 2", tr, posts.Load())
	}
}

func TestConflictUnresolvable(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2.01/cid/transfers", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 409, map[string]any{"Type": TypeIdempotentCreationConflict})
	})
	var gets atomic.Int32
	mux.HandleFunc("GET /v2.01/cid/responses/{key}", func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		writeJSON(w, 400, map[string]any{"Type": TypeCorrelationIDNotFound, "Message": "not found"})
	})
	c, _ := newTestClient(t, mux, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.Transfers.Create(context.Background(), &TransferCreateParams{Params: Params{IdempotencyKey: "transfer-key-0001"}})
	if !errors.Is(err, ErrIdempotencyConflict) || gets.Load() != 3 {
		t.Errorf("Create() error = %v after %d GETs, want an idempotency conflict after 3", err, gets.Load())
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("errors.As(*Error) failed for %v", err)
	}
}

// TestConflictLookupRetried: after a 409, GET /responses/{key} answered
// 400 correlationid_not_found (the first request is still being
// processed) is retried by the client's one loop, logged like any retry,
// until the stored answer is there; a caller's own Responses.Get of an
// unknown key is answered at once.
func TestConflictLookupRetried(t *testing.T) {
	var posts, gets atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2.01/cid/transfers", func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		writeJSON(w, 409, map[string]any{"Type": TypeIdempotentCreationConflict})
	})
	mux.HandleFunc("GET /v2.01/cid/responses/{key}", func(w http.ResponseWriter, r *http.Request) {
		if n := gets.Add(1); r.PathValue("key") != "transfer-key-0001" || n <= 2 {
			writeJSON(w, 400, map[string]any{"Type": TypeCorrelationIDNotFound, "Message": "not found"})
			return
		}
		writeJSON(w, 200, IdempotencyResponse{StatusCode: "200", Resource: []byte(`{"Id":"xfer_4","Status":"SUCCEEDED"}`)})
	})
	logs := &retryLog{}
	c, _ := newTestClient(t, mux, func(cfg *Config) { cfg.Logger = slog.New(logs) })
	ctx := context.Background()
	tr, err := c.Transfers.Create(ctx, &TransferCreateParams{Params: Params{IdempotencyKey: "transfer-key-0001"}})
	if err != nil || tr.Id != "xfer_4" || posts.Load() != 1 || gets.Load() != 3 {
		t.Fatalf("Create() = %+v, %v after %d POSTs and %d GETs; want xfer_4 after 1 and 3", tr, err, posts.Load(), gets.Load())
	}
	checkRetries(t, logs, 2, http.MethodGet, "/responses/transfer-key-0001", "correlationid_not_found")

	gets.Store(0)
	_, err = c.Responses.Get(ctx, "never-used-key-0001")
	var e *Error
	if !errors.As(err, &e) || e.Type != TypeCorrelationIDNotFound || gets.Load() != 1 {
		t.Errorf("Responses.Get(unknown) = %v after %d GETs, want correlationid_not_found after 1", err, gets.Load())
	}
	checkRetries(t, logs, 2, http.MethodGet, "/responses/transfer-key-0001", "correlationid_not_found")
}

// TestRetryWaitRacesContext: whichever call waits (a resource call after a
// 503, the token request after a 503, the lookup of a conflict's stored
// answer after correlationid_not_found), a context cancelled once the
// retry is decided ends the hour-long wait at once with the context's
// error, and nothing more is sent.
func TestRetryWaitRacesContext(t *testing.T) {
	tests := []struct {
		name string
		auth AuthMode
		call func(ctx context.Context, c *Client) error
		path string // of the route that is retried
	}{
		{"resource call", AuthBasic, func(ctx context.Context, c *Client) error {
			_, err := c.Wallets.Get(ctx, "w1")
			return err
		}, "/v2.01/cid/wallets/w1"},
		{"token request", AuthOAuth, func(ctx context.Context, c *Client) error {
			_, err := c.Wallets.Get(ctx, "w1")
			return err
		}, "/v2.01/oauth/token"},
		{"conflict lookup", AuthBasic, func(ctx context.Context, c *Client) error {
			_, err := c.Transfers.Create(ctx, &TransferCreateParams{Params: Params{IdempotencyKey: "transfer-key-0001"}})
			return err
		}, "/v2.01/cid/responses/transfer-key-0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen[r.URL.Path]++
				mu.Unlock()
				switch {
				case r.Method == http.MethodPost && r.URL.Path == "/v2.01/cid/transfers":
					writeJSON(w, 409, map[string]any{"Type": TypeIdempotentCreationConflict})
				case strings.Contains(r.URL.Path, "/responses/"):
					writeJSON(w, 400, map[string]any{"Type": TypeCorrelationIDNotFound})
				default:
					writeJSON(w, 503, map[string]any{"Type": "other"})
				}
			}))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			logs := &retryLog{onRetry: cancel}
			c.log, c.auth = slog.New(logs), tt.auth
			c.retry.min, c.retry.cap = time.Hour, time.Hour
			err := tt.call(ctx, c)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("call error = %v, want context.Canceled", err)
			}
			if n := len(logs.retries()); n != 1 {
				t.Errorf("retries = %d, want 1", n)
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[tt.path] != 1 {
				t.Errorf("requests = %v, want one to %s", seen, tt.path)
			}
		})
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel()
		writeJSON(w, 503, nil)
	}), func(cfg *Config) { cfg.MinBackoff, cfg.MaxBackoff = time.Hour, time.Hour })
	_, err := c.Wallets.Get(ctx, "w")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Get() error = %v, want context.Canceled", err)
	}
}

func TestFailedTransactionIsNotAnError(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"Id": "xfer_3", "Status": "FAILED", "ResultCode": "001001",
			"ResultMessage": "Unsufficient wallet balance"})
	}))
	tr, err := c.Transfers.Create(context.Background(), &TransferCreateParams{})
	if err != nil || tr.Status != StatusFailed || tr.ResultCode != "001001" {
		t.Fatalf("Create() = %+v, %v; want FAILED 001001 and no error", tr, err)
	}
	var te *TransactionError
	if err := tr.Err(); !errors.As(err, &te) || te.ResultCode != "001001" ||
		err.Error() != "mangopay:  xfer_3 FAILED: 001001 Unsufficient wallet balance" {
		t.Errorf("Err() = %v, want a TransactionError with 001001", err)
	}
	ok := Transaction{Status: StatusSucceeded}
	if ok.Err() != nil {
		t.Errorf("Err() of a SUCCEEDED transaction = %v, want nil", ok.Err())
	}
}

// kycAPI serves one KYC document: PUT submits it, GET reads it. fail
// decides each PUT's answer: "lost" submits and answers 502, "refused"
// answers 503 without submitting, "" submits (or answers 400 when the
// document was submitted already, as MANGOPAY does).
type kycAPI struct {
	mu     sync.Mutex
	status string
	puts   int
	fail   func(n int) string
}

func (a *kycAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	doc := KYCDocument{Id: "doc", Status: a.status}
	if r.Method == http.MethodGet {
		writeJSON(w, 200, doc)
		return
	}
	a.puts++
	switch a.fail(a.puts) {
	case "lost":
		a.status = KYCStatusValidationAsked
		writeJSON(w, 502, map[string]any{"Type": "other"})
	case "refused":
		writeJSON(w, 503, map[string]any{"Type": "other"})
	default:
		if a.status != KYCStatusCreated {
			writeJSON(w, 400, map[string]any{"Type": "param_error", "Message": "already submitted"})
			return
		}
		a.status = KYCStatusValidationAsked
		writeJSON(w, 200, KYCDocument{Id: "doc", Status: a.status})
	}
}

// TestPutReadBack: a KYC submit whose answer is lost is read back and not
// sent again; one refused before acting is read back, found CREATED, and
// sent again; one refused because an earlier call submitted the document
// succeeds with the document read back.
func TestPutReadBack(t *testing.T) {
	tests := []struct {
		name     string
		status   string
		fail     func(n int) string
		wantPuts int
	}{
		{"answer lost", KYCStatusCreated, func(int) string { return "lost" }, 1},
		{"refused then done", KYCStatusCreated, func(n int) string {
			if n == 1 {
				return "refused"
			}
			return ""
		}, 2},
		{"submitted before", KYCStatusValidationAsked, func(int) string { return "" }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &kycAPI{status: tt.status, fail: tt.fail}
			c, _ := newTestClient(t, api)
			d, err := c.KYC.Submit(context.Background(), "u", "doc")
			if err != nil || d.Status != KYCStatusValidationAsked {
				t.Fatalf("Submit() = %+v, %v; want VALIDATION_ASKED", d, err)
			}
			if api.puts != tt.wantPuts {
				t.Errorf("PUTs = %d, want %d", api.puts, tt.wantPuts)
			}
		})
	}
}

// TestPutRetriedOnlyWhenRepeatable: after a 500, an update (idempotent) is
// sent again and a card deactivation (refused when repeated) is not.
func TestPutRetriedOnlyWhenRepeatable(t *testing.T) {
	var puts atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if puts.Add(1)%2 == 1 {
			writeJSON(w, 500, map[string]any{"Type": "other"})
			return
		}
		writeJSON(w, 200, map[string]any{"Id": "x"})
	}))
	ctx := context.Background()
	if _, err := c.Wallets.Update(ctx, "w", &WalletUpdateParams{Description: "d"}); err != nil || puts.Load() != 2 {
		t.Errorf("Wallets.Update() = %v after %d PUTs, want success after 2", err, puts.Load())
	}
	puts.Store(0)
	if _, err := c.Cards.Deactivate(ctx, "card"); err == nil || puts.Load() != 1 {
		t.Errorf("Cards.Deactivate() = %v after %d PUTs, want the 500 after 1", err, puts.Load())
	}
}
