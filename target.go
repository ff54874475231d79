package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// Target names (DESIGN §2).
const (
	targetEmbedded   = "embedded"
	targetSandbox    = "sandbox"
	targetProduction = "production"
)

// Environment variables read by settle. Credentials come only from here.
const (
	envClientID   = "MANGOPAY_CLIENT_ID"
	envAPIKey     = "MANGOPAY_API_KEY"
	envAPIKeyFile = "MANGOPAY_API_KEY_FILE"
	envBaseURL    = "MANGOPAY_BASE_URL"
	// The mTLS client certificate (PEM, chain allowed) and its private
	// key, as issued in MANGOPAY's Dashboard (Developers > mTLS
	// certificates); --client-cert and --client-key override them.
	envClientCertFile = "MANGOPAY_CLIENT_CERT_FILE"
	envClientKeyFile  = "MANGOPAY_CLIENT_KEY_FILE"
)

// targetFlags are the flags that choose where a command sends its calls.
type targetFlags struct {
	target            string
	baseURL           string
	confirmProduction bool
	basicAuth         bool
	clientCert        string // --client-cert, overrides MANGOPAY_CLIENT_CERT_FILE
	clientKey         string // --client-key, overrides MANGOPAY_CLIENT_KEY_FILE
	// scaUserRoutes is --sca-user-routes, unset when not given (see
	// scaUserRoutes in target_sca.go for the default).
	scaUserRoutes optBool
	// proxyConsent is --proxy-consent (see proxyConsent in target_sca.go).
	proxyConsent optBool
	// conns is not a flag: apply sets it to --parallelism, the most calls
	// the command makes at once (0: mangopay.DefaultConns).
	conns int
}

// register adds the target flags to fs.
func (f *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.target, "target", "", "`TARGET`: embedded | sandbox | production (default: sandbox with credentials in the environment, else embedded)")
	fs.StringVar(&f.baseURL, "base-url", "", "API base `URL`, overrides "+envBaseURL+" (http only for loopback)")
	fs.BoolVar(&f.confirmProduction, "confirm-production", false, "required with --target production")
	fs.BoolVar(&f.basicAuth, "basic-auth", false, "authenticate with HTTP Basic instead of OAuth 2.0")
	fs.StringVar(&f.clientCert, "client-cert", "", "mTLS client certificate `FILE` (PEM), overrides "+envClientCertFile+"; with it the api-mtls hosts are the default base URLs")
	fs.StringVar(&f.clientKey, "client-key", "", "private key `FILE` (PEM) of --client-cert, overrides "+envClientKeyFile)
	fs.Var(&f.proxyConsent, "proxy-consent", "the platform holds proxy consent: owner wallet reads and owner-initiated writes send ScaContext=USER_NOT_PRESENT (default off; also "+envProxyConsent+"=1|0)")
	fs.Var(&f.scaUserRoutes, "sca-user-routes", "create and read users through /sca/users (default: on for sandbox and production, off for embedded and --base-url; also "+envSCAUserRoutes+"=1|0)")
}

// targetSpec is a resolved target: its name and how to reach it.
type targetSpec struct {
	Name     string // embedded | sandbox | production
	BaseURL  string // "" for embedded (known once its listener is up)
	ClientID string
	APIKey   mangopay.Secret
	Conns    int // concurrent calls to size the HTTP client for (targetFlags.conns)
	// SCAUserRoutes sets mangopay.Config.SCAUserRoutes.
	SCAUserRoutes bool
	// ProxyConsent sets executor.Config.ProxyConsent.
	ProxyConsent bool
	// CertFile and KeyFile are the mTLS client certificate and its key
	// (both or neither; never on the embedded target): connect loads them
	// into mangopay.Config.ClientCertificate.
	CertFile, KeyFile string
}

