package mangopay

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// tokenRenewBefore is how long before expiry a token is renewed, as
// MANGOPAY recommends (half the lifetime for tokens shorter than a minute).
const tokenRenewBefore = 30 * time.Second

// tokenSource caches the OAuth bearer token. Concurrent callers share one
// refresh: the first one fetches, the others wait for its result.
type tokenSource struct {
	c   *Client
	now func() time.Time

	mu      sync.Mutex    // guards the fields below
	header  string        // "bearer <token>", "" when none
	expires time.Time     // when header stops being usable (already 30 s early)
	pending chan struct{} // closed when the refresh in flight ends; nil when none
}

// authorization returns the Authorization header value for r: Basic for
// the token call itself.
func (c *Client) authorization(ctx context.Context, r *request) (string, error) {
	if c.auth == AuthBasic || r.class == tokenCall {
		return c.basicAuth(), nil
	}
	return c.tokens.get(ctx)
}

// credentials hold the one derived form of the API key the client needs.
type credentials struct {
	basic string // "Basic base64(ClientID:APIKey)"
}

// basicHeader is "Basic base64(ClientID:APIKey)"; the only place the key
// is turned back into a string.
func basicHeader(clientID string, key Secret) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+string(key)))
}

// basicAuth is the Basic Authorization header value.
func (c *Client) basicAuth() string { return c.creds.basic }

// get returns a valid token header, fetching one if needed. Only one fetch
// runs at a time; the others wait for it (or for their ctx).
func (t *tokenSource) get(ctx context.Context) (string, error) {
	for {
		t.mu.Lock()
		if t.header != "" && t.now().Before(t.expires) {
			h := t.header
			t.mu.Unlock()
			return h, nil
		}
		if wait := t.pending; wait != nil {
			t.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return "", fmt.Errorf("mangopay: waiting for a token: %w", ctx.Err())
			}
		}
		done := make(chan struct{})
		t.pending = done
		t.mu.Unlock()

		h, exp, err := t.fetch(ctx)

		t.mu.Lock()
		t.pending = nil
		if err == nil {
			t.header, t.expires = h, exp
		}
		close(done)
		t.mu.Unlock()
		if err != nil {
			return "", err
		}
		return h, nil
	}
}

// invalidate drops the cached token if it is still the one that was
// refused, so a token refreshed meanwhile by another goroutine is kept.
func (t *tokenSource) invalidate(refused string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.header == refused {
		t.header = ""
	}
}

// tokenPath is the OAuth endpoint, under /v2.01 but outside the
// /{ClientId} root of the resource calls.
const tokenPath = "/oauth/token"

// fetch asks the token endpoint for a token. [Client.do] sends it as a
// [tokenCall], so it is retried by the same loop and rules as every call:
// transport errors, 5xx and 429 (fetching a token has no side effect).
func (t *tokenSource) fetch(ctx context.Context) (string, time.Time, error) {
	r := request{class: tokenCall, method: http.MethodPost, path: tokenPath,
		form: url.Values{"grant_type": {"client_credentials"}}}
	var tok Token
	if _, err := t.c.do(ctx, r, &tok); err != nil {
		return "", time.Time{}, err
	}
	if tok.AccessToken == "" {
		return "", time.Time{}, fmt.Errorf("mangopay: POST %s: the answer holds no access_token", tokenPath)
	}
	typ := tok.TokenType
	if typ == "" {
		typ = "Bearer"
	}
	life := time.Duration(tok.ExpiresIn) * time.Second
	return typ + " " + tok.AccessToken, t.now().Add(life - min(tokenRenewBefore, life/2)), nil
}

// String keeps the credentials out of any output.
func (*credentials) String() string { return redacted }

// GoString keeps the credentials out of %#v.
func (*credentials) GoString() string { return redacted }

// Token is the OAuth 2.0 token endpoint's answer.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// mustReauth reports a 401 invalid_credentials under OAuth, to a resource
// call, that has not been retried yet: the token expired or was revoked
// early. A 401 to the token call itself refuses the credentials.
func (c *Client) mustReauth(r *request, res *response, reauthed bool) bool {
	if reauthed || c.auth != AuthOAuth || r.class == tokenCall || res.http.StatusCode != http.StatusUnauthorized {
		return false
	}
	if scaChallenge(res.http.Header) != "" {
		return false // the user must complete SCA; the token is fine
	}
	e := newError(res.http.StatusCode, res.body)
	return e.Type == TypeInvalidCredentials || e.Type == ""
}
