package mangopay

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
)

// This file reads the answers by which MANGOPAY refuses access rather than
// a request: a 401 asking for the user's Strong Customer Authentication
// (SCA) and a 403 from the IP allowlist or a missing proxy consent. Each
// becomes an [*Error] that errors.Is matches with its sentinel and that
// says what must be done.

// Sentinels for the access refusals; see [Error.Is].
var (
	// ErrSCARequired matches a 401 whose WWW-Authenticate header is
	// "PendingUserAction RedirectUrl=...": the user must authenticate at
	// [Error.RedirectURL] (SCA on wallet access since 2025-12-15). It is not
	// an authentication failure of the platform: it never matches
	// [ErrAuth], and the client never renews its token for it.
	ErrSCARequired = errors.New("mangopay: the user must complete SCA")
	// ErrProxyConsent matches a 403 to a request sent with ScaContext
	// USER_NOT_PRESENT: the platform has no proxy approval, or the user
	// has not given (or has revoked) the consent for this action.
	ErrProxyConsent = errors.New("mangopay: no proxy consent for ScaContext USER_NOT_PRESENT")
	// ErrIPNotAllowed matches any other 403 to an API call: MANGOPAY
	// refuses calls from addresses outside the Client ID's IP allowlist
	// (announced 2026-11-17) before reading them.
	ErrIPNotAllowed = errors.New("mangopay: calling IP not in the IP allowlist")
)

// Remedies printed after the error, saying what the operator must do.
const (
	hintSCA          = "the user must complete SCA at the redirect URL (append an encoded returnUrl), then the call can be made again"
	hintProxyConsent = "ScaContext USER_NOT_PRESENT needs MANGOPAY's proxy approval for the platform and the user's consent " +
		"(POST /sca/users/{id}/consent); without them, send USER_PRESENT with the user present"
	hintIPAllowlist = "MANGOPAY refused the call: declare this machine's egress IP in the Client ID's IP allowlist " +
		"(Dashboard > Settings > Team & security > IP allowlist), or check that the feature called is activated for the platform"
)

// scaChallenge returns the RedirectUrl of a "WWW-Authenticate:
// PendingUserAction RedirectUrl=<url>" header, "" when there is none. The
// URL may be quoted; it runs to the end of the value or to a comma.
func scaChallenge(h http.Header) string {
	for _, v := range h.Values("WWW-Authenticate") {
		scheme, params, ok := strings.Cut(strings.TrimSpace(v), " ")
		if !ok || !strings.EqualFold(scheme, "PendingUserAction") {
			continue
		}
		for _, p := range strings.Split(params, ",") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "RedirectUrl") {
				return strings.Trim(strings.TrimSpace(val), `"`)
			}
		}
	}
	return ""
}

// classifyAccess fills the access fields of e from the answer's headers
// and from whether the request was sent with ScaContext USER_NOT_PRESENT.
func classifyAccess(e *Error, h http.Header, notPresent bool) *Error {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		if u := scaChallenge(h); u != "" {
			e.access, e.RedirectURL, e.Hint = ErrSCARequired, u, hintSCA
		}
	case http.StatusForbidden:
		if notPresent {
			e.access, e.Hint = ErrProxyConsent, hintProxyConsent
		} else {
			e.access, e.Hint = ErrIPNotAllowed, hintIPAllowlist
		}
	}
	return e
}

// notPresent reports whether a request asks for ScaContext
// USER_NOT_PRESENT, in its query or in its (compact, encoding/json) body.
func (r *request) notPresent(body []byte) bool {
	return r.query.Get("ScaContext") == ScaUserNotPresent ||
		bytes.Contains(body, []byte(`"ScaContext":"`+ScaUserNotPresent+`"`))
}