// clientCertificate reads --client-cert and --client-key, else
// MANGOPAY_CLIENT_CERT_FILE and MANGOPAY_CLIENT_KEY_FILE: both files or
// neither.
func clientCertificate(f targetFlags, getenv func(string) string) (cert, key string, err error) {
	cert, key = f.clientCert, f.clientKey
	if cert == "" {
		cert = getenv(envClientCertFile)
	}
	if key == "" {
		key = getenv(envClientKeyFile)
	}
	switch {
	case cert != "" && key == "":
		return "", "", fmt.Errorf("a client certificate (--client-cert or %s) needs its private key: set --client-key or %s", envClientCertFile, envClientKeyFile)
	case key != "" && cert == "":
		return "", "", fmt.Errorf("a client key (--client-key or %s) needs its certificate: set --client-cert or %s", envClientKeyFile, envClientCertFile)
	}
	return cert, key, nil
}

// credentials reads MANGOPAY_CLIENT_ID and MANGOPAY_API_KEY or the file
// named by MANGOPAY_API_KEY_FILE. ok is false when none are set. Error
// messages never contain the key.
func credentials(getenv func(string) string) (id string, key mangopay.Secret, ok bool, err error) {
	id, raw, file := getenv(envClientID), getenv(envAPIKey), getenv(envAPIKeyFile)
	if raw != "" && file != "" {
		return "", "", false, fmt.Errorf("set %s or %s, not both", envAPIKey, envAPIKeyFile)
	}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", "", false, fmt.Errorf("%s: %w", envAPIKeyFile, err)
		}
		raw = strings.TrimSpace(string(data))
		if raw == "" {
			return "", "", false, fmt.Errorf("%s: %s is empty", envAPIKeyFile, file)
		}
	}
	switch {
	case id == "" && raw == "":
		return "", "", false, nil
	case id == "":
		return "", "", false, fmt.Errorf("%s is set but %s is not", envAPIKey+"/"+envAPIKeyFile, envClientID)
	case raw == "":
		return "", "", false, fmt.Errorf("%s is set but neither %s nor %s is", envClientID, envAPIKey, envAPIKeyFile)
	}
	return id, mangopay.Secret(raw), true, nil
}

// resolveTarget applies DESIGN §2: an explicit --target wins; else the
// plan's `target: production`; else sandbox when credentials exist (or a
// loopback base URL is given), else embedded. Production needs
// --confirm-production or the plan's own declaration.
func resolveTarget(f targetFlags, planTarget string, getenv func(string) string) (targetSpec, error) {
	spec, err := resolveTargetSpec(f, planTarget, getenv)
	if err != nil {
		return targetSpec{}, err
	}
	spec.Conns = f.conns
	if spec.SCAUserRoutes, err = scaUserRoutes(f, spec, getenv); err != nil {
		return targetSpec{}, err
	}
	if spec.ProxyConsent, err = proxyConsent(f, getenv); err != nil {
		return targetSpec{}, err
	}
	return spec, nil
}

// resolveTargetSpec is resolveTarget but for the connection count.
func resolveTargetSpec(f targetFlags, planTarget string, getenv func(string) string) (targetSpec, error) {
	id, key, haveCreds, err := credentials(getenv)
	if err != nil {
		return targetSpec{}, err
	}
	base := f.baseURL
	if base == "" {
		base = getenv(envBaseURL)
	}
	certFile, keyFile, err := clientCertificate(f, getenv)
	if err != nil {
		return targetSpec{}, err
	}
	mtls := certFile != ""
	name := f.target
	if name == "" {
		name = defaultTarget(planTarget, haveCreds, base)
	}
	if name != targetEmbedded && productionHost(base) {
		name = targetProduction // DESIGN §13: the host decides, whatever --target says
	}
	switch name {
	case targetEmbedded:
		if f.baseURL != "" {
			return targetSpec{}, errors.New("--base-url cannot be used with --target embedded")
		}
		if f.clientCert != "" || f.clientKey != "" {
			return targetSpec{}, errors.New("--client-cert and --client-key cannot be used with --target embedded: it serves plain HTTP on loopback")
		}
		return targetSpec{Name: targetEmbedded, ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey}, nil
	case targetSandbox:
		return remoteTarget(targetSandbox, mangopay.BaseURL(mangopay.EnvSandbox, mtls), base, id, key, haveCreds, certFile, keyFile)
	case targetProduction:
		if !f.confirmProduction && planTarget != targetProduction {
			return targetSpec{}, productionUnconfirmed(base)
		}
		return remoteTarget(targetProduction, mangopay.BaseURL(mangopay.EnvProduction, mtls), base, id, key, haveCreds, certFile, keyFile)
	}
	return targetSpec{}, fmt.Errorf("--target %q: want embedded, sandbox or production", name)
}

