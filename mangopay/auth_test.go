package mangopay

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tokenAPI is a fake API with an OAuth endpoint that hands out tok1, tok2,
// ... and a resource that accepts the tokens ok() allows.
type tokenAPI struct {
	t       *testing.T
	tokens  atomic.Int32
	calls   atomic.Int32
	gate    chan struct{} // when not nil, the token endpoint waits for it
	ok      func(token string) bool
	expires int
}

func (a *tokenAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/v2.01/oauth/token" {
		a.token(w, r)
		return
	}
	a.calls.Add(1)
	tok := r.Header.Get("Authorization")
	if a.ok != nil && !a.ok(tok) {
		writeJSON(w, 401, map[string]any{"Message": "The authorization credentials are not valid",
			"Type": "invalid_credentials", "Date": 1733404277})
		return
	}
	writeJSON(w, 200, Wallet{Id: "w1"})
}

func (a *tokenAPI) token(w http.ResponseWriter, r *http.Request) {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("cid:key"))
	body, _ := io.ReadAll(r.Body)
	if r.Header.Get("Authorization") != want || string(body) != "grant_type=client_credentials" ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		a.t.Errorf("token request: Authorization ok=%v, body %q, type %q",
			r.Header.Get("Authorization") == want, body, r.Header.Get("Content-Type"))
	}
	if a.gate != nil {
		<-a.gate
	}
	n := a.tokens.Add(1)
	writeJSON(w, 200, Token{AccessToken: fmt.Sprintf("tok%d", n), TokenType: "bearer", ExpiresIn: int64(a.expires)})
}

func oauth(cfg *Config) { cfg.Auth = AuthOAuth }

func TestTokenSingleFlight(t *testing.T) {
	api := &tokenAPI{t: t, gate: make(chan struct{}), expires: 1200}
	c, _ := newTestClient(t, api, oauth)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			if _, err := c.Wallets.Get(context.Background(), "w1"); err != nil {
				errs <- err
			}
		})
	}
	close(api.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Get() error = %v", err)
	}
	if got := api.tokens.Load(); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
	if got := api.calls.Load(); got != 50 {
		t.Errorf("resource calls = %d, want 50", got)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	api := &tokenAPI{t: t, expires: 100}
	c, _ := newTestClient(t, api, oauth)
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	c.tokens.now = clock.Now
	ctx := context.Background()
	steps := []struct {
		advance time.Duration
		tokens  int32
	}{{0, 1}, {60 * time.Second, 1}, {9 * time.Second, 1}, {2 * time.Second, 2}, {60 * time.Second, 2}}
	for i, s := range steps {
		clock.After(s.advance)
		if _, err := c.Wallets.Get(ctx, "w1"); err != nil {
			t.Fatalf("step %d: Get() error = %v", i, err)
		}
		if got := api.tokens.Load(); got != s.tokens {
			t.Errorf("step %d (t+%v): token requests = %d, want %d", i, s.advance, got, s.tokens)
		}
	}
}

func TestReauthOnceOn401(t *testing.T) {
	api := &tokenAPI{t: t, expires: 1200, ok: func(tok string) bool { return tok == "bearer tok2" }}
	c, _ := newTestClient(t, api, oauth)
	if _, err := c.Wallets.Get(context.Background(), "w1"); err != nil {
		t.Fatalf("Get() error = %v", err)
	}
	if api.tokens.Load() != 2 || api.calls.Load() != 2 {
		t.Errorf("tokens %d, calls %d; want 2 and 2", api.tokens.Load(), api.calls.Load())
	}

	never := &tokenAPI{t: t, expires: 1200, ok: func(string) bool { return false }}
	c, _ = newTestClient(t, never, oauth)
	_, err := c.Wallets.Get(context.Background(), "w1")
	if !errors.Is(err, ErrAuth) {
		t.Errorf("Get() error = %v, want ErrAuth", err)
	}
	if never.tokens.Load() != 2 || never.calls.Load() != 2 {
		t.Errorf("tokens %d, calls %d; want 2 and 2 (one re-auth only)", never.tokens.Load(), never.calls.Load())
	}
}

