package platform

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// tokenStore holds the OAuth bearer tokens issued by the sandbox. Tokens
// are not persisted: after a restart clients get 401 invalid_credentials
// and re-authenticate, as they do when a token expires.
type tokenStore struct {
	mu      sync.Mutex
	expiry  map[string]time.Time // token -> expiry; guarded by mu
	issued  int                  // tokens issued since the last sweep; guarded by mu
	sweepAt int
}

func newTokenStore() *tokenStore {
	return &tokenStore{expiry: map[string]time.Time{}, sweepAt: 1024}
}

// issue creates a token valid until now+ttl. Expired tokens are swept every
// sweepAt issues, so the map stays bounded without a per-call scan.
func (t *tokenStore) issue(now time.Time, ttl time.Duration) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	tok := hex.EncodeToString(b[:])
	t.mu.Lock()
	defer t.mu.Unlock()
	t.issued++
	if t.issued >= t.sweepAt {
		for k, exp := range t.expiry {
			if !now.Before(exp) {
				delete(t.expiry, k)
			}
		}
		t.issued = 0
	}
	t.expiry[tok] = now.Add(ttl)
	return tok
}

// valid reports whether tok was issued and has not expired at now.
func (t *tokenStore) valid(tok string, now time.Time) bool {
	t.mu.Lock()
	exp, ok := t.expiry[tok]
	t.mu.Unlock()
	return ok && now.Before(exp)
}

// serveToken is POST /v2.01/oauth/token. It checks the Basic credentials
// and ignores the body (NODE and JAVA send a form, PY JSON, PHP multipart),
// so grant_type is not required. Bad credentials are 401 invalid_client, as
// RFC 6749 §5.2 prescribes for failed Basic client authentication.
func (a *API) serveToken(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, 1<<20))
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		WriteJSON(w, http.StatusMethodNotAllowed, map[string]string{
			"error": "invalid_request", "error_description": "The token endpoint only accepts POST"})
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		WriteJSON(w, http.StatusUnauthorized, map[string]string{
			"error": "invalid_client", "error_description": "The authorization header was malformed or not recognized"})
		return
	}
	if !a.credentialsOK(user, pass) {
		WriteJSON(w, http.StatusUnauthorized, map[string]string{
			"error": "invalid_client", "error_description": "The client credentials are invalid"})
		return
	}
	tok := a.tokens.issue(a.Now(), a.cfg.TokenTTL)
	WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "bearer", "expires_in": int64(a.cfg.TokenTTL / time.Second)})
}

// credentialsOK compares in constant time.
func (a *API) credentialsOK(user, pass string) bool {
	u := subtle.ConstantTimeCompare([]byte(user), []byte(a.cfg.ClientID))
	p := subtle.ConstantTimeCompare([]byte(pass), []byte(a.cfg.APIKey))
	return u&p == 1
}

// authenticate checks a resource call: a live bearer token (scheme in any
// case), or Basic ClientID:APIKey when Config.BasicAuth is set, and a path
// ClientId equal to the sandbox's client. Anything else is the 401
// invalid_credentials body (no Id, no errors).
func (a *API) authenticate(r *http.Request, pathClient string, now time.Time) *Error {
	if pathClient != a.cfg.ClientID {
		return errCredentials()
	}
	scheme, cred, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	cred = strings.TrimSpace(cred)
	switch {
	case strings.EqualFold(scheme, "bearer") && cred != "":
		if a.tokens.valid(cred, now) {
			return nil
		}
	case strings.EqualFold(scheme, "basic") && a.cfg.BasicAuth:
		if user, pass, ok := r.BasicAuth(); ok && a.credentialsOK(user, pass) {
			return nil
		}
	}
	return errCredentials()
}

func errCredentials() *Error {
	return &Error{Status: http.StatusUnauthorized, Type: "invalid_credentials",
		Message: "The authorization credentials are not valid", NoIDNoErrors: true}
}
