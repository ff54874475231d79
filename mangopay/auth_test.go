package mangopay

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
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