func TestBasicAuthSendsNoTokenRequest(t *testing.T) {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("cid:key"))
	api := &tokenAPI{t: t, ok: func(tok string) bool { return tok == want }}
	c, _ := newTestClient(t, api)
	if _, err := c.Wallets.Get(context.Background(), "w1"); err != nil {
		t.Fatalf("Get() error = %v", err)
	}
	if api.tokens.Load() != 0 {
		t.Errorf("token requests = %d, want 0", api.tokens.Load())
	}
}

func TestTokenEndpointError(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, map[string]string{"error": "invalid_client", "error_description": "The authorization header was malformed"})
	}), oauth)
	_, err := c.Wallets.Get(context.Background(), "w1")
	var e *Error
	if !errors.As(err, &e) || e.Type != "invalid_client" || !errors.Is(err, ErrAuth) {
		t.Errorf("Get() error = %v, want invalid_client matching ErrAuth", err)
	}
}

// TestTokenRequestRetried: the token request is retried by the client's
// one loop under shouldRetry's rules for a tokenCall: transport errors,
// 5xx and 429 again and again within MaxRetries (429s included: the
// governor does not pace the token call), a refusal of the credentials
// never; every retry is logged in the one shape.
func TestTokenRequestRetried(t *testing.T) {
	ok := func(w http.ResponseWriter) {
		writeJSON(w, 200, Token{AccessToken: "tok", TokenType: "bearer", ExpiresIn: 1200})
	}
	status := func(code int, typ string) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) { writeJSON(w, code, map[string]any{"Type": typ, "Message": "m"}) }
	}
	drop := func(w http.ResponseWriter) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}
	tests := []struct {
		name        string
		answers     []func(http.ResponseWriter) // the n-th token request's answer; the last one repeats
		wantTokens  int32
		wantCalls   int32
		wantStatus  int // of the *Error the call fails with; 0: it succeeds
		wantRetries int
		reason      string
	}{
		{"503 twice", []func(http.ResponseWriter){status(503, "other"), status(503, "other"), ok}, 3, 1, 0, 2, "server error 503"},
		{"429", []func(http.ResponseWriter){status(429, "rate_limit"), ok}, 2, 1, 0, 1, "429 rate limited"},
		{"dropped connection", []func(http.ResponseWriter){drop, ok}, 2, 1, 0, 1, "transport error"},
		{"401 not retried", []func(http.ResponseWriter){status(401, "invalid_client")}, 1, 0, 401, 0, ""},
		{"5xx until MaxRetries", []func(http.ResponseWriter){status(500, "other")}, 3, 0, 500, 2, "server error 500"},
		{"429 until MaxRetries", []func(http.ResponseWriter){status(429, "rate_limit")}, 3, 0, 429, 2, "429 rate limited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tokens, calls atomic.Int32
			logs := &retryLog{}
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v2.01/oauth/token" {
					calls.Add(1)
					writeJSON(w, 200, Wallet{Id: "w1"})
					return
				}
				n := int(tokens.Add(1))
				tt.answers[min(n, len(tt.answers))-1](w)
			}), oauth, func(cfg *Config) { cfg.MaxRetries, cfg.Logger = 2, slog.New(logs) })
			_, err := c.Wallets.Get(context.Background(), "w1")
			var e *Error
			if (tt.wantStatus == 0) != (err == nil) || (err != nil && (!errors.As(err, &e) || e.StatusCode != tt.wantStatus)) {
				t.Errorf("Get() error = %v, want the token endpoint's %d (0: none)", err, tt.wantStatus)
			}
			if tt.wantStatus == 401 && !errors.Is(err, ErrAuth) {
				t.Errorf("Get() error = %v, want ErrAuth", err)
			}
			if tokens.Load() != tt.wantTokens || calls.Load() != tt.wantCalls {
				t.Errorf("token requests %d, calls %d; want %d and %d", tokens.Load(), calls.Load(), tt.wantTokens, tt.wantCalls)
			}
			checkRetries(t, logs, tt.wantRetries, http.MethodPost, "/oauth/token", tt.reason)
		})
	}
}