// productionUnconfirmed is the refusal of a production target without
// --confirm-production, naming what made it production.
func productionUnconfirmed(base string) error {
	if productionHost(base) {
		return fmt.Errorf("%s is MANGOPAY production: it needs --confirm-production (or `target: production` in the plan)", base)
	}
	return errors.New("--target production needs --confirm-production (or `target: production` in the plan)")
}

// MANGOPAY's own API hosts. A base URL on a production host is the
// production target, whatever --target says (DESIGN §13).
var (
	productionHosts = []string{"api.mangopay.com", "api-mtls.mangopay.com"}
	sandboxHosts    = []string{"api.sandbox.mangopay.com", "api-mtls.sandbox.mangopay.com"}
)

// urlHost is the host of the URL raw, lower-cased and without a trailing
// dot ("" when raw does not parse), as a resolver would read it.
func urlHost(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// productionHost reports whether raw is an URL on MANGOPAY's production API.
func productionHost(raw string) bool {
	return slices.Contains(productionHosts, urlHost(raw))
}

// mangopayHost reports whether raw is an URL on one of MANGOPAY's own
// APIs (production or sandbox), not an emulator.
func mangopayHost(raw string) bool {
	return productionHost(raw) || slices.Contains(sandboxHosts, urlHost(raw))
}

// defaultTarget picks the target when --target is not given.
func defaultTarget(planTarget string, haveCreds bool, base string) string {
	switch {
	case planTarget == targetProduction:
		return targetProduction
	case haveCreds || base != "":
		return targetSandbox
	}
	return targetEmbedded
}

// remoteTarget builds a sandbox or production target. Without credentials
// only a loopback base URL is accepted (a `settle sandbox serve`), with
// the sandbox's default credentials. certFile and keyFile are the mTLS
// client certificate ("" for none); defURL is then an api-mtls host.
func remoteTarget(name, defURL, base, id string, key mangopay.Secret, haveCreds bool, certFile, keyFile string) (targetSpec, error) {
	if base == "" {
		base = defURL
	}
	if !haveCreds {
		if name == targetProduction || !loopbackURL(base) {
			return targetSpec{}, fmt.Errorf("target %s needs %s and %s (or %s) in the environment", name, envClientID, envAPIKey, envAPIKeyFile)
		}
		id, key = sandbox.DefaultClientID, sandbox.DefaultAPIKey
	}
	return targetSpec{Name: name, BaseURL: base, ClientID: id, APIKey: key, CertFile: certFile, KeyFile: keyFile}, nil
}

// loopbackURL reports whether raw is an URL to a loopback host.
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// connection is a live client on a target, with what must be released
// when the command ends.
type connection struct {
	Target  targetSpec
	Client  *mangopay.Client
	closers []func() error
}

// Close releases the embedded sandbox, its listener and lock.
func (c *connection) Close() error {
	var errs []error
	for i := len(c.closers) - 1; i >= 0; i-- {
		errs = append(errs, c.closers[i]())
	}
	return errors.Join(errs...)
}

// connect creates the client for spec. For the embedded target it first
// starts the in-process sandbox, with its state in .settle/sandbox/ beside
// the plan, on a loopback listener: the client then talks real HTTP, the
// same code path as every other target, and the card tokenization URLs the
// sandbox hands out resolve without any special transport.
func connect(ctx context.Context, spec targetSpec, planDir string, basic bool, log *slog.Logger) (*connection, error) {
	conn := &connection{Target: spec}
	cfg := mangopay.Config{ClientID: spec.ClientID, APIKey: spec.APIKey, BaseURL: spec.BaseURL, Logger: log, UserAgent: "settle",
		SCAUserRoutes: spec.SCAUserRoutes}
	if basic {
		cfg.Auth = mangopay.AuthBasic
	}
	if spec.CertFile != "" {
		cert, err := mangopay.LoadClientCertificate(spec.CertFile, spec.KeyFile)
		if err != nil {
			// %v, not %w: the message names both settings and files, which
			// the error printer's "FILE: no such file" would drop.
			return nil, fmt.Errorf("target %s: the mTLS client certificate (--client-cert or %s, --client-key or %s) cannot be used: %v",
				spec.Name, envClientCertFile, envClientKeyFile, err)
		}
		cfg.ClientCertificate = &cert
	}
	if spec.Name == targetEmbedded {
		base, err := startEmbedded(ctx, conn, filepath.Join(planDir, ".settle"), log)
		if err != nil {
			conn.Close()
			return nil, err
		}
		conn.Target.BaseURL, cfg.BaseURL = base, base
	}
	// One idle connection kept per call in flight (--parallelism): with
	// net/http's default of 2, a wider apply would close and dial again (a
	// TLS handshake each against MANGOPAY) most of its connections at
	// every wave of calls. They are closed when the command ends, before
	// the embedded sandbox shuts down: a connection dialled but never used
	// would otherwise hold http.Server.Shutdown for 5 s.
	hc := mangopay.NewHTTPClient(spec.Conns)
	if transportHook != nil {
		hc.Transport = transportHook(hc.Transport)
	}
	cfg.HTTPClient = hc
	conn.closers = append(conn.closers, func() error { hc.CloseIdleConnections(); return nil })
	client, err := mangopay.NewClient(cfg)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("target %s: %w", spec.Name, err)
	}
	conn.Client = client
	return conn, nil
}

