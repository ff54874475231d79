package mangopay

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Base URLs of MANGOPAY's two environments, and the hosts that serve
// clients presenting an mTLS certificate (every call, OAuth included).
const (
	SandboxURL        = "https://api.sandbox.mangopay.com"
	ProductionURL     = "https://api.mangopay.com"
	SandboxMTLSURL    = "https://api-mtls.sandbox.mangopay.com"
	ProductionMTLSURL = "https://api-mtls.mangopay.com"
)

// Env is one of MANGOPAY's two environments.
type Env int

const (
	EnvSandbox Env = iota
	EnvProduction
)

// BaseURL returns the default base URL of env: the api-mtls host when the
// client presents a certificate (mtls), the plain one otherwise.
func BaseURL(env Env, mtls bool) string {
	switch {
	case env == EnvProduction && mtls:
		return ProductionMTLSURL
	case env == EnvProduction:
		return ProductionURL
	case mtls:
		return SandboxMTLSURL
	}
	return SandboxURL
}

// LoadClientCertificate reads a PEM certificate (chain) and its private
// key, as issued in MANGOPAY's Dashboard (Developers > mTLS certificates,
// valid 12 months), for [Config.ClientCertificate]. It refuses a
// certificate that has expired or is not yet valid, naming the dates, so
// that the failure is not a bare TLS handshake error on the first call.
func LoadClientCertificate(certFile, keyFile string) (tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("mangopay: client certificate %s, key %s: %w", certFile, keyFile, err)
	}
	leaf := cert.Leaf
	if leaf == nil {
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return tls.Certificate{}, fmt.Errorf("mangopay: client certificate %s: %w", certFile, err)
		}
	}
	now := time.Now()
	if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		return tls.Certificate{}, fmt.Errorf("mangopay: client certificate %s is valid from %s to %s, not now",
			certFile, leaf.NotBefore.UTC().Format(time.DateOnly), leaf.NotAfter.UTC().Format(time.DateOnly))
	}
	return cert, nil
}

// withClientCertificate returns hc with cert presented on every TLS
// connection: a copy whose transport is a clone of hc's (or of
// [http.DefaultTransport]) with the certificate added. A transport that is
// not an *http.Transport cannot be given a certificate.
func withClientCertificate(hc *http.Client, cert *tls.Certificate) (*http.Client, error) {
	var tr *http.Transport
	switch t := hc.Transport.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		tr = t.Clone()
	default:
		return nil, fmt.Errorf("mangopay: ClientCertificate needs an HTTPClient whose Transport is an *http.Transport, not %T", t)
	}
	if tr.TLSClientConfig == nil {
		tr.TLSClientConfig = &tls.Config{}
	}
	tr.TLSClientConfig.Certificates = []tls.Certificate{*cert}
	out := *hc
	out.Transport = tr
	return &out, nil
}

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
