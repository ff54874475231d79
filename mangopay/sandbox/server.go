package sandbox

import (
	"context"
	"crypto/tls"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"settle/mangopay/sandbox/internal/platform"
)

// Options configure a sandbox. The zero value is usable.
type Options struct {
	// ClientID and APIKey are the credentials the sandbox accepts.
	// Defaults: "sandbox" and "sandbox-api-key".
	ClientID string
	APIKey   string
	// BasicAuth lets resource calls authenticate with Basic ClientID:APIKey
	// instead of a bearer token.
	BasicAuth bool
	// TokenTTL is the OAuth token lifetime (expires_in). Default 1200 s.
	TokenTTL time.Duration
	// StateDir, when set, persists every object, balance and idempotency
	// key there, so a restart loses nothing.
	StateDir string
	// Now is the clock (default time.Now). The admin API can advance it.
	Now func() time.Time
	// KYCDelay is how long a submitted document waits before the verdict
	// its Tag asks for; PayoutDelay how long a payout stays CREATED.
	// Zero means "at the next request after submission".
	KYCDelay    time.Duration
	PayoutDelay time.Duration
	// ManualKYC leaves documents in VALIDATION_ASKED whatever their Tag;
	// ManualPayouts leaves payouts CREATED until the admin API processes them.
	ManualKYC     bool
	ManualPayouts bool
	// LenientCategory accepts users without UserCategory, as older SDK
	// fixtures send them: an OWNER when every OWNER field is there, else a
	// PAYER.
	LenientCategory bool
	// ProxyConsent says MANGOPAY approved this client for proxy SCA
	// (USER_NOT_PRESENT): POST /sca/users/{id}/consent is refused without it.
	ProxyConsent bool
	// RecipientDelay is how long a recipient that needs no SCA (an
	// "accept" owner's, a PAYIN one, USER_NOT_PRESENT with consent) stays
	// PENDING; zero means "until the next request" (recipients.go).
	RecipientDelay time.Duration
	// WalletSCA gates OWNER wallet and transaction reads behind SCA
	// (401 + WWW-Authenticate, scagate.go), as MANGOPAY does since
	// 2025-12-15. Off by default while settle still reads owner wallets.
	WalletSCA bool
	// LegacyBankCutoff makes a payout to a bank account created through the
	// legacy POST /users/{id}/bankaccounts[/iban] after 2026-04-30 (by the
	// sandbox clock) FAIL with 121018, as MANGOPAY does. Off by default
	// while settle still registers legacy accounts.
	LegacyBankCutoff bool
	// VOPBlocksPayouts stands for a client with User-Owned Virtual Account
	// holders that did not sign MANGOPAY's VOP amendment: a payout whose
	// Verification of Payee is NO_MATCH or MATCH_NOT_POSSIBLE FAILS with
	// 121030.
	VOPBlocksPayouts bool
	// RateLimits are the rate-limit windows; nil means MANGOPAY's four
	// documented windows (15 min 2300, 30 min 4500, 1 h 8800, 24 h 105600).
	RateLimits []RateWindow
	// Faults injects latency and failures, seeded and deterministic.
	Faults Faults
	// PublicURL is the scheme://host[:port] used in the URLs the sandbox
	// hands out (tokenization, 3DS redirect, SCA enrolment, Link headers).
	// Default: taken from each request's Host.
	PublicURL string
	// Currencies enabled on this client. Default: MANGOPAY's fifteen.
	Currencies []string
	// ErrorLog receives the errors of Serve's HTTP server (nil: the log
	// package's standard logger).
	ErrorLog *log.Logger
	// AdminToken, when set, guards the back office: the admin API asks for
	// "Authorization: Bearer <AdminToken>" and the dashboard for a login
	// with it. Without it both are open, and Serve refuses a listener that
	// is not on a loopback address.
	AdminToken string
	// TLS makes Serve answer HTTPS with this configuration (see
	// TLSConfig, which can require client certificates: mTLS).
	TLS *tls.Config
}

// RateWindow is one rate-limit window.
type RateWindow = platform.RateWindow

// Faults are injected failures (latency, 500s, dropped connections after
// a POST committed); ratios are in [0,1].
type Faults = platform.Faults

// handler serves one resource route. It runs with Server.mu held, so it may
// read and change the state freely; it must not block. It answers what a
// [platform.Handler] answers.
type handler func(c *call) (status int, body any)

// call is one API request as a resource handler sees it.
type call struct {
	*platform.Call
	// sca is set on the /sca/... twins of the user routes (see handle).
	sca bool
}

// Server is the sandbox. It is safe for concurrent use.
type Server struct {
	opts Options
	api  *platform.API  // routing, pipeline, clock, state log
	mux  *http.ServeMux // non-API routes: admin API, dashboard, tokenization, 3DS, SCA
	dash *dashboard     // the dashboard's templates and keys (dashboard.go)

	// mu guards the state; the platform holds it while a handler runs and
	// inside Commit.
	mu sync.Mutex
	st *state // guarded by mu
	// pinned maps an Id prefix to the Id newID must return next (seeding
	// objects with fixed Ids); guarded by mu, nil outside a seed.
	pinned map[string]string

	// The fields below have their own locks or are immutable after New.
	deliveries   chan string // hook delivery URLs, drained by deliveryWorker
	hooksSent    atomic.Int64
	droppedHooks atomic.Int64
	stop         context.CancelFunc
	unlock       func() error // releases the state folder's lock (Open); nil otherwise
	workers      sync.WaitGroup
	closeOnce    sync.Once
}

// handle registers an API route relative to /v2.01/{ClientId}, e.g.
// handle("GET", "/users/{userid}/wallets", h). Matching ignores case and
// a trailing slash. A pattern below /sca/ shares its handler with the
// legacy route and marks the call (call.sca).
func (s *Server) handle(method, pattern string, h handler) {
	sca := strings.HasPrefix(pattern, "/sca/")
	s.api.Handle(method, pattern, func(c *platform.Call) (int, any) {
		return h(&call{Call: c, sca: sca})
	})
}

// decode reads the JSON body into v with MANGOPAY's lenient binding (bind.go).
func (c *call) decode(v any) error {
	if len(strings.TrimSpace(string(c.Body))) == 0 {
		return nil
	}
	return bindJSON(c.Body, v)
}
