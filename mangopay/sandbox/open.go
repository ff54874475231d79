package sandbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"settle/internal/flock"
)

// shutdownGrace is how long Serve lets in-flight requests finish.
const shutdownGrace = 5 * time.Second

// Open opens the sandbox whose state lives in the folder dir, as every
// settle command does (the embedded target, settle sandbox serve and seed):
// it takes the exclusive lock dir.lock beside the folder, so no two
// processes share the state log (an error wrapping flock.ErrLocked when
// another holds it), then restores the state as New does with
// Options.StateDir = dir. Close releases the lock. With dir empty the state
// is kept in memory only and nothing is locked.
func Open(dir string, opts Options) (*Server, error) {
	if dir == "" {
		opts.StateDir = ""
		return New(opts)
	}
	dir = filepath.Clean(dir)
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	opts.StateDir = dir
	s, err := New(opts)
	if err != nil {
		return nil, errors.Join(err, unlock())
	}
	s.unlock = unlock
	return s, nil
}

// lockDir takes the exclusive lock dir.lock (internal/flock), creating the
// parent folder.
func lockDir(dir string) (unlock func() error, err error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	lock, err := flock.Lock(dir + ".lock")
	if err != nil {
		return nil, fmt.Errorf("sandbox state %s: %w", dir, err)
	}
	return func() error { return flock.Unlock(lock) }, nil
}

// Serve serves s on ln until ctx ends, then shuts down gracefully: it stops
// accepting, lets in-flight requests finish for up to 5 s, closes the
// connections still open and returns. It does not close s. The error is nil after a shutdown that ctx asked for.
// It refuses the listeners CheckListener refuses.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.CheckListener(ln); err != nil {
		return err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: s.opts.ErrorLog}
	if s.opts.TLS != nil {
		ln = tls.NewListener(ln, s.opts.TLS)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err = srv.Shutdown(shutCtx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			// Connections still open after the grace (a browser's
			// preconnected socket that never sent a request, a request
			// that does not finish) are closed: the stop was asked for.
			err = srv.Close()
		}
		<-errc
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// CheckListener refuses (ErrAdminTokenNeeded, wrapped) a listener that is
// not on a loopback address unless Options.AdminToken guards the admin API
// and the dashboard: anyone who reaches them can move the sandbox's money.
func (s *Server) CheckListener(ln net.Listener) error {
	if s.opts.AdminToken == "" && !isLoopback(ln.Addr()) {
		return fmt.Errorf("sandbox: serving on %s: %w", ln.Addr(), ErrAdminTokenNeeded)
	}
	return nil
}

// ErrAdminTokenNeeded is returned (wrapped) by [Server.Serve] on a listener
// that other machines can reach when no Options.AdminToken guards the admin
// API and the dashboard.
var ErrAdminTokenNeeded = errors.New("the admin API and the dashboard need an admin token on an address that is not loopback")

// isLoopback reports whether addr is a TCP address on a loopback IP (a
// wildcard address such as 0.0.0.0 or [::] is not).
func isLoopback(addr net.Addr) bool {
	a, ok := addr.(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// TLSConfig is the server TLS of a sandbox serving HTTPS (Options.TLS):
// the certificate and key in PEM files and, when clientCAFile is given,
// mutual TLS as MANGOPAY's api-mtls hosts ask for it: every connection
// (OAuth included) must present a client certificate signed by one of
// that file's CAs, or the handshake fails.
func TLSConfig(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("sandbox TLS certificate: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(clientCAFile)
	if err != nil {
		return nil, fmt.Errorf("sandbox client CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("sandbox client CA: no PEM certificate in %s", clientCAFile)
	}
	cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	return cfg, nil
}
