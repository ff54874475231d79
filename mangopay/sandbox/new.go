package sandbox

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"settle/mangopay/sandbox/internal/platform"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultClientID = "sandbox"
	DefaultAPIKey   = "sandbox-api-key"
	DefaultTokenTTL = 1200 * time.Second
)

// New returns a sandbox serving opts. With opts.StateDir set it first
// replays (and compacts) the state log found there; [Open] also takes the
// folder's lock. Call Close to stop its background workers and close the
// log.
func New(opts Options) (*Server, error) {
	opts = withDefaults(opts)
	s := &Server{
		opts:       opts,
		st:         newState(),
		deliveries: make(chan string, deliveryQueue),
		mux:        http.NewServeMux(),
	}
	api, err := platform.New(platform.Config{
		ClientID: opts.ClientID, APIKey: opts.APIKey, BasicAuth: opts.BasicAuth, TokenTTL: opts.TokenTTL,
		Now: opts.Now, RateLimits: opts.RateLimits, Faults: opts.Faults, PublicURL: opts.PublicURL,
		StateDir: opts.StateDir, Lock: &s.mu, Advance: s.advance, Restore: s.st.restore, Other: s.guardAdmin(s.mux),
	})
	if err != nil {
		return nil, err
	}
	s.api = api
	s.registerRoutes()
	s.registerAdmin(s.mux)
	s.registerPublic(s.mux)
	if s.dash, err = newDashboard(opts.AdminToken); err != nil {
		return nil, err
	}
	s.dashboardRoutes(s.mux)
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
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
	opts.PublicURL = strings.TrimRight(opts.PublicURL, "/")
	return opts
}

// Close stops the hook-delivery workers, flushes and closes the state log,
// and releases the state folder's lock (Open). The Server must not serve
// requests afterwards.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.stop()
		s.workers.Wait()
		err = s.api.Close()
		if s.unlock != nil {
			err = errors.Join(err, s.unlock())
		}
	})
	return err
}

// now is the sandbox clock: Options.Now plus the offset set through
// POST /sandbox/clock/advance. Safe without s.mu.
func (s *Server) now() time.Time { return s.api.Now() }

// save records a change of a resource in the state log; call it with s.mu
// held after every change (see restore.go for the kinds).
func (s *Server) save(kind, id string, v any) { s.api.Save(kind, id, v) }

// publicURL is the scheme://host[:port] of the URLs the sandbox hands out.
func (s *Server) publicURL(r *http.Request) string { return s.api.PublicURL(r) }

// ServeHTTP routes /v2.01/... (and /V2_01/..., any case) through the API
// pipeline and everything else (admin API, tokenization, 3DS, SCA) through
// the non-API mux.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.api.ServeHTTP(w, r)
}
