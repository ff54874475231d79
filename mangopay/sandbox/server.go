// Package sandbox emulates the MANGOPAY v2.01 API for the crowdfunding flow:
// an http.Handler over an in-memory ledger, optionally persisted to a folder.
// It is settle's default target and is faithful enough that MANGOPAY's
// official SDKs cannot tell it from api.sandbox.mangopay.com.
package sandbox

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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
}

// RateWindow is one rate-limit window.
type RateWindow struct {
	Period time.Duration
	Limit  int
}

// Faults are injected failures. Ratios are in [0,1].
type Faults struct {
	Seed int64
	// Latency is added to every /v2.01 request.
	Latency time.Duration
	// ErrorRatio answers 500 without doing anything.
	ErrorRatio float64
	// DropAfterCommitRatio performs a POST then drops the connection
	// without answering (the client cannot know it happened).
	DropAfterCommitRatio float64
}

// handler serves one API route. It runs with Server.mu held, so it may read
// and change the state freely; it must not block.
type handler func(c *call) (status int, body any)

// call is one API request as a handler sees it.
type call struct {
	s      *Server
	r      *http.Request
	params map[string]string // path parameters by lowercase name: "id", "userid", ...
	query  url.Values        // keys lowercased
	body   []byte
	now    time.Time
	// idemKey is the request's Idempotency-Key, "" when none.
	idemKey string
	// sca is set on the /sca/... twins of the user routes (see handle).
	sca bool
}

// route is one entry of the routing table.
type route struct {
	method   string
	segments []string // lowercase; "{name}" segments capture
	h        handler
}

// Server is the sandbox. It is safe for concurrent use.
type Server struct {
	opts   Options
	routes []route
	mux    *http.ServeMux // non-API routes: oauth, tokenization, 3DS, admin

	mu sync.Mutex // guards everything below and the state
	st *state
	// idem holds the stored first responses by Idempotency-Key; guarded by mu.
	idem map[string]*idemRecord
	// journal is the append-only state log (nil without StateDir); its
	// writes happen under mu, its fsyncs outside (see persist.go).
	journal *journal
	// pinned maps an Id prefix to the Id newID must return next (seeding
	// objects with fixed Ids); guarded by mu, nil outside a seed.
	pinned map[string]string

	// The fields below have their own locks or are immutable after New.
	offset     atomic.Int64 // clock offset in nanoseconds (admin clock/advance)
	tokens     *tokenStore
	limiter    *rateLimiter
	faults     *faultInjector
	stats      *statsCounter
	deliveries chan string // hook delivery URLs, drained by deliveryWorker
	stop       context.CancelFunc
	workers    sync.WaitGroup
	closeOnce  sync.Once
}

// handle registers an API route relative to /v2.01/{ClientId}, e.g.
// handle("GET", "/users/{userid}/wallets", h). Matching ignores case and
// a trailing slash. A pattern below /sca/ shares its handler with the
// legacy route and marks the call (call.sca).
func (s *Server) handle(method, pattern string, h handler) {
	if strings.HasPrefix(pattern, "/sca/") {
		inner := h
		h = func(c *call) (int, any) {
			c.sca = true
			return inner(c)
		}
	}
	segs := strings.Split(strings.Trim(strings.ToLower(pattern), "/"), "/")
	s.routes = append(s.routes, route{method: method, segments: segs, h: h})
}

// match finds the route for a path below /v2.01/{ClientId}.
func (s *Server) match(method string, segs []string) (*route, map[string]string, bool) {
	pathFound := false
	for i := range s.routes {
		rt := &s.routes[i]
		if len(rt.segments) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for j, want := range rt.segments {
			if strings.HasPrefix(want, "{") {
				params[strings.Trim(want, "{}")] = segs[j]
				continue
			}
			if !strings.EqualFold(want, segs[j]) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		pathFound = true
		if rt.method == method {
			return rt, params, true
		}
	}
	return nil, nil, pathFound
}

// decode reads the JSON body into v with MANGOPAY's lenient binding (bind.go).
func (c *call) decode(v any) error {
	if len(strings.TrimSpace(string(c.body))) == 0 {
		return nil
	}
	return bindJSON(c.body, v)
}
