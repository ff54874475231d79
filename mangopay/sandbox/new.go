package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultClientID = "sandbox"
	DefaultAPIKey   = "sandbox-api-key"
	DefaultTokenTTL = 1200 * time.Second
)

// defaultRateLimits are MANGOPAY's four documented windows.
var defaultRateLimits = []RateWindow{
	{Period: 15 * time.Minute, Limit: 2300},
	{Period: 30 * time.Minute, Limit: 4500},
	{Period: time.Hour, Limit: 8800},
	{Period: 24 * time.Hour, Limit: 105600},
}

// New returns a sandbox serving opts. With opts.StateDir set it first
// replays (and compacts) the state log found there. Call Close to stop its
// background workers and close the log.
func New(opts Options) (*Server, error) {
	opts = withDefaults(opts)
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{
		opts:       opts,
		st:         newState(),
		idem:       map[string]*idemRecord{},
		tokens:     newTokenStore(),
		limiter:    newRateLimiter(opts.RateLimits),
		faults:     newFaultInjector(opts.Faults),
		stats:      newStatsCounter(),
		deliveries: make(chan string, deliveryQueue),
		stop:       stop,
	}
	if opts.StateDir != "" {
		if err := s.loadState(opts.StateDir); err != nil {
			stop()
			return nil, fmt.Errorf("sandbox: state %s: %w", opts.StateDir, err)
		}
		s.workers.Add(1)
		go s.syncLoop(ctx.Done())
	}
	s.registerRoutes()
	s.registerPlatformRoutes()
	s.mux = http.NewServeMux()
	s.registerAdmin(s.mux)
	s.registerPublic(s.mux)
	for range deliveryWorkers {
		s.workers.Add(1)
		go s.deliveryWorker(ctx)
	}
	return s, nil
}

// withDefaults fills the zero fields of opts.
func withDefaults(opts Options) Options {
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = DefaultTokenTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RateLimits == nil {
		opts.RateLimits = defaultRateLimits
	}
	opts.PublicURL = strings.TrimRight(opts.PublicURL, "/")
	return opts
}

// Close stops the hook-delivery and sync workers, flushes and closes the
// state log. The Server must not serve requests afterwards.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.stop()
		s.workers.Wait()
		if s.journal != nil {
			s.mu.Lock()
			err = s.journal.close()
			s.mu.Unlock()
		}
	})
	return err
}

// now is the sandbox clock: Options.Now plus the offset set through
// POST /sandbox/clock/advance. Safe without s.mu.
func (s *Server) now() time.Time {
	return s.opts.Now().Add(time.Duration(s.offset.Load()))
}

// ServeHTTP routes /v2.01/... (and /V2_01/..., any case) through the API
// pipeline and everything else (admin API, tokenization, 3DS) through the
// non-API mux.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if segs, ok := apiSegments(r.URL.Path); ok {
		s.serveAPI(w, r, segs)
		return
	}
	s.mux.ServeHTTP(w, r)
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
