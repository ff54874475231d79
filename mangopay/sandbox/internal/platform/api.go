package platform

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures an [API]. The resources fill it from sandbox.Options;
// every field is required but BasicAuth, RateLimits, Faults, PublicURL and
// StateDir.
type Config struct {
	// ClientID and APIKey are the credentials the API accepts; BasicAuth
	// lets resource calls authenticate with Basic ClientID:APIKey instead of
	// a bearer token. TokenTTL is the OAuth token lifetime.
	ClientID  string
	APIKey    string
	BasicAuth bool
	TokenTTL  time.Duration
	// Now is the base clock; the admin offset is added to it (see [API.Now]).
	Now func() time.Time
	// RateLimits are the rate-limit windows; nil means DefaultRateLimits
	// (an empty list: none).
	RateLimits []RateWindow
	Faults     Faults
	// PublicURL is the scheme://host[:port] of the URLs handed out; "" takes
	// it from each request.
	PublicURL string
	// StateDir, when set, holds the state log (see statelog.go).
	StateDir string
	// Lock guards the resources' state. The API holds it while a handler
	// runs and inside Commit; it also guards the idempotency store and the
	// state log's writes.
	Lock *sync.Mutex
	// Advance runs the asynchronous work due at now (KYC verdicts, payouts
	// ...). Called with Lock held before every handler and every Commit.
	Advance func(now time.Time)
	// Restore rebuilds one resource record of the state log (every kind
	// but the API's own). Called by New, before any request.
	Restore func(kind, id string, raw json.RawMessage) error
	// Other serves every path outside the API (admin API, browser pages).
	Other http.Handler
}

// API serves MANGOPAY's v2.01 API over the routes the resources register.
// It is safe for concurrent use.
type API struct {
	cfg    Config
	routes []route     // written by Handle before serving, read-only afterwards
	mu     *sync.Mutex // Config.Lock

	// idem holds the stored first responses by Idempotency-Key; guarded by mu.
	idem map[string]*idemRecord
	// log is the state log (nil without StateDir); its writes happen under
	// mu, its fsyncs outside.
	log *stateLog

	// The fields below have their own locks or are immutable after New.
	offset  atomic.Int64 // clock offset in nanoseconds (AdvanceClock)
	tokens  *tokenStore
	limiter *rateLimiter
	faults  *faultInjector
	stats   *requestCounter
	closed  sync.Once
}

// New returns an API for cfg. With cfg.StateDir set it first replays (and
// compacts) the state log found there, handing resource records to
// cfg.Restore. Call Close to close the log.
func New(cfg Config) (*API, error) {
	if cfg.RateLimits == nil {
		cfg.RateLimits = DefaultRateLimits
	}
	a := &API{
		cfg:     cfg,
		mu:      cfg.Lock,
		idem:    map[string]*idemRecord{},
		tokens:  newTokenStore(),
		limiter: newRateLimiter(cfg.RateLimits),
		faults:  newFaultInjector(cfg.Faults),
		stats:   newRequestCounter(),
	}
	if cfg.StateDir != "" {
		if err := a.openLog(cfg.StateDir); err != nil {
			return nil, fmt.Errorf("sandbox: state %s: %w", cfg.StateDir, err)
		}
	}
	a.Handle(http.MethodGet, "/responses/{key}", a.getResponse)
	return a, nil
}

// Close syncs and closes the state log. The API must not serve requests
// afterwards.
func (a *API) Close() error {
	var err error
	a.closed.Do(func() {
		if a.log != nil {
			a.mu.Lock()
			err = a.log.close()
			a.mu.Unlock()
		}
	})
	return err
}

// Now is the sandbox clock: Config.Now plus the offset AdvanceClock set.
// Safe without the lock.
func (a *API) Now() time.Time {
	return a.cfg.Now().Add(a.ClockOffset())
}

// ClockOffset is how far AdvanceClock moved the clock.
func (a *API) ClockOffset() time.Duration { return time.Duration(a.offset.Load()) }

// AdvanceClock moves the clock forward by d and records the new offset in
// the state log. Call it inside Commit.
func (a *API) AdvanceClock(d time.Duration) {
	off := a.offset.Add(int64(d))
	a.Save(kindClock, "offset", off)
}

// ServeHTTP routes /v2.01/... (and /V2_01/..., any case) through the API
// pipeline and everything else to Config.Other.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if segs, ok := apiSegments(r.URL.Path); ok {
		a.serveAPI(w, r, segs)
		return
	}
	a.cfg.Other.ServeHTTP(w, r)
}

// apiSegments splits an API path into the segments after the version
// segment. It trims trailing whitespace (and a literal %20, as JAVA's token
// URL carries one) and a trailing slash, and accepts v2.01 and V2_01 in any
// case, and v2 as an alias (the JS card kit still calls /v2/; MANGOPAY's
// own v2 was shut down in 2025).
func apiSegments(path string) ([]string, bool) {
	for {
		t := strings.TrimRight(path, " \t\r\n")
		t = strings.TrimSuffix(t, "%20")
		if t == path {
			break
		}
		path = t
	}
	path = strings.Trim(path, "/")
	version, rest, _ := strings.Cut(path, "/")
	if !strings.EqualFold(version, "v2.01") && !strings.EqualFold(version, "v2_01") && !strings.EqualFold(version, "v2") {
		return nil, false
	}
	// Empty segments are dropped, as MANGOPAY does: the Python SDK asks for
	// /responses//{key}.
	segs := []string{}
	for _, seg := range strings.Split(rest, "/") {
		if seg != "" {
			segs = append(segs, seg)
		}
	}
	return segs, true
}
