package mangopay

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
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

// authorization returns the Authorization header value for a resource call.
func (c *Client) authorization(ctx context.Context) (string, error) {
	if c.auth == AuthBasic {
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

// fetch asks the token endpoint, retrying transport errors, 5xx and 429
// (fetching a token has no side effect).
func (t *tokenSource) fetch(ctx context.Context) (string, time.Time, error) {
	c := t.c
	for n := 0; ; n++ {
		h, exp, retry, err := t.fetchOnce(ctx, n+1)
		if err == nil {
			return h, exp, nil
		}
		if !retry || n >= c.retry.max || ctx.Err() != nil {
			return "", time.Time{}, err
		}
		wait := c.retry.backoff(n)
		c.log.Warn("mangopay retry", "method", http.MethodPost, "path", "/oauth/token",
			"attempt", n+1, "reason", err.Error(), "wait", wait)
		if err := sleepCtx(ctx, wait); err != nil {
			return "", time.Time{}, err
		}
	}
}

// fetchOnce makes one token request, the attempt-th (from 1). retry
// reports whether a failure is worth another try.
func (t *tokenSource) fetchOnce(ctx context.Context, attempt int) (header string, exp time.Time, retry bool, err error) {
	c := t.c
	const path = "/v2.01/oauth/token"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+path,
		strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("mangopay: POST %s: %w", path, err)
	}
	req.Header.Set("Authorization", c.basicAuth())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", time.Time{}, ctx.Err() == nil, fmt.Errorf("mangopay: POST %s: %w", path, err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	c.gov.observe(resp.Header)
	c.logAttempt(ctx, &request{method: http.MethodPost, path: "/oauth/token"}, resp.StatusCode, attempt, time.Since(start))
	if err != nil {
		return "", time.Time{}, true, fmt.Errorf("mangopay: POST %s: reading the answer: %w", path, err)
	}
	if resp.StatusCode/100 != 2 {
		e := classifyAccess(newError(resp.StatusCode, body), resp.Header, false)
		return "", time.Time{}, resp.StatusCode >= 500 || resp.StatusCode == 429, e
	}
	var tok Token
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		return "", time.Time{}, false, fmt.Errorf("mangopay: POST %s: the answer holds no access_token", path)
	}
	typ := tok.TokenType
	if typ == "" {
		typ = "Bearer"
	}
	life := time.Duration(tok.ExpiresIn) * time.Second
	return typ + " " + tok.AccessToken, t.now().Add(life - min(tokenRenewBefore, life/2)), false, nil
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

// mustReauth reports a 401 invalid_credentials under OAuth that has not
// been retried yet: the token expired or was revoked early.
func (c *Client) mustReauth(res *response, reauthed bool) bool {
	if reauthed || c.auth != AuthOAuth || res.http.StatusCode != http.StatusUnauthorized {
		return false
	}
	if scaChallenge(res.http.Header) != "" {
		return false // the user must complete SCA; the token is fine
	}
	e := newError(res.http.StatusCode, res.body)
	return e.Type == TypeInvalidCredentials || e.Type == ""
}
