package mangopay

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestSCAChallenge(t *testing.T) {
	tests := map[string]string{
		"PendingUserAction RedirectUrl=https://sca.mangopay.com?token=abc":          "https://sca.mangopay.com?token=abc",
		`PendingUserAction RedirectUrl="https://sca.mangopay.com/?token=a%2Fb&x=1"`: "https://sca.mangopay.com/?token=a%2Fb&x=1",
		"pendinguseraction  redirecturl = https://x.test/y , Other=1":               "https://x.test/y",
		"Bearer realm=api":                    "",
		"PendingUserAction":                   "",
		"PendingUserAction Other=https://x/y": "",
	}
	for v, want := range tests {
		h := http.Header{"Www-Authenticate": {v}}
		if got := scaChallenge(h); got != want {
			t.Errorf("scaChallenge(%q) = %q, want %q", v, got, want)
		}
	}
}

// TestSCARequiredIsNotAnAuthFailure: a wallet read answered 401 with a
// PendingUserAction challenge is ErrSCARequired with its URL, not
// ErrAuth, and never makes the client renew its token; a plain 401 still
// does, once.
func TestSCARequiredIsNotAnAuthFailure(t *testing.T) {
	var tokens, reads atomic.Int32
	sca := "https://sca.sandbox.mangopay.com/?token=wallet_1"
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/oauth/token") {
			tokens.Add(1)
			writeJSON(w, 200, Token{AccessToken: "tok", TokenType: "Bearer", ExpiresIn: 3600})
			return
		}
		reads.Add(1)
		if strings.HasSuffix(r.URL.Path, "/wallets/owner") {
			w.Header().Set("WWW-Authenticate", "PendingUserAction RedirectUrl="+sca)
		}
		writeJSON(w, 401, map[string]any{"Message": "Authorization required", "Type": "", "errors": nil})
	}), oauth)
	_, err := c.Wallets.Get(context.Background(), "owner")
	var e *Error
	if !errors.Is(err, ErrSCARequired) || !errors.As(err, &e) || e.RedirectURL != sca {
		t.Fatalf("Get() = %v, want ErrSCARequired with %s", err, sca)
	}
	if errors.Is(err, ErrAuth) {
		t.Errorf("Get() = %v matches ErrAuth", err)
	}
	if !strings.Contains(err.Error(), sca) || !strings.Contains(err.Error(), "complete SCA") {
		t.Errorf("Error() = %q, want the URL and what to do", err)
	}
	if tokens.Load() != 1 || reads.Load() != 1 {
		t.Errorf("%d token requests, %d reads; want 1 and 1 (no renewal, no retry)", tokens.Load(), reads.Load())
	}
	_, err = c.Wallets.Get(context.Background(), "other")
	if !errors.Is(err, ErrAuth) || errors.Is(err, ErrSCARequired) || tokens.Load() != 2 {
		t.Errorf("plain 401 = %v after %d token requests; want ErrAuth after a renewal", err, tokens.Load())
	}
}

// TestForbidden: a 403 to a request sent with ScaContext USER_NOT_PRESENT
// is the missing proxy consent; any other 403, the IP allowlist. Each
// says what to do.
func TestForbidden(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, map[string]any{"Message": "Forbidden"})
	}))
	ctx := context.Background()
	_, err := c.Transfers.Create(ctx, &TransferCreateParams{AuthorId: "u", ScaContext: ScaUserNotPresent})
	if !errors.Is(err, ErrProxyConsent) || errors.Is(err, ErrIPNotAllowed) || !strings.Contains(err.Error(), "consent") {
		t.Errorf("transfer with USER_NOT_PRESENT = %v, want ErrProxyConsent", err)
	}
	_, err = c.Wallets.Get(WithScaContext(ctx, ScaUserNotPresent), "w")
	if !errors.Is(err, ErrProxyConsent) {
		t.Errorf("wallet read with USER_NOT_PRESENT = %v, want ErrProxyConsent", err)
	}
	_, err = c.Wallets.Get(ctx, "w")
	if !errors.Is(err, ErrIPNotAllowed) || errors.Is(err, ErrProxyConsent) || !strings.Contains(err.Error(), "IP allowlist") {
		t.Errorf("plain 403 = %v, want ErrIPNotAllowed", err)
	}
	if errors.Is(err, ErrAuth) {
		t.Errorf("403 = %v matches ErrAuth", err)
	}
}
