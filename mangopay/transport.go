package mangopay

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Base URLs of MANGOPAY's two environments.
const (
	SandboxURL    = "https://api.sandbox.mangopay.com"
	ProductionURL = "https://api.mangopay.com"
)

// DefaultConns is how many concurrent callers [NewHTTPClient] keeps idle
// connections for when it is given no larger number.
const DefaultConns = 64

// NewHTTPClient returns an HTTP client for conns concurrent callers of one
// API host: a 60 s timeout and a clone of [http.DefaultTransport] that
// keeps max(conns, [DefaultConns]) idle connections per host.
// net/http's default keeps 2, so with more callers than that every burst
// of calls closes connections and dials new ones (a TLS handshake each
// against the real API). Keeping more costs nothing until they are open.
func NewHTTPClient(conns int) *http.Client {
	n := max(conns, DefaultConns)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = n
	tr.MaxIdleConns = max(tr.MaxIdleConns, n)
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

// checkBaseURL keeps scheme://host[:port] and refuses plain http to
// anything but a loopback host, so credentials never cross a network in
// clear text.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
	if err != nil {
		return "", fmt.Errorf("mangopay: base URL: %w", err)
	}
	if err := checkScheme(u); err != nil {
		return "", fmt.Errorf("mangopay: base URL %q: %w", raw, err)
	}
	if u.Path != "" && u.Path != "/" {
		return "", fmt.Errorf("mangopay: base URL %q: want scheme://host[:port] without a path (the client adds /v2.01/{ClientId})", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// checkScheme accepts https, and http only to a loopback host.
func checkScheme(u *url.URL) error {
	switch {
	case u.Host == "":
		return errors.New("no host")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return errors.New("plain http is allowed only to a loopback host")
	}
	return fmt.Errorf("unsupported scheme %q", u.Scheme)
}

// isLoopback reports whether host is localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