// transportHook, set by tests only (like restic's backendTestHook),
// wraps the transport of every client settle builds: to prove that a
// command opened no connection, or to answer for a remote host.
var transportHook func(http.RoundTripper) http.RoundTripper

// startEmbedded opens the sandbox on dir/sandbox (holding dir/sandbox.lock:
// two runs must not share the state log), gating owner wallet reads by SCA
// as MANGOPAY does (Options.WalletSCA), with asynchronous outcomes due at
// once (so a run completes), and serves it on 127.0.0.1:0 until conn closes.
func startEmbedded(ctx context.Context, conn *connection, dir string, log *slog.Logger) (string, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("embedded sandbox: %w", err)
	}
	base := "http://" + ln.Addr().String()
	sb, err := sandbox.Open(filepath.Join(dir, "sandbox"), sandbox.Options{PublicURL: base, WalletSCA: true, LegacyBankCutoff: true,
		ErrorLog: slog.NewLogLogger(discardIfNil(log).Handler(), slog.LevelDebug)})
	if err != nil {
		ln.Close()
		return "", fmt.Errorf("embedded sandbox: %w", err)
	}
	// The server outlives the command's context: it stops when conn closes,
	// after the command's last call.
	serveCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	served := make(chan error, 1)
	go func() { served <- sb.Serve(serveCtx, ln) }()
	discardIfNil(log).Info("embedded sandbox", "base_url", base, "dashboard", base+"/dashboard/")
	conn.closers = append(conn.closers, func() error {
		stop()
		return errors.Join(<-served, sb.Close())
	})
	return base, nil
}

// discardIfNil returns log, or a logger that discards when log is nil.
func discardIfNil(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
