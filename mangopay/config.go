package mangopay

import (
	"crypto/tls"
	"log/slog"
	"net/http"
	"time"
)

// AuthMode chooses how the client authenticates resource calls.
type AuthMode int

const (
	// AuthOAuth (the default) fetches a bearer token with client
	// credentials, caches it and renews it 30 s before it expires.
	AuthOAuth AuthMode = iota
	// AuthBasic sends Basic ClientID:APIKey on every call.
	AuthBasic
)

// String returns "oauth" or "basic".
func (m AuthMode) String() string {
	if m == AuthBasic {
		return "basic"
	}
	return "oauth"
}

// Config configures a [Client]. ClientID and APIKey are required.
type Config struct {
	// ClientID is the MANGOPAY client (platform) identifier.
	ClientID string
	// APIKey is the API key; see [Secret] for how it is kept out of logs.
	APIKey Secret
	// BaseURL is scheme://host[:port] of the API, default [SandboxURL], or
	// [SandboxMTLSURL] with a ClientCertificate (see [BaseURL]). Plain
	// http is refused unless the host is a loopback address.
	BaseURL string
	// ClientCertificate, when set, is presented on every TLS connection,
	// the OAuth token requests included (mTLS); see
	// [LoadClientCertificate]. It is added to a clone of HTTPClient's
	// transport, which must then be an *http.Transport (or nil).
	ClientCertificate *tls.Certificate
	// Auth is AuthOAuth (default) or AuthBasic.
	Auth AuthMode
	// HTTPClient sends the requests; default [NewHTTPClient](0): a 60 s
	// timeout and a transport that keeps enough idle connections for
	// DefaultConns concurrent callers.
	HTTPClient *http.Client
	// Logger receives a Debug record per attempt and a Warn per retry;
	// nil discards.
	Logger *slog.Logger
	// MaxRetries is how many times a retryable failure is retried: 0
	// means the default (4), a negative value means never. 429s have a
	// budget of their own, max(MaxRetries, 10), since the governor waits
	// for the window's reset before each; the token request's 429s, which
	// the governor does not pace, count in MaxRetries.
	MaxRetries int
	// MinBackoff and MaxBackoff bound the exponential backoff between
	// retries (defaults 500 ms and 20 s); each wait is jittered.
	MinBackoff, MaxBackoff time.Duration
	// UserAgent is prepended to the client's own User-Agent.
	UserAgent string
	// SCAUserRoutes sends user creation, updates and typed reads to the
	// /sca/users/... endpoints, which replace the legacy /users/natural and
	// /users/legal ones (deprecated by MANGOPAY from 2025-12-15).
	SCAUserRoutes bool
}
