package mangopay

import (
	"context"
	"errors"
	"io"
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
	resp := func(code int) *http.Response { return &http.Response{StatusCode: code} }
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	transport := errors.New("connection reset")
	tests := []struct {
		name string
		req  *http.Request
		resp *http.Response
		err  error
		want bool
		put  putRepeat
	}{
		{"GET transport error", mk("GET", ""), nil, transport, true, putRepeat{}},
		{"GET 500", mk("GET", ""), resp(500), nil, true, putRepeat{}},
		{"GET 503", mk("GET", ""), resp(503), nil, true, putRepeat{}},
		{"GET 429", mk("GET", ""), resp(429), nil, true, putRepeat{}},
		{"GET 404", mk("GET", ""), resp(404), nil, false, putRepeat{}},
		{"GET 200", mk("GET", ""), resp(200), nil, false, putRepeat{}},
		{"POST with key transport error", mk("POST", "k"), nil, transport, true, putRepeat{}},
		{"POST with key 502", mk("POST", "k"), resp(502), nil, true, putRepeat{}},
		{"POST without key transport error", mk("POST", ""), nil, transport, false, putRepeat{}},
		{"POST without key 500", mk("POST", ""), resp(500), nil, false, putRepeat{}},
		{"POST without key 429", mk("POST", ""), resp(429), nil, true, putRepeat{}},
		{"POST 400", mk("POST", "k"), resp(400), nil, false, putRepeat{}},
		{"POST 409", mk("POST", "k"), resp(409), nil, false, putRepeat{}},
		{"PUT 500", mk("PUT", ""), resp(500), nil, false, putRepeat{}},
		{"PUT 429", mk("PUT", ""), resp(429), nil, true, putRepeat{}},
		{"PUT transport error", mk("PUT", ""), nil, transport, false, putRepeat{}},
		{"PUT 409", mk("PUT", ""), resp(409), nil, false, putRepeat{}},
		{"idempotent PUT 500", mk("PUT", ""), resp(500), nil, true, idempotentPut},
		{"idempotent PUT transport error", mk("PUT", ""), nil, transport, true, idempotentPut},
		{"idempotent PUT 409", mk("PUT", ""), resp(409), nil, true, idempotentPut},
		{"idempotent PUT 400", mk("PUT", ""), resp(400), nil, false, idempotentPut},
		{"read-back PUT 503", mk("PUT", ""), resp(503), nil, true, readBack[KYCDocument]("/kyc/documents/d", nil)},
		{"read-back PUT 404", mk("PUT", ""), resp(404), nil, false, readBack[KYCDocument]("/kyc/documents/d", nil)},
		{"context cancelled", mk("GET", "").WithContext(cancelled), nil, context.Canceled, false, putRepeat{}},
		{"no request", nil, nil, transport, false, putRepeat{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := shouldRetry(tt.req, tt.resp, tt.err, tt.put)
			if got != tt.want {
				t.Errorf("shouldRetry() = %v (%s), want %v", got, reason, tt.want)
			}
			if got && reason == "" {
				t.Errorf("shouldRetry() gave no reason")
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
